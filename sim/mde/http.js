// @ts-check
'use strict';

/** What every simulated Defender for Endpoint endpoint shares: its error shape, auth, JSON bodies, OData collections. */

const { checkBearer } = require('../bearer');
const { parseFilter, evaluate, FilterError } = require('../odataFilter');
const { PERMISSIONS } = require('./permissions');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

const MAX_TOP = 10000;

/** Defender's error shape (api/common-errors); `target` is the request's correlation id. @param {RequestContext} ctx @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [headers] */
function mdeError(ctx, status, code, message, headers) {
	ctx.send(status, { error: { code, message, target: ctx.requestId } }, headers);
}

/** @param {SimCloud} cloud @param {RequestContext} ctx @param {string} permission key of PERMISSIONS */
function authorize(cloud, ctx, permission) {
	const { app, delegated } = PERMISSIONS[permission];
	const check = checkBearer(cloud, ctx, cloud.mdeEndpoint, [...app, ...delegated]);
	if (check.ok) {
		const p = check.payload;
		const held = p.scp !== undefined ? String(p.scp).split(' ') : p.roles || [];
		if ((p.scp !== undefined ? delegated : app).some((x) => held.includes(x))) return p;
		return void forbidden(ctx, p.scp !== undefined, p.scp !== undefined ? delegated : app);
	}
	if (check.status === 401) {
		const why = { empty: 'no authorization header', malformed: 'the token is not a JWT', signature: 'the token was not issued by Microsoft Entra ID', expired: 'the token has expired', audience: `the token's audience is not ${cloud.mdeEndpoint}` }[check.reason];
		return void mdeError(ctx, 401, 'Unauthorized', `Unauthorized (invalid or expired authorization header): ${why}.`);
	}
	return void forbidden(ctx, check.reason === 'scope', check.reason === 'scope' ? delegated : app);
}

/** @param {RequestContext} ctx @param {boolean} isDelegated @param {string[]} needed */
function forbidden(ctx, isDelegated, needed) {
	if (isDelegated && !needed.length) return mdeError(ctx, 403, 'Forbidden', 'This operation is not supported with delegated (user) permissions; it needs an application permission.');
	mdeError(ctx, 403, 'Forbidden', isDelegated
		? `The user or application does not have any of the required delegated permissions (${needed.join(', ')}) to access the resource.`
		: `The application does not have any of the required application roles (${needed.join(', ')}) to access the resource.`);
}

/** @param {RequestContext} ctx @returns {any} the JSON body, or undefined after answering 400 */
function jsonBody(ctx) {
	try {
		const body = JSON.parse(ctx.body || '');
		if (body && typeof body === 'object' && !Array.isArray(body)) return body;
	} catch {
		// answered below
	}
	mdeError(ctx, 400, 'InvalidRequestBody', 'Request body is incorrect');
	return undefined;
}

/**
 * $filter / $top / $skip over a collection; answers 400 ODataError itself and returns undefined then.
 * @param {RequestContext} ctx @param {Record<string, any>[]} items @param {any} schema
 */
function query(ctx, items, schema) {
	for (const key of ctx.query.keys()) {
		if (key.startsWith('$') && !['$filter', '$top', '$skip'].includes(key)) return void mdeError(ctx, 400, 'ODataError', `Query option '${key}' is not allowed. Allowed: $filter, $top, $skip.`);
	}
	/** @type {Record<string, number>} */
	const ints = {};
	for (const name of ['$top', '$skip']) {
		const raw = ctx.query.get(name);
		if (raw === null) continue;
		if (!/^\d+$/.test(raw)) return void mdeError(ctx, 400, 'ODataError', `Invalid value '${raw}' for query option '${name}'.`);
		ints[name] = Number(raw);
	}
	if (ints.$top > MAX_TOP) return void mdeError(ctx, 400, 'ODataError', `The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${ints.$top}'.`);
	let matching = items;
	const filterText = ctx.query.get('$filter');
	if (filterText !== null) {
		try {
			const node = parseFilter(filterText, schema);
			matching = items.filter((i) => evaluate(node, i));
		} catch (e) {
			if (e instanceof FilterError) return void mdeError(ctx, 400, 'ODataError', e.message);
			throw e;
		}
	}
	const skip = ints.$skip || 0;
	return matching.slice(skip, skip + (ints.$top === undefined ? MAX_TOP : ints.$top));
}

/** @param {SimCloud} cloud @param {string} entitySet @param {any} value */
function collection(cloud, entitySet, value) {
	return { '@odata.context': `${cloud.mdeEndpoint}/api/$metadata#${entitySet}`, value };
}
/** @param {SimCloud} cloud @param {string} entitySet @param {any} entity */
function entity(cloud, entitySet, entity) {
	return { '@odata.context': `${cloud.mdeEndpoint}/api/$metadata#${entitySet}/$entity`, ...entity };
}

/** Who made the call, as Defender records it. @param {Record<string, any>} p token payload */
function caller(p) {
	return p.scp !== undefined ? { id: String(p.upn), displayName: String(p.upn), kind: /** @type {const} */ ('user') } : { id: String(p.appid), displayName: String(p.app_displayname), kind: /** @type {const} */ ('app') };
}

module.exports = { mdeError, authorize, jsonBody, query, collection, entity, caller };
