// @ts-check
'use strict';

/** The simulated Microsoft Graph (security v1.0) server. */

const { evaluate, FilterError } = require('./odataFilter');
const { graphDate } = require('./incidents');
const graphSchema = require('./graphSchema');
const { runKql, KqlError } = require('./kql');
const { decodeJwt, verifyJwtSignature } = require('./util');

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */

const READ_INCIDENTS = ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'];
const WRITE_INCIDENTS = ['SecurityIncident.ReadWrite.All'];
const HUNTING = ['ThreatHunting.Read.All'];
/** @type {WeakMap<object, { key: string, text: string }>} last hunting answer per data set */
const huntingCache = new WeakMap();
const SUPPORTED_LIST_OPTIONS = graphSchema.SCHEMA.entities.incident.queryOptions;

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

/**
 * Checks the bearer token; answers 401/403 itself and returns null when the request may not go on.
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string[]} anyOf permissions, one of which is needed
 */
function authorize(cloud, ctx, anyOf) {
	const wwwAuth = {
		'www-authenticate': `Bearer realm="", authorization_uri="${cloud.authorityHost}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
	};
	const m = /^Bearer\s+(.+)$/i.exec(String(ctx.headers.authorization || ''));
	if (!m) {
		graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token is empty.', wwwAuth);
		return null;
	}
	const jwt = decodeJwt(m[1].trim());
	if (!jwt) {
		graphError(ctx, 401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed, there are no dots (.).', wwwAuth);
		return null;
	}
	const record = cloud.accessTokens.get(jwt.payload.uti);
	if (!record || !verifyJwtSignature(jwt, cloud._signingKey.publicKeyPem)) {
		graphError(ctx, 401, 'InvalidAuthenticationToken', 'Invalid signature.', wwwAuth);
		return null;
	}
	const now = Date.now();
	if (record.expired || now >= jwt.payload.exp * 1000) {
		graphError(ctx, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', wwwAuth);
		return null;
	}
	if (String(jwt.payload.aud).replace(/\/+$/, '') !== cloud.graphEndpoint) {
		graphError(ctx, 401, 'InvalidAuthenticationToken', 'Invalid audience.', wwwAuth);
		return null;
	}
	const p = jwt.payload;
	if (p.scp !== undefined) {
		const scopes = String(p.scp).split(' ').filter(Boolean);
		if (!anyOf.some((x) => scopes.includes(x))) {
			graphError(ctx, 403, 'Forbidden', `Missing scope permissions on the request. API requires one of '${anyOf.join(', ')}'. Scopes on the request '${scopes.join(', ')}'`);
			return null;
		}
	} else {
		const roles = Array.isArray(p.roles) ? p.roles : [];
		if (!anyOf.some((x) => roles.includes(x))) {
			graphError(ctx, 403, 'Forbidden', `Missing role permissions on the request. API requires one of '${anyOf.join(', ')}'. Roles on the request '${roles.join(', ')}'.`);
			return null;
		}
	}
	return p;
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
 */
function present(ctx, incident, withAlerts) {
	const { alerts, ...rest } = incident;
	return graphSchema.present('incident', withAlerts ? incident : rest, visibility(ctx));
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
	const pageSize = cloud.options.pageSize;
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
	if (top === null) return;
	const skip = intOption('$skip');
	if (skip === null) return;
	const countRaw = ctx.query.get('$count');
	if (countRaw !== null && countRaw !== 'true' && countRaw !== 'false') {
		return graphError(ctx, 400, 'BadRequest', `Invalid value '${countRaw}' for query option '$count'. The value must be 'true' or 'false'.`);
	}
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
	// As in Graph, $top is the page size (capped at the service's page size); @odata.nextLink carries on.
	const start = skip || 0;
	const take = Math.min(pageSize, top === undefined ? pageSize : top);
	const page = matching.slice(start, start + take);
	/** @type {Record<string, any>} */
	const body = { '@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#security/incidents${expand.alerts ? '(alerts())' : ''}` };
	if (countRaw === 'true') body['@odata.count'] = matching.length;
	const nextStart = start + page.length;
	if (page.length > 0 && nextStart < matching.length) {
		/** @type {string[]} */
		const parts = [];
		for (const [k, v] of ctx.query.entries()) {
			if (k !== '$skip') parts.push(`${k.startsWith('$') ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`);
		}
		parts.push(`$skip=${nextStart}`);
		body['@odata.nextLink'] = `${cloud.graphEndpoint}/v1.0/security/incidents?${parts.join('&')}`;
	}
	body.value = page.map((i) => present(ctx, i, expand.alerts));
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
		if (key.startsWith('$') && key !== '$expand') {
			return graphError(ctx, 400, 'BadRequest', `Query option '${key}' is not supported by this API. Supported query options: $expand.`);
		}
	}
	const expand = parseExpand(ctx);
	if (!expand.ok) return;
	const incident = cloud.getIncident(id);
	if (!incident) return notFound(ctx, id);
	sendGraph(ctx, 200, { '@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#security/incidents/$entity`, ...present(ctx, incident, expand.alerts) });
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
	return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${p.split('/').filter(Boolean).pop() || ''}'.`);
}

module.exports = { handleGraph, graphError };
