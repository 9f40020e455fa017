// @ts-check
'use strict';

/** The simulated Microsoft Graph (security v1.0) server. */

const { evaluate, FilterError } = require('./odataFilter');
const { graphDate } = require('./incidents');
const graphSchema = require('./graphSchema');
const { runKql, KqlError } = require('./kql');
const { checkBearer } = require('./bearer');
const { handleAlerts } = require('./alerts');

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */

const READ_INCIDENTS = ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'];
const WRITE_INCIDENTS = ['SecurityIncident.ReadWrite.All'];
const HUNTING = ['ThreatHunting.Read.All'];
/** @type {WeakMap<object, { key: string, text: string }>} last hunting answer per data set */
const huntingCache = new WeakMap();
const SUPPORTED_LIST_OPTIONS = graphSchema.listQueryOptions('incident');

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
 * The incident as Graph answers this request (evolvable enum members hidden without the Prefer header).
 * @param {RequestContext} ctx
 * @param {Record<string, any>} incident
 * @param {boolean} withAlerts
 * @param {string[]} [select] `$select`ed properties (undefined = all)
 */
function present(ctx, incident, withAlerts, select) {
	const { alerts, ...rest } = incident;
	return graphSchema.applySelect(graphSchema.present('incident', withAlerts ? incident : rest, visibility(ctx)), select, ['alerts']);
}

/**
 * @param {RequestContext} ctx
 * @returns {{ ok: true, alerts: boolean } | { ok: false }}
 */
function parseExpand(ctx) {
	const expand = ctx.query.get('$expand');
	if (expand === null) return { ok: true, alerts: false };
	const parts = expand.split(',').map((s) => s.trim());
	for (const part of parts) {
		if (part !== 'alerts') {
			graphError(ctx, 400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${part}' on type 'microsoft.graph.security.incident'.`);
			return { ok: false };
		}
	}
	return { ok: true, alerts: true };
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function listIncidents(cloud, ctx) {
	for (const key of ctx.query.keys()) {
		if (key.startsWith('$') && !SUPPORTED_LIST_OPTIONS.includes(key)) {
			return graphError(ctx, 400, 'BadRequest', `Query option '${key}' is not supported by this API. Supported query options: ${SUPPORTED_LIST_OPTIONS.join(', ')}.`);
		}
	}
	const expand = parseExpand(ctx);
	if (!expand.ok) return;
	const select = graphSchema.parseSelect('incident', ctx.query.get('$select'));
	if ('error' in select) return graphError(ctx, 400, 'BadRequest', select.error);
	const paging = pagingOptions(ctx);
	if (!paging) return;
	let matching = cloud._sortedIncidents();
	const filterText = ctx.query.get('$filter');
	if (filterText !== null) {
		try {
			const node = graphSchema.validateFilter('incident', filterText, visibility(ctx));
			matching = matching.filter((i) => evaluate(node, i));
		} catch (e) {
			if (e instanceof FilterError) return graphError(ctx, 400, 'BadRequest', e.message);
			throw e;
		}
	}
	sendPage(cloud, ctx, {
		collection: 'incidents',
		context: `security/incidents${expand.alerts ? '(alerts())' : ''}`,
		matching,
		pageSize: cloud.options.pageSize,
		paging,
		present: (i) => present(ctx, i, expand.alerts, select.properties),
	});
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
 * @param {RequestContext} ctx
 * @param {string} id
 */
function notFound(ctx, id) {
	graphError(ctx, 404, 'NotFound', `Incident with id '${id}' was not found.`);
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} id
 */
function getIncident(cloud, ctx, id) {
	for (const key of ctx.query.keys()) {
		if (key.startsWith('$') && key !== '$expand' && key !== '$select') {
			return graphError(ctx, 400, 'BadRequest', `Query option '${key}' is not supported by this API. Supported query options: $expand, $select.`);
		}
	}
	const expand = parseExpand(ctx);
	if (!expand.ok) return;
	const select = graphSchema.parseSelect('incident', ctx.query.get('$select'));
	if ('error' in select) return graphError(ctx, 400, 'BadRequest', select.error);
	const incident = cloud.getIncident(id);
	if (!incident) return notFound(ctx, id);
	sendGraph(ctx, 200, { '@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#security/incidents/$entity`, ...present(ctx, incident, expand.alerts, select.properties) });
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
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} id
 */
function patchIncident(cloud, ctx, id) {
	const incident = cloud.getIncident(id);
	if (!incident) return notFound(ctx, id);
	const changes = jsonBody(ctx);
	if (changes === undefined) return;
	const problem = graphSchema.validatePatch('incident', changes, visibility(ctx));
	if (problem) return graphError(ctx, 400, 'BadRequest', problem);
	const updated = cloud._applyIncidentUpdate(id, changes, 'API-App:' + (ctx.principal && ctx.principal.appid));
	sendGraph(ctx, 200, { '@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#security/incidents/$entity`, ...present(ctx, updated, false) });
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} id
 */
function postComment(cloud, ctx, id) {
	const incident = cloud.getIncident(id);
	if (!incident) return notFound(ctx, id);
	const body = jsonBody(ctx);
	if (body === undefined) return;
	if (typeof body.comment !== 'string' || body.comment.trim() === '') {
		return graphError(ctx, 400, 'BadRequest', "The property 'comment' is required and must be a non-empty string.");
	}
	const p = ctx.principal || {};
	const by = p.upn || p.app_displayname || p.appid || 'API-App';
	const comment = {
		'@odata.type': 'microsoft.graph.security.alertComment',
		comment: body.comment,
		createdByDisplayName: by,
		createdDateTime: graphDate(Date.now()),
	};
	incident.comments.push(comment);
	incident.lastUpdateDateTime = cloud._nextUpdateTime(incident);
	sendGraph(ctx, 200, {
		'@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)`,
		value: JSON.parse(JSON.stringify(incident.comments)),
	});
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function runHuntingQuery(cloud, ctx) {
	const body = jsonBody(ctx);
	if (body === undefined) return;
	const parameters = graphSchema.actionParameters('runHuntingQuery', body);
	if ('error' in parameters) return graphError(ctx, 400, 'BadRequest', parameters.error);
	const { query, timespan } = parameters.values;
	if (typeof query !== 'string' || !query.trim()) {
		return graphError(ctx, 400, 'BadRequest', "The 'Query' parameter is required.");
	}
	let sinceMs;
	if (timespan !== undefined && timespan !== null) {
		const ms = parseIsoDuration(String(timespan));
		if (ms === null) return graphError(ctx, 400, 'BadRequest', `The 'Timespan' value '${timespan}' is not a valid ISO 8601 duration.`);
		sinceMs = Date.now() - ms;
	}
	// Same query + timespan over unchanged data = same answer (keeps the 100,000-row benchmark about the client).
	const cacheKey = `${cloud._hunting.version}\u0000${timespan}\u0000${query}`;
	const cached = huntingCache.get(cloud._hunting);
	if (cached && cached.key === cacheKey) return sendGraph(ctx, 200, cached.text);
	try {
		const result = runKql(cloud._hunting, query, { sinceMs });
		const text = JSON.stringify({
			'@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#microsoft.graph.security.huntingQueryResults`,
			schema: result.schema,
			results: result.rows,
		});
		if (!/\b(ago|now)\s*\(/.test(query)) huntingCache.set(cloud._hunting, { key: cacheKey, text });
		sendGraph(ctx, 200, text);
	} catch (e) {
		if (e instanceof KqlError) return graphError(ctx, 400, 'BadRequest', e.message);
		throw e;
	}
}

/** @param {string} s @returns {number | null} milliseconds */
function parseIsoDuration(s) {
	const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s);
	if (!m || s === 'P' || s.endsWith('T')) return null;
	const [d, h, min, sec] = [m[1], m[2], m[3], m[4]].map((x) => Number(x || 0));
	return ((d * 24 + h) * 60 + min) * 60000 + sec * 1000;
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function handleGraph(cloud, ctx) {
	const p = ctx.path;
	let m;
	if (p === '/v1.0/security/incidents') {
		if (ctx.method !== 'GET') return graphError(ctx, 405, 'BadRequest', `The HTTP method '${ctx.method}' is not allowed for this resource.`);
		if (!(ctx.principal = authorize(cloud, ctx, READ_INCIDENTS))) return;
		return listIncidents(cloud, ctx);
	}
	if ((m = /^\/v1\.0\/security\/incidents\/([^/]+)$/.exec(p))) {
		const id = decodeURIComponent(m[1]);
		if (ctx.method === 'GET') {
			if (!(ctx.principal = authorize(cloud, ctx, READ_INCIDENTS))) return;
			return getIncident(cloud, ctx, id);
		}
		if (ctx.method === 'PATCH') {
			if (!(ctx.principal = authorize(cloud, ctx, WRITE_INCIDENTS))) return;
			return patchIncident(cloud, ctx, id);
		}
		return graphError(ctx, 405, 'BadRequest', `The HTTP method '${ctx.method}' is not allowed for this resource.`);
	}
	if ((m = /^\/v1\.0\/security\/incidents\/([^/]+)\/comments$/.exec(p))) {
		if (ctx.method !== 'POST') return graphError(ctx, 405, 'BadRequest', `The HTTP method '${ctx.method}' is not allowed for this resource.`);
		if (!(ctx.principal = authorize(cloud, ctx, WRITE_INCIDENTS))) return;
		return postComment(cloud, ctx, decodeURIComponent(m[1]));
	}
	if (p === '/v1.0/security/runHuntingQuery') {
		if (ctx.method !== 'POST') return graphError(ctx, 405, 'BadRequest', `The HTTP method '${ctx.method}' is not allowed for this resource.`);
		if (!(ctx.principal = authorize(cloud, ctx, HUNTING))) return;
		return runHuntingQuery(cloud, ctx);
	}
	if (p === '/v1.0/security/alerts_v2' || p.startsWith('/v1.0/security/alerts_v2/')) {
		return handleAlerts(cloud, ctx, { sendGraph, graphError, authorize, jsonBody, pagingOptions, sendPage });
	}
	return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${p.split('/').filter(Boolean).pop() || ''}'.`);
}

module.exports = { handleGraph, graphError };
