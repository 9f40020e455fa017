// @ts-check
'use strict';

/**
 * Microsoft Graph's own rules for the security entities, read from schema/graph-security.json (made from
 * Graph v1.0's $metadata by scripts/extract-graph-schema.js). Keyed by entity ('incident', 'alert'), so
 * every simulated entity set validates the same way real Graph does.
 *
 *   wantsUnknownEnumMembers(headers)              the request sent `Prefer: include-unknown-enum-members`
 *   enumMembers(enumName, { includeUnknown })     the members a request may use and see (evolvable ones only
 *                                                 with the Prefer header)
 *   validatePatch(entity, body, { includeUnknown }) -> Graph's error message, or null when Graph accepts it
 *   validateFilter(entity, text, { includeUnknown }) -> parsed $filter (throws FilterError, Graph's text)
 *   validateEnumValue(entity, property, value, { includeUnknown }) -> error message or null
 *   present(entity, object, { includeUnknown })   a JSON copy as Graph answers it: without the Prefer header,
 *                                                 evolvable enum members read 'unknownFutureValue' (also in
 *                                                 navigation properties such as incident.alerts, and in evidence)
 *   actionParameters(action, body) -> { values } | { error }   an action's body checked against its parameters
 *   SCHEMA                                        the JSON itself
 */

const SCHEMA = require('../../schema/graph-security.json');
const { parseFilter } = require('../odataFilter');

/** @typedef {{ includeUnknown?: boolean }} EnumVisibility */

/** @param {Record<string, any>} headers */
function wantsUnknownEnumMembers(headers) {
	const raw = headers && headers.prefer;
	const values = (Array.isArray(raw) ? raw : [raw])
		.filter((v) => typeof v === 'string')
		.flatMap((v) => v.split(','))
		.map((v) => v.trim().toLowerCase());
	return values.includes('include-unknown-enum-members');
}

/** @param {string} entity */
function entityOf(entity) {
	const e = SCHEMA.entities[entity];
	if (!e) throw new Error(`graphSchema: unknown entity '${entity}'`);
	return e;
}

/**
 * @param {string} enumName
 * @param {EnumVisibility} [visibility]
 * @returns {string[]}
 */
function enumMembers(enumName, { includeUnknown = false } = {}) {
	const e = SCHEMA.enums[enumName];
	if (!e) throw new Error(`graphSchema: unknown enum '${enumName}'`);
	return includeUnknown ? e.members.slice() : e.members.filter((/** @type {string} */ m) => !e.evolvable.includes(m));
}

/** @param {unknown} v */
const literal = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * @param {string} entity
 * @param {string} property
 * @param {unknown} value
 * @param {EnumVisibility} [visibility]
 */
function validateEnumValue(entity, property, value, visibility) {
	const p = entityOf(entity).properties[property];
	if (!p || !p.enum) return null;
	if (value === null) return p.nullable ? null : `Cannot convert a null value to the non-nullable type '${p.type}' of property '${property}'.`;
	if (typeof value !== 'string' || !enumMembers(p.enum, visibility).includes(value)) {
		return `Cannot convert the literal '${literal(value)}' to the expected type '${SCHEMA.enums[p.enum].type}'.`;
	}
	return null;
}

/**
 * Validates a PATCH body the way Graph does: only the entity's updatable properties, each of its type.
 * @param {string} entity
 * @param {Record<string, any>} body
 * @param {EnumVisibility} [visibility]
 * @returns {string | null}
 */
function validatePatch(entity, body, visibility) {
	const e = entityOf(entity);
	for (const [k, v] of Object.entries(body)) {
		if (k.startsWith('@odata.')) continue;
		const p = e.properties[k];
		if (!p) {
			return `The property '${k}' does not exist on type '${e.type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`;
		}
		if (!e.updatable.includes(k)) {
			return `The property '${k}' of type '${e.type}' cannot be updated. Updatable properties: ${e.updatable.join(', ')}.`;
		}
		if (p.enum) {
			const problem = validateEnumValue(entity, k, v, visibility);
			if (problem) return problem;
		} else if (p.collection) {
			if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return `Cannot convert the value of property '${k}' to '${p.type}'.`;
		} else if (v === null) {
			if (!p.nullable) return `Cannot convert a null value to the non-nullable type '${p.type}' of property '${k}'.`;
		} else if (p.type === 'Edm.String' && typeof v !== 'string') {
			return `Cannot convert a primitive value to the expected type 'Edm.String' for property '${k}'.`;
		}
	}
	return null;
}

/**
 * What odataFilter.parseFilter needs to know about an entity.
 * @param {string} entity
 * @param {EnumVisibility} [visibility]
 */
function filterSchema(entity, visibility) {
	const e = entityOf(entity);
	/** @type {Record<string, 'string' | 'enum' | 'datetime'>} */
	const filterable = {};
	/** @type {Record<string, string[]>} */
	const enums = {};
	for (const name of e.filterable) {
		const p = e.properties[name];
		if (p.enum) {
			filterable[name] = 'enum';
			enums[name] = enumMembers(p.enum, visibility);
		} else if (p.type === 'Edm.DateTimeOffset') {
			filterable[name] = 'datetime';
		} else {
			filterable[name] = 'string';
		}
	}
	return {
		typeName: e.type,
		properties: [...Object.keys(e.properties), ...Object.keys(e.navigationProperties)],
		filterable,
		enums,
	};
}

/**
 * @param {string} entity
 * @param {string} text
 * @param {EnumVisibility} [visibility]
 */
function validateFilter(entity, text, visibility) {
	return parseFilter(text, filterSchema(entity, visibility));
}

/**
 * Maps evolvable enum members to 'unknownFutureValue' in one object described by `properties`.
 * @param {Record<string, any>} properties schema properties
 * @param {Record<string, any>} object (changed in place)
 */
function hideEvolvable(properties, object) {
	for (const [k, p] of Object.entries(properties)) {
		if (!p.enum || !(k in object)) continue;
		const { evolvable } = SCHEMA.enums[p.enum];
		if (Array.isArray(object[k])) object[k] = object[k].map((/** @type {any} */ v) => (evolvable.includes(v) ? 'unknownFutureValue' : v));
		else if (evolvable.includes(object[k])) object[k] = 'unknownFutureValue';
	}
}

/**
 * @param {string} entity
 * @param {Record<string, any>} object
 * @param {EnumVisibility} [visibility]
 */
function present(entity, object, { includeUnknown = false } = {}) {
	const copy = JSON.parse(JSON.stringify(object));
	if (includeUnknown) return copy;
	const e = entityOf(entity);
	hideEvolvable(e.properties, copy);
	for (const [k, nav] of Object.entries(e.navigationProperties)) {
		if (!Array.isArray(copy[k]) || !SCHEMA.entities[nav.entity]) continue;
		copy[k] = copy[k].map((/** @type {any} */ item) => present(nav.entity, item));
	}
	if (e.properties.evidence && Array.isArray(copy.evidence)) {
		for (const item of copy.evidence) hideEvolvable(SCHEMA.complexTypes.alertEvidence.properties, item);
	}
	return copy;
}

/**
 * `$select` of an incident or alert request: Graph v1.0's $metadata annotates both entity types with
 * Org.OData.Capabilities.V1.SelectSupport (Supported=true), although Learn's "Optional query parameters"
 * lists do not name it. Returns the property names, or an error message Graph would answer with 400.
 * @param {string} entity
 * @param {string | null} text the raw `$select` value (null = not asked)
 * @returns {{ properties?: string[] } | { error: string }}
 */
function parseSelect(entity, text) {
	if (text === null) return {};
	const e = entityOf(entity);
	const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
	for (const name of names) {
		if (!(name in e.properties) && !(name in e.navigationProperties)) {
			return { error: `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${e.type}'.` };
		}
	}
	return { properties: names };
}

/**
 * The selected properties of a presented object (expanded navigation properties stay, as OData v4 returns them).
 * @param {Record<string, any>} object
 * @param {string[] | undefined} properties undefined = all
 * @param {string[]} [expanded]
 */
function applySelect(object, properties, expanded = []) {
	if (properties === undefined) return object;
	/** @type {Record<string, any>} */
	const out = {};
	for (const [k, v] of Object.entries(object)) {
		if (k.startsWith('@odata.') || properties.includes(k) || expanded.includes(k)) out[k] = v;
	}
	return out;
}

/** Query options of list requests: Learn's list plus `$select` (see parseSelect). @param {string} entity */
function listQueryOptions(entity) {
	return [...entityOf(entity).queryOptions, '$select'];
}

/**
 * Checks an action's JSON body against its parameters (names matched case-insensitively, as Graph does:
 * Microsoft's own examples send "Query" where the metadata says "query").
 * @param {string} action
 * @param {Record<string, any>} body
 * @returns {{ values: Record<string, any> } | { error: string }}
 */
function actionParameters(action, body) {
	const a = SCHEMA.actions[action];
	if (!a) throw new Error(`graphSchema: unknown action '${action}'`);
	/** @type {Record<string, any>} */
	const values = {};
	for (const [k, v] of Object.entries(body)) {
		const name = Object.keys(a.parameters).find((p) => p.toLowerCase() === k.toLowerCase());
		if (!name) return { error: `The parameter '${k}' in the request payload is not a valid parameter for the operation '${action}'.` };
		values[name] = v;
	}
	for (const [name, p] of Object.entries(a.parameters)) {
		if (!p.optional && (values[name] === undefined || values[name] === null)) {
			return { error: `The parameter '${name}' of the operation '${action}' is required.` };
		}
	}
	return { values };
}

module.exports = {
	SCHEMA,
	wantsUnknownEnumMembers,
	enumMembers,
	validateEnumValue,
	validatePatch,
	filterSchema,
	validateFilter,
	present,
	parseSelect,
	applySelect,
	listQueryOptions,
	actionParameters,
};
