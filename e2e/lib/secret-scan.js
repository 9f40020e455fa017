'use strict';
// Looks for secrets in files: exact values (client secrets, private key lines, tokens) and shapes that
// are secrets whatever their value (a JWT, a PEM private key block). Reports where, never the value.

const fs = require('node:fs');
const path = require('node:path');

/** Shapes that must not appear in any output, whoever issued them. */
const SECRET_SHAPES = [
	{ kind: 'JWT (access or id token)', pattern: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/ },
	{ kind: 'PEM private key', pattern: /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/ },
];

/**
 * Every file under `roots`, recursively, except folders named in `skipDirs` (matched against the path
 * relative to a root, e.g. '.n8n/nodes').
 */
function listFiles(roots, skipDirs = []) {
	const files = [];
	const walk = (root, dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			const relative = path.relative(root, full);
			if (entry.isDirectory()) {
				if (skipDirs.some((skip) => relative === skip || relative.endsWith(`${path.sep}${skip}`))) continue;
				walk(root, full);
			} else if (entry.isFile()) files.push(full);
		}
	};
	for (const root of roots) if (fs.existsSync(root)) walk(root, root);
	return files;
}

/**
 * @param {string[]} files
 * @param {Record<string, string[]>} secretsByKind  e.g. { clientSecrets: [...], accessTokens: [...] }
 * @param {{ skipShapes?: (file: string) => boolean }} [options]  files checked for the exact values only
 *   (e.g. n8n's generated type descriptions, where a credential's placeholder shows a PEM header)
 * @returns {{ file: string, kind: string }[]} one hit per file and kind of secret found in it
 */
function scanFiles(files, secretsByKind, options = {}) {
	const hits = [];
	const needles = Object.entries(secretsByKind).map(([kind, values]) => ({
		kind,
		values: [...new Set(values.filter((v) => typeof v === 'string' && v.length >= 8))].map((v) => Buffer.from(v, 'utf8')),
	}));
	for (const file of files) {
		const content = fs.readFileSync(file);
		for (const { kind, values } of needles) {
			if (values.some((value) => content.includes(value))) hits.push({ file, kind });
		}
		if (options.skipShapes && options.skipShapes(file)) continue;
		const text = content.toString('latin1');
		for (const { kind, pattern } of SECRET_SHAPES) {
			if (pattern.test(text)) hits.push({ file, kind });
		}
	}
	return hits;
}

module.exports = { SECRET_SHAPES, listFiles, scanFiles };
