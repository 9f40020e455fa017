'use strict';
// The workflow templates in examples/*.json, and what a user does after importing one: pick the
// credentials, point the HTTP Request nodes at their own systems. Used by the templates e2e test and by
// scripts/screenshots.js.

const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** File names of the templates, sorted. */
function templateFiles() {
	return fs.readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json')).sort();
}

/** A template as shipped. */
function readTemplate(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/**
 * A copy of the template with each node's credential replaced by the one of the same type, and the `url`
 * of the nodes named in `urls` set.
 * @param {object} template
 * @param {Array<{ type: string, id: string, name: string }>} credentials
 * @param {Record<string, string>} [urls] node name -> URL
 */
function configureTemplate(template, credentials, urls = {}) {
	const copy = JSON.parse(JSON.stringify(template));
	for (const node of copy.nodes) {
		for (const type of Object.keys(node.credentials || {})) {
			const credential = credentials.find((c) => c.type === type);
			if (!credential) throw new Error(`no credential of type ${type} for node ${node.name}`);
			node.credentials[type] = { id: credential.id, name: credential.name };
		}
		if (urls[node.name]) node.parameters.url = urls[node.name];
	}
	return copy;
}

module.exports = { EXAMPLES_DIR, templateFiles, readTemplate, configureTemplate };
