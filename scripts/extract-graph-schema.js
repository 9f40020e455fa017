#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Extracts from Microsoft Graph v1.0's $metadata (CSDL, namespace microsoft.graph.security) what this
 * project needs into schema/graph-security.json, the file the simulated cloud and the tests read (so a
 * clone without ../shared works). Run it again when the CSDL changes; never edit the JSON by hand.
 *
 *   node scripts/extract-graph-schema.js [csdl] [out]
 *       csdl default ../shared/graph/security-v1.0.csdl.xml, out default schema/graph-security.json
 *   node scripts/extract-graph-schema.js --check [csdl] [out]
 *       exits 1 when out is not what csdl gives (stale JSON)
 *
 * From the CSDL: every enum used by the entities below (members in declaration order; "evolvable" = the
 * members declared after unknownFutureValue, which Graph sends only to requests with
 * `Prefer: include-unknown-enum-members`), the properties of incident and alert, the alertComment and
 * alertEvidence complex types, the evidence types' @odata.type discriminators, and runHuntingQuery's
 * parameters. The metadata carries no per-property filter or update restrictions for incidents and
 * alerts_v2 (only "Filterable: true" for the whole type), so which properties Graph filters and updates
 * comes from Microsoft's API reference pages (DOCS_FACTS below); each such fact names its page.
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_CSDL = path.resolve(ROOT, '..', 'shared', 'graph', 'security-v1.0.csdl.xml');
const DEFAULT_OUT = path.join(ROOT, 'schema', 'graph-security.json');
const NAMESPACE = 'microsoft.graph.security';

const DOCS = 'microsoftgraph/microsoft-graph-docs-contrib@0113240af3b9c33ee9076b502e0c391e0aa87745';

/** Facts the metadata does not hold, each with the Microsoft page it comes from. */
const DOCS_FACTS = {
	incident: {
		entitySet: '/security/incidents',
		filterable: ['assignedTo', 'classification', 'createdDateTime', 'determination', 'lastUpdateDateTime', 'severity', 'status'],
		filterableSource: `${DOCS} api-reference/v1.0/api/security-list-incidents.md ("The following properties support $filter")`,
		updatable: ['assignedTo', 'classification', 'determination', 'status', 'customTags'],
		updatableSource: `${DOCS} api-reference/v1.0/api/security-incident-update.md (request body table)`,
		queryOptions: ['$count', '$filter', '$skip', '$top', '$expand'],
		queryOptionsSource: `${DOCS} api-reference/v1.0/api/security-list-incidents.md ("Optional query parameters")`,
		comments: 'alertComment',
		commentsSource: `${DOCS} api-reference/v1.0/api/security-incident-post-comments.md`,
	},
	alert: {
		entitySet: '/security/alerts_v2',
		filterable: ['assignedTo', 'classification', 'determination', 'createdDateTime', 'lastUpdateDateTime', 'severity', 'serviceSource', 'status'],
		filterableSource: `${DOCS} api-reference/v1.0/api/security-list-alerts_v2.md ("The following properties support $filter")`,
		updatable: ['status', 'classification', 'determination', 'assignedTo'],
		updatableSource: `${DOCS} api-reference/v1.0/api/security-alert-update.md (request body table)`,
		queryOptions: ['$count', '$filter', '$skip', '$top'],
		queryOptionsSource: `${DOCS} api-reference/v1.0/api/security-list-alerts_v2.md ("Optional query parameters")`,
		comments: 'alertComment',
		commentsSource: `${DOCS} api-reference/v1.0/api/security-alert-post-comments.md`,
	},
};

/** Enums the project names even where no extracted property uses them. */
const EXTRA_ENUMS = ['alertStatus', 'serviceSource', 'detectionSource', 'alertClassification', 'alertDetermination', 'alertSeverity', 'incidentStatus'];
const COMPLEX_TYPES = ['alertComment', 'alertEvidence', 'huntingQueryResults', 'huntingRowResult', 'singlePropertySchema'];

/** @param {string} text @returns {Record<string, string>} */
function attributes(text) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const m of text.matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)) out[m[1]] = m[2];
	return out;
}

/**
 * The elements `<Tag Name="..." ...>...</Tag>` (or self-closing) directly in the schema text.
 * @param {string} xml
 * @param {string} tag
 * @returns {Array<{ attrs: Record<string, string>, body: string }>}
 */
function elements(xml, tag) {
	const out = [];
	const re = new RegExp(`<${tag}\\b([^>]*?)(/?)>`, 'g');
	let m;
	while ((m = re.exec(xml))) {
		const attrs = attributes(m[1]);
		if (m[2] === '/') {
			out.push({ attrs, body: '' });
			continue;
		}
		const close = xml.indexOf(`</${tag}>`, re.lastIndex);
		if (close < 0) throw new Error(`unclosed <${tag} ${m[1].trim()}>`);
		out.push({ attrs, body: xml.slice(re.lastIndex, close) });
		re.lastIndex = close + tag.length + 3;
	}
	return out;
}

/** 'self.alertStatus' / 'Collection(self.alertComment)' -> { name: 'alertStatus', collection, qualified } */
function typeRef(/** @type {string} */ type) {
	const collection = /^Collection\((.*)\)$/.exec(type);
	const inner = collection ? collection[1] : type;
	const local = inner.startsWith('self.') ? inner.slice(5) : undefined;
	const qualified = local !== undefined ? `${NAMESPACE}.${local}` : inner.replace(/^graph\./, 'microsoft.graph.');
	return { collection: collection !== null, local, qualified };
}

/**
 * @param {string} csdlText
 * @param {string} csdlName shown in the JSON as its source
 */
function extract(csdlText, csdlName) {
	const schemaStart = csdlText.indexOf(`<Schema Namespace="${NAMESPACE}"`);
	if (schemaStart < 0) throw new Error(`no <Schema Namespace="${NAMESPACE}"> in ${csdlName}`);
	const schemaEnd = csdlText.indexOf('</Schema>', schemaStart);
	const schema = csdlText.slice(schemaStart, schemaEnd);
	const provenance = /<!--([\s\S]*?)-->/.exec(csdlText.slice(0, schemaStart));

	/** @type {Map<string, { attrs: Record<string, string>, body: string }>} */
	const enumTypes = new Map(elements(schema, 'EnumType').map((e) => [e.attrs.Name, e]));
	const entityTypes = new Map(elements(schema, 'EntityType').map((e) => [e.attrs.Name, e]));
	const complexTypes = new Map(elements(schema, 'ComplexType').map((e) => [e.attrs.Name, e]));
	/** @type {Set<string>} */
	const usedEnums = new Set(EXTRA_ENUMS);

	/** @param {string} body */
	function properties(body) {
		/** @type {Record<string, any>} */
		const out = {};
		for (const { attrs } of elements(body, 'Property')) {
			const ref = typeRef(attrs.Type);
			/** @type {Record<string, any>} */
			const property = { type: attrs.Type.replace(/self\./g, `${NAMESPACE}.`), nullable: attrs.Nullable !== 'false' };
			if (ref.collection) property.collection = true;
			if (ref.local !== undefined && enumTypes.has(ref.local)) {
				property.enum = ref.local;
				usedEnums.add(ref.local);
			}
			out[attrs.Name] = property;
		}
		return out;
	}

	/** @param {string} body */
	function navigationProperties(body) {
		/** @type {Record<string, any>} */
		const out = {};
		for (const { attrs } of elements(body, 'NavigationProperty')) {
			const ref = typeRef(attrs.Type);
			out[attrs.Name] = { type: attrs.Type.replace(/self\./g, `${NAMESPACE}.`), entity: ref.local, collection: ref.collection };
		}
		return out;
	}

	/** @type {Record<string, any>} */
	const entities = {};
	for (const [name, facts] of Object.entries(DOCS_FACTS)) {
		const element = entityTypes.get(name);
		if (!element) throw new Error(`no EntityType ${name} in ${csdlName}`);
		const props = properties(element.body);
		if (element.attrs.BaseType !== 'graph.entity') throw new Error(`${name}: unexpected base type ${element.attrs.BaseType}`);
		// microsoft.graph.entity (outside this namespace) contributes the key.
		const all = { id: { type: 'Edm.String', nullable: false, inheritedFrom: 'microsoft.graph.entity' }, ...props };
		for (const list of [facts.filterable, facts.updatable]) {
			for (const property of list) {
				if (!(property in all)) throw new Error(`${name}: the docs name "${property}", which the metadata does not have`);
			}
		}
		entities[name] = {
			type: `${NAMESPACE}.${name}`,
			entitySet: facts.entitySet,
			properties: all,
			navigationProperties: navigationProperties(element.body),
			filterable: [...facts.filterable].sort(),
			updatable: [...facts.updatable].sort(),
			queryOptions: facts.queryOptions,
			comments: facts.comments,
			sources: {
				properties: 'metadata',
				filterable: facts.filterableSource,
				updatable: facts.updatableSource,
				queryOptions: facts.queryOptionsSource,
				comments: facts.commentsSource,
			},
		};
	}

	/** @type {Record<string, any>} */
	const complex = {};
	for (const name of COMPLEX_TYPES) {
		const element = complexTypes.get(name);
		if (!element) throw new Error(`no ComplexType ${name} in ${csdlName}`);
		complex[name] = { type: `${NAMESPACE}.${name}`, properties: properties(element.body) };
		if (element.attrs.Abstract === 'true') complex[name].abstract = true;
	}
	complex.alertEvidence.derivedTypes = [...complexTypes.values()]
		.filter((e) => e.attrs.BaseType === 'self.alertEvidence')
		.map((e) => `#${NAMESPACE}.${e.attrs.Name}`)
		.sort();

	/** @type {Record<string, any>} */
	const enums = {};
	for (const name of [...usedEnums].sort()) {
		const element = enumTypes.get(name);
		if (!element) throw new Error(`no EnumType ${name} in ${csdlName}`);
		const members = elements(element.body, 'Member').map((m) => m.attrs.Name);
		const sentinel = members.indexOf('unknownFutureValue');
		enums[name] = {
			type: `${NAMESPACE}.${name}`,
			members,
			evolvable: sentinel < 0 ? [] : members.slice(sentinel + 1),
		};
		if (element.attrs.IsFlags === 'true') enums[name].flags = true;
	}

	const hunting = elements(schema, 'Action').find((a) => a.attrs.Name === 'runHuntingQuery');
	if (!hunting) throw new Error(`no Action runHuntingQuery in ${csdlName}`);
	/** @type {Record<string, any>} */
	const parameters = {};
	for (const m of hunting.body.matchAll(/<Parameter\b([^>]*?)(\/>|>([\s\S]*?)<\/Parameter>)/g)) {
		const attrs = attributes(m[1]);
		if (attrs.Name === 'bindingParameter') continue;
		parameters[attrs.Name] = { type: attrs.Type, optional: /Org\.OData\.Core\.V1\.OptionalParameter/.test(m[3] || '') };
	}
	const returnType = /<ReturnType Type="([^"]+)"/.exec(hunting.body);

	return {
		$comment: `Generated by scripts/extract-graph-schema.js from ${csdlName}; do not edit (run the script again).`,
		source: {
			metadata: provenance ? provenance[1].replace(/\s+/g, ' ').trim() : csdlName,
			namespace: NAMESPACE,
			evolvable: 'members declared after unknownFutureValue; Graph returns and accepts them only with the request header "Prefer: include-unknown-enum-members" (https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations)',
		},
		entities,
		complexTypes: complex,
		enums,
		actions: {
			runHuntingQuery: {
				path: '/security/runHuntingQuery',
				parameters,
				returnType: returnType ? returnType[1].replace(/self\./g, `${NAMESPACE}.`) : undefined,
			},
		},
	};
}

function main() {
	const args = process.argv.slice(2);
	const check = args[0] === '--check';
	if (check) args.shift();
	const csdl = path.resolve(args[0] || DEFAULT_CSDL);
	const out = path.resolve(args[1] || DEFAULT_OUT);
	const name = path.relative(ROOT, csdl).split(path.sep).join('/');
	const text = `${JSON.stringify(extract(fs.readFileSync(csdl, 'utf8'), name), null, '\t')}\n`;
	if (check) {
		const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
		if (current !== text) {
			console.error(`${path.relative(ROOT, out)} is not what ${name} gives; run: node scripts/extract-graph-schema.js`);
			process.exit(1);
		}
		console.log(`${path.relative(ROOT, out)} is up to date with ${name}`);
		return;
	}
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(out, text);
	console.log(`wrote ${path.relative(ROOT, out)} from ${name}`);
}

if (require.main === module) main();

module.exports = { extract };
