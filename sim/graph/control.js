// @ts-check
'use strict';

/**
 * HTTP control of the simulated Graph (see ../control.js for the shape):
 *   GET  /_sim/incidents                 current incidents (newest first)
 *   POST /_sim/incidents                 body: partial incident, or { count, ...partial } -> created incident(s)
 *   PATCH /_sim/incidents/:id            body: changes -> incident (as if changed in the portal)
 *   GET  /_sim/alerts                    current alerts (newest first)
 *   POST /_sim/alerts                    body: partial alert (incidentId: into that incident), or { count, ...partial }
 *   PATCH /_sim/alerts/:id               body: changes -> alert (as if changed in the portal)
 *   POST /_sim/hunting-rows              body: { table, rows }
 *   POST /_sim/rate-limit                body: { requests, windowMs } or null
 */

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * What a POST body asks to create: one from a partial, or `{ count, ...partial }` that many (`{ value: [...] }`).
 * @param {any} body @param {(partial: any) => any} one @param {(n: number, partial: any) => any[]} many
 */
function created(body, one, many) {
	const { count, ...partial } = body || {};
	return count !== undefined ? { value: many(Number(count), partial) } : one(partial);
}

/**
 * Answers a Graph control route; returns false when the route is not one.
 * @param {SimCloud} cloud @param {RequestContext} ctx @param {string} route "METHOD /path" @param {any} body
 */
function handleGraphControl(cloud, ctx, route, body) {
	switch (route) {
		case 'GET /_sim/incidents':
			ctx.send(200, { value: cloud.incidents });
			return true;
		case 'POST /_sim/incidents':
			ctx.send(201, created(body, (p) => cloud.createIncident(p), (n, p) => cloud.createIncidents(n, p)));
			return true;
		case 'GET /_sim/alerts':
			ctx.send(200, { value: cloud.alerts });
			return true;
		case 'POST /_sim/alerts':
			ctx.send(201, created(body, (p) => cloud.createAlert(p), (n, p) => cloud.createAlerts(n, p)));
			return true;
		case 'POST /_sim/hunting-rows':
			cloud.setHuntingRows(String(body && body.table), Number(body && body.rows));
			ctx.send(200, { ok: true });
			return true;
		case 'POST /_sim/rate-limit':
			cloud.setRateLimit(body && body.requests ? { requests: Number(body.requests), windowMs: Number(body.windowMs || 1000) } : null);
			ctx.send(200, { ok: true });
			return true;
	}
	let m;
	if (ctx.method === 'PATCH' && (m = /^\/_sim\/incidents\/([^/]+)$/.exec(ctx.path))) {
		ctx.send(200, cloud.updateIncidentAsPortal(decodeURIComponent(m[1]), body || {}));
		return true;
	}
	if (ctx.method === 'PATCH' && (m = /^\/_sim\/alerts\/([^/]+)$/.exec(ctx.path))) {
		ctx.send(200, cloud.updateAlertAsPortal(decodeURIComponent(m[1]), body || {}));
		return true;
	}
	return false;
}

module.exports = { handleGraphControl };
