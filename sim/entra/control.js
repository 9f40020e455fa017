// @ts-check
'use strict';

/**
 * HTTP control of the simulated Entra ID (see ../control.js for the shape):
 *   GET  /_sim/device-codes              device codes handed out (user codes and status)
 *   POST /_sim/device-codes/approve      body: { userCode? }   (newest pending when omitted)
 *   POST /_sim/device-codes/decline      body: { userCode? }
 *   POST /_sim/device-codes/expire
 *   POST /_sim/tokens/expire             all access tokens refused from now on
 *   POST /_sim/refresh-tokens/revoke     all refresh tokens revoked
 *   POST /_sim/refresh-tokens/expire     all refresh tokens expired
 *   POST /_sim/apps                      body: registerApp options -> app
 */

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * Answers an Entra control route; returns false when the route is not one.
 * @param {SimCloud} cloud @param {RequestContext} ctx @param {string} route "METHOD /path" @param {any} body
 */
function handleEntraControl(cloud, ctx, route, body) {
	const ok = () => ctx.send(200, { ok: true });
	switch (route) {
		case 'GET /_sim/device-codes':
			ctx.send(200, { value: cloud.deviceCodeList() });
			return true;
		case 'POST /_sim/device-codes/approve':
			ctx.send(200, cloud.approveDeviceCode(body && body.userCode));
			return true;
		case 'POST /_sim/device-codes/decline':
			ctx.send(200, cloud.declineDeviceCode(body && body.userCode));
			return true;
		case 'POST /_sim/device-codes/expire':
			cloud.expireDeviceCodes();
			ok();
			return true;
		case 'POST /_sim/tokens/expire':
			cloud.expireAccessTokens();
			ok();
			return true;
		case 'POST /_sim/refresh-tokens/revoke':
			cloud.revokeRefreshTokens();
			ok();
			return true;
		case 'POST /_sim/refresh-tokens/expire':
			cloud.expireRefreshTokens();
			ok();
			return true;
		case 'POST /_sim/apps':
			ctx.send(201, cloud.registerApp(body || {}));
			return true;
	}
	return false;
}

module.exports = { handleEntraControl };
