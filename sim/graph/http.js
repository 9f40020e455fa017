// @ts-check
'use strict';

/**
 * What every simulated Graph endpoint shares: Graph's JSON content type and error shape, the bearer check with
 * Graph's 401/403 wording, JSON bodies, `$top`/`$skip`/`$count` and pages with `@odata.nextLink`.
 */

const { checkBearer } = require('../bearer');
const { evaluate, FilterError } = require('../odataFilter');
const graphSchema = require('./schema');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/**
 * JSON answer with the content type Graph uses.
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {any} body
 * @param {Record<string, string>} [headers]
 */
function sendGraph(ctx, status, body, headers) {
	ctx.sendRaw(status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': GRAPH_JSON, ...(headers || {}) });
}

/**
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
function graphError(ctx, status, code, message, headers) {
	sendGraph(ctx,
		status,
		{
			error: {
				code,
				message,
				innerError: {
					date: new Date().toISOString().replace(/\.\d+Z$/, ''),
					'request-id': ctx.requestId,
					'client-request-id': ctx.headers['client-request-id'] ? String(ctx.headers['client-request-id']) : ctx.requestId,
				},
			},
		},
		headers,
	);
}

/** Graph's words for each refusal of checkBearer. */
const GRAPH_401_MESSAGES = {
	empty: 'Access token is empty.',
	malformed: 'IDX14100: JWT is not well formed, there are no dots (.).',
	signature: 'Invalid signature.',
	expired: 'Lifetime validation failed, the token is expired.',
	audience: 'Invalid audience.',
};

/**
 * Checks the bearer token; answers 401/403 itself and returns null when the request may not go on.
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string[]} anyOf permissions, one of which is needed
 */
function authorize(cloud, ctx, anyOf) {
	const check = checkBearer(cloud, ctx, cloud.graphEndpoint, anyOf);
	if (check.ok) return check.payload;
	if (check.status === 401) {
		const wwwAuth = {
			'www-authenticate': `Bearer realm="", authorization_uri="${cloud.authorityHost}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
		};
		graphError(ctx, 401, 'InvalidAuthenticationToken', GRAPH_401_MESSAGES[check.reason], wwwAuth);
	} else if (check.reason === 'scope') {
		graphError(ctx, 403, 'Forbidden', `Missing scope permissions on the request. API requires one of '${anyOf.join(', ')}'. Scopes on the request '${check.granted.join(', ')}'`);
	} else {
		graphError(ctx, 403, 'Forbidden', `Missing role permissions on the request. API requires one of '${anyOf.join(', ')}'. Roles on the request '${check.granted.join(', ')}'.`);
	}
	return null;
}

/** Whether the request asked for evolvable enum members (`Prefer: include-unknown-enum-members`). @param {RequestContext} ctx */
function visibility(ctx) {
	return { includeUnknown: graphSchema.wantsUnknownEnumMembers(ctx.headers) };
}

/**
 * @param {RequestContext} ctx
 * @returns {any} parsed JSON body or undefined (error already sent)
 */
function jsonBody(ctx) {
	const ct = String(ctx.headers['content-type'] || '');
	if (!/application\/json/i.test(ct)) {
		graphError(ctx, 415, 'UnsupportedMediaType', `Content-Type '${ct}' is not supported. Use 'application/json'.`);
		return undefined;
	}
	try {
		const v = JSON.parse(ctx.body || '');
		if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
		return v;
	} catch {
		graphError(ctx, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
		return undefined;
	}
}

/**
 * `$top`, `$skip` and `$count` of a list request; answers 400 itself and returns null when one is invalid.
 * @param {RequestContext} ctx
 * @returns {{ top?: number, skip: number, count: boolean } | null}
 */
function pagingOptions(ctx) {
	/** @param {string} name */
	const intOption = (name) => {
		const raw = ctx.query.get(name);
		if (raw === null) return undefined;
		if (!/^\d+$/.test(raw)) {
			graphError(ctx, 400, 'BadRequest', `Invalid value '${raw}' for query option '${name}'. The value must be a non-negative integer.`);
			return null;
		}
		return Number(raw);
	};
	const top = intOption('$top');
	if (top === null) return null;
	const skip = intOption('$skip');
	if (skip === null) return null;
	const countRaw = ctx.query.get('$count');
	if (countRaw !== null && countRaw !== 'true' && countRaw !== 'false') {
		graphError(ctx, 400, 'BadRequest', `Invalid value '${countRaw}' for query option '$count'. The value must be 'true' or 'false'.`);
		return null;
	}
	return { top, skip: skip || 0, count: countRaw === 'true' };
}

/**
 * One page of a collection, as Graph answers it: $top is the page size (capped at the service's page size),
 * `@odata.count` when asked, an absolute `$skip`-based `@odata.nextLink` while more remain.
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {{ collection: string, context: string, matching: Record<string, any>[], pageSize: number,
 *   paging: { top?: number, skip: number, count: boolean }, present: (item: Record<string, any>) => any }} o
 */
function sendPage(cloud, ctx, o) {
	const { skip: start, top, count } = o.paging;
	const page = o.matching.slice(start, start + Math.min(o.pageSize, top === undefined ? o.pageSize : top));
	/** @type {Record<string, any>} */
	const body = { '@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#${o.context}` };
	if (count) body['@odata.count'] = o.matching.length;
	const nextStart = start + page.length;
	if (page.length > 0 && nextStart < o.matching.length) {
		/** @type {string[]} */
		const parts = [];
		for (const [k, v] of ctx.query.entries()) {
			if (k !== '$skip') parts.push(`${k.startsWith('$') ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`);
		}
		parts.push(`$skip=${nextStart}`);
		body['@odata.nextLink'] = `${cloud.graphEndpoint}/v1.0/security/${o.collection}?${parts.join('&')}`;
	}
	body.value = page.map(o.present);
	sendGraph(ctx, 200, body);
}

/**
 * Refuses a `$` query option the API does not support (400); returns false when it did.
 * @param {RequestContext} ctx @param {string[]} supported
 */
function queryOptionsSupported(ctx, supported) {
	for (const key of ctx.query.keys()) {
		if (key.startsWith('$') && !supported.includes(key)) {
			graphError(ctx, 400, 'BadRequest', `Query option '${key}' is not supported by this API. Supported query options: ${supported.join(', ')}.`);
			return false;
		}
	}
	return true;
}

/**
 * The items that match the request's `$filter` (all without one), checked against what Graph allows for
 * `entity`; null after answering 400 for a filter Graph refuses.
 * @param {RequestContext} ctx @param {'incident' | 'alert'} entity @param {Record<string, any>[]} items
 */
function filtered(ctx, entity, items) {
	const filterText = ctx.query.get('$filter');
	if (filterText === null) return items;
	try {
		const node = graphSchema.validateFilter(entity, filterText, visibility(ctx));
		return items.filter((item) => evaluate(node, item));
	} catch (e) {
		if (e instanceof FilterError) {
			graphError(ctx, 400, 'BadRequest', e.message);
			return null;
		}
		throw e;
	}
}

/** @param {RequestContext} ctx */
function methodNotAllowed(ctx) {
	graphError(ctx, 405, 'BadRequest', `The HTTP method '${ctx.method}' is not allowed for this resource.`);
}

/** @param {RequestContext} ctx */
function segmentNotFound(ctx) {
	graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${ctx.path.split('/').filter(Boolean).pop() || ''}'.`);
}

module.exports = { sendGraph, graphError, authorize, visibility, jsonBody, pagingOptions, sendPage, queryOptionsSupported, filtered, methodNotAllowed, segmentNotFound };
