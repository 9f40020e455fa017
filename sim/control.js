// @ts-check
'use strict';

/**
 * HTTP control of the simulated cloud, under <graphEndpoint>/_sim/ and <mdeEndpoint>/_sim/ (JSON in, JSON out,
 * no auth, not logged). The core's own routes:
 *   GET  /_sim/info                      connection info (urls, CA, tenant, apps with secrets, identities)
 *   POST /_sim/faults                    body: FaultSpec (path: prefix string, or pathRegex: "source")
 *   DELETE /_sim/faults
 *   POST /_sim/latency                   body: { ms }
 *   GET/DELETE /_sim/requests            request log / clear it
 *   GET  /_sim/counts
 * and each service's: entra/control.js (device codes, tokens, apps), graph/control.js (incidents, alerts,
 * hunting rows, rate limit), mde/control.js (/_sim/mde/...).
 */

const { handleEntraControl } = require('./entra/control');
const { handleGraphControl } = require('./graph/control');
const { handleMdeControl } = require('./mde/control');

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */

/** @param {SimCloud} cloud @param {RequestContext} ctx */
function handleControl(cloud, ctx) {
	/** @type {any} */
	let body = null;
	if (ctx.body) {
		try {
			body = JSON.parse(ctx.body);
		} catch {
			return ctx.send(400, { error: 'Body must be JSON.' });
		}
	}
	const route = `${ctx.method} ${ctx.path.replace(/\/+$/, '')}`;
	try {
		switch (route) {
			case 'GET /_sim/info':
				return ctx.send(200, cloud.info());
			case 'POST /_sim/faults': {
				const spec = { ...(body || {}) };
				if (spec.pathRegex) spec.path = new RegExp(spec.pathRegex);
				delete spec.pathRegex;
				cloud.injectFault(spec);
				return ctx.send(200, { ok: true });
			}
			case 'DELETE /_sim/faults':
				cloud.clearFaults();
				return ctx.send(200, { ok: true });
			case 'POST /_sim/latency':
				cloud.setLatency(Number((body && body.ms) || 0));
				return ctx.send(200, { ok: true });
			case 'GET /_sim/requests':
				return ctx.send(200, { value: cloud.requests });
			case 'DELETE /_sim/requests':
				cloud.clearRequests();
				return ctx.send(200, { ok: true });
			case 'GET /_sim/counts':
				return ctx.send(200, cloud.counts());
		}
		if (handleEntraControl(cloud, ctx, route, body) || handleGraphControl(cloud, ctx, route, body)) return;
		if (route.includes(' /_sim/mde/') && handleMdeControl(cloud, ctx, route, body)) return;
		return ctx.send(404, { error: `Unknown control route ${route}` });
	} catch (e) {
		return ctx.send(400, { error: e instanceof Error ? e.message : String(e) });
	}
}

module.exports = { handleControl };
