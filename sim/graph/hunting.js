// @ts-check
'use strict';

/** POST /v1.0/security/runHuntingQuery: the query runs on the generated tables (kql.js, huntingTables.js). */

const graphSchema = require('./schema');
const { runKql, KqlError } = require('./kql');
const { sendGraph, graphError, jsonBody } = require('./http');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

const HUNTING = ['ThreatHunting.Read.All'];

/** @type {WeakMap<object, { key: string, text: string }>} last hunting answer per data set */
const huntingCache = new WeakMap();

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

module.exports = { HUNTING, runHuntingQuery };
