// @ts-check
'use strict';

/** The simulated Microsoft Graph (security v1.0) server: incidents, alerts_v2, runHuntingQuery. */

const { graphError, authorize, methodNotAllowed, segmentNotFound } = require('./http');
const { READ_INCIDENTS, WRITE_INCIDENTS, listIncidents, getIncident, patchIncident, postComment } = require('./incidentRoutes');
const { HUNTING, runHuntingQuery } = require('./hunting');
const { handleAlerts } = require('./alertRoutes');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * Routes a Graph request, after the rate limit (`cloud.setRateLimit`: 429 + Retry-After above it).
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function handleGraph(cloud, ctx) {
	if (cloud._rateLimit) {
		const now = Date.now();
		const { requests, windowMs } = cloud._rateLimit;
		cloud._rateWindow = cloud._rateWindow.filter((t) => t > now - windowMs);
		if (cloud._rateWindow.length >= requests) {
			const retryAfter = Math.max(1, Math.ceil((cloud._rateWindow[0] + windowMs - now) / 1000));
			return graphError(ctx, 429, 'TooManyRequests', 'Too many requests. Please retry after the time given in the Retry-After header.', { 'retry-after': String(retryAfter) });
		}
		cloud._rateWindow.push(now);
	}
	const p = ctx.path;
	let m;
	if (p === '/v1.0/security/incidents') {
		if (ctx.method !== 'GET') return methodNotAllowed(ctx);
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
		return methodNotAllowed(ctx);
	}
	if ((m = /^\/v1\.0\/security\/incidents\/([^/]+)\/comments$/.exec(p))) {
		if (ctx.method !== 'POST') return methodNotAllowed(ctx);
		if (!(ctx.principal = authorize(cloud, ctx, WRITE_INCIDENTS))) return;
		return postComment(cloud, ctx, decodeURIComponent(m[1]));
	}
	if (p === '/v1.0/security/runHuntingQuery') {
		if (ctx.method !== 'POST') return methodNotAllowed(ctx);
		if (!(ctx.principal = authorize(cloud, ctx, HUNTING))) return;
		return runHuntingQuery(cloud, ctx);
	}
	if (p === '/v1.0/security/alerts_v2' || p.startsWith('/v1.0/security/alerts_v2/')) {
		return handleAlerts(cloud, ctx);
	}
	return segmentNotFound(ctx);
}

module.exports = { handleGraph, graphError };
