// @ts-check
'use strict';

/**
 * HTTP control of the simulated Defender for Endpoint API, under `/_sim/mde/` on the Graph or MDE origin
 * (JSON, no auth, not logged):
 *   GET|POST|DELETE /_sim/mde/machines           list / add (partial, or { count, ...partial }) / remove all (tenant without machines)
 *   GET  /_sim/mde/machine-actions               every machine action, status brought up to now
 *   POST /_sim/mde/machine-actions/timing        { pendingMs?, inProgressMs? } for actions created from now on
 *   POST /_sim/mde/machine-actions/outcome       { outcome: Succeeded|Failed|TimeOut|Cancelled, type?, machineId?, times? }
 *   POST /_sim/mde/advance                       { ms } moves the MDE clock on
 *   GET|POST /_sim/mde/indicators                list / add as the portal would (Defender's validation)
 *   POST /_sim/mde/rate-limit                    { windows: [{ requests, windowMs }] | null, packageUriWindows? }
 *   POST /_sim/mde/delegated-consent             { clientId, scopes: [] } MDE delegated permissions consented for a public client
 */

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * Answers an MDE control route; returns false when the route is not one.
 * @param {SimCloud} cloud @param {RequestContext} ctx @param {string} route "METHOD /path" @param {any} body
 */
function handleMdeControl(cloud, ctx, route, body) {
	const mde = cloud.mde;
	switch (route) {
		case 'GET /_sim/mde/machines':
			ctx.send(200, { value: mde.machines });
			return true;
		case 'POST /_sim/mde/machines': {
			const { count, ...partial } = body || {};
			if (count !== undefined) ctx.send(201, { value: Array.from({ length: Number(count) }, () => mde.addMachine({ ...partial })) });
			else ctx.send(201, mde.addMachine(partial));
			return true;
		}
		case 'DELETE /_sim/mde/machines':
			mde.clearMachines();
			ctx.send(200, { ok: true });
			return true;
		case 'GET /_sim/mde/machine-actions':
			ctx.send(200, { value: mde.actions.list() });
			return true;
		case 'POST /_sim/mde/machine-actions/timing':
			mde.actions.setTiming(body || {});
			ctx.send(200, mde.actions.timing);
			return true;
		case 'POST /_sim/mde/machine-actions/outcome':
			mde.actions.setOutcome(body || {});
			ctx.send(200, { ok: true });
			return true;
		case 'POST /_sim/mde/advance':
			mde.advanceTime(Number((body && body.ms) || 0));
			ctx.send(200, { ok: true });
			return true;
		case 'GET /_sim/mde/indicators':
			ctx.send(200, { value: mde.indicators.items });
			return true;
		case 'POST /_sim/mde/indicators':
			ctx.send(201, mde.addIndicator(body || {}));
			return true;
		case 'POST /_sim/mde/rate-limit':
			mde.setRateLimit(body ? body.windows || null : null, body ? body.packageUriWindows : undefined);
			ctx.send(200, { ok: true });
			return true;
		case 'POST /_sim/mde/delegated-consent':
			mde.setDelegatedConsent(String(body && body.clientId), (body && body.scopes) || []);
			ctx.send(200, { ok: true });
			return true;
	}
	return false;
}

module.exports = { handleMdeControl };
