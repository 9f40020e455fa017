// @ts-check
'use strict';

/**
 * HTTP control of the simulated cloud, under <graphEndpoint>/_sim/ (JSON in, JSON out, no auth):
 *   GET  /_sim/info                      connection info (urls, CA, tenant, apps with secrets, identities)
 *   GET  /_sim/incidents                 current incidents (newest first)
 *   POST /_sim/incidents                 body: partial incident, or { count, ...partial } -> created incident(s)
 *   PATCH /_sim/incidents/:id            body: changes -> incident (as if changed in the portal)
 *   POST /_sim/device-codes/approve      body: { userCode? }   (newest pending when omitted)
 *   POST /_sim/device-codes/decline      body: { userCode? }
 *   POST /_sim/device-codes/expire
 *   GET  /_sim/device-codes              device codes handed out (user codes and status)
 *   POST /_sim/tokens/expire             all access tokens refused from now on
 *   POST /_sim/refresh-tokens/revoke     all refresh tokens revoked
 *   POST /_sim/refresh-tokens/expire     all refresh tokens expired
 *   POST /_sim/faults                    body: FaultSpec (path: prefix string, or pathRegex: "source")
 *   DELETE /_sim/faults
 *   POST /_sim/rate-limit                body: { requests, windowMs } or null
 *   POST /_sim/latency                   body: { ms }
 *   POST /_sim/hunting-rows              body: { table, rows }
 *   POST /_sim/apps                      body: registerApp options -> app
 *   GET/DELETE /_sim/requests            request log / clear it
 *   GET  /_sim/counts
 *   /_sim/mde/...                        Defender for Endpoint controls: see mde/control.js
 * The same routes answer on the MDE origin (<mdeEndpoint>/_sim/...).
 */

const { handleMdeControl } = require('./mde/control');

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
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
		let m;
		switch (route) {
			case 'GET /_sim/info':
				return ctx.send(200, cloud.info());
			case 'GET /_sim/incidents':
				return ctx.send(200, { value: cloud.incidents });
			case 'POST /_sim/incidents': {
				const { count, ...partial } = body || {};
				if (count !== undefined) return ctx.send(201, { value: cloud.createIncidents(Number(count), partial) });
				return ctx.send(201, cloud.createIncident(partial));
			}
			case 'POST /_sim/device-codes/approve':
				return ctx.send(200, cloud.approveDeviceCode(body && body.userCode));
			case 'POST /_sim/device-codes/decline':
				return ctx.send(200, cloud.declineDeviceCode(body && body.userCode));
			case 'POST /_sim/device-codes/expire':
				cloud.expireDeviceCodes();
				return ctx.send(200, { ok: true });
			case 'GET /_sim/device-codes':
				return ctx.send(200, { value: cloud.deviceCodeList() });
			case 'POST /_sim/tokens/expire':
				cloud.expireAccessTokens();
				return ctx.send(200, { ok: true });
			case 'POST /_sim/refresh-tokens/revoke':
				cloud.revokeRefreshTokens();
				return ctx.send(200, { ok: true });
			case 'POST /_sim/refresh-tokens/expire':
				cloud.expireRefreshTokens();
				return ctx.send(200, { ok: true });
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
			case 'POST /_sim/rate-limit':
				cloud.setRateLimit(body && body.requests ? { requests: Number(body.requests), windowMs: Number(body.windowMs || 1000) } : null);
				return ctx.send(200, { ok: true });
			case 'POST /_sim/latency':
				cloud.setLatency(Number((body && body.ms) || 0));
				return ctx.send(200, { ok: true });
			case 'POST /_sim/hunting-rows':
				cloud.setHuntingRows(String(body && body.table), Number(body && body.rows));
				return ctx.send(200, { ok: true });
			case 'POST /_sim/apps':
				return ctx.send(201, cloud.registerApp(body || {}));
			case 'GET /_sim/requests':
				return ctx.send(200, { value: cloud.requests });
			case 'DELETE /_sim/requests':
				cloud.clearRequests();
				return ctx.send(200, { ok: true });
			case 'GET /_sim/counts':
				return ctx.send(200, cloud.counts());
		}
		if (route.includes(' /_sim/mde/') && handleMdeControl(cloud, ctx, route, body)) return;
		if (ctx.method === 'PATCH' && (m = /^\/_sim\/incidents\/([^/]+)$/.exec(ctx.path))) {
			return ctx.send(200, cloud.updateIncidentAsPortal(decodeURIComponent(m[1]), body || {}));
		}
		return ctx.send(404, { error: `Unknown control route ${route}` });
	} catch (e) {
		return ctx.send(400, { error: e instanceof Error ? e.message : String(e) });
	}
}

module.exports = { handleControl };
