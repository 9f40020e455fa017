// @ts-check
'use strict';

/**
 * The device authorization grant (RFC 8628) as Entra answers it: POST /{tenant}/oauth2/v2.0/devicecode, the
 * device_code grant of the token endpoint, and the /devicelogin page where the user approves or declines.
 * The codes handed out live in `cloud.deviceCodes`.
 */

const crypto = require('crypto');
const { EntraError, tenantNotFound, missingParameter } = require('./errors');
const { resolveTenant, parseScopes } = require('./resources');
const { requirePublicClient, sendDelegatedTokens } = require('./delegated');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/** @typedef {{ deviceCode: string, userCode: string, clientId: string, scopes: string[], oidc: string[], createdAt: number, expiresAt: number, status: 'pending' | 'approved' | 'declined' | 'redeemed', polls: number }} DeviceCode */

/**
 * A new device code for `clientId` (a user code unique among those handed out).
 * @param {SimCloud} cloud @param {string} clientId @param {string[]} scopes @param {string[]} oidc
 */
function startDeviceCode(cloud, clientId, scopes, oidc) {
	const letters = 'BCDFGHJKLMNPQRSTVWXZ';
	let userCode = '';
	do {
		const b = crypto.randomBytes(8);
		const chars = Array.from(b, (x) => letters[x % letters.length]);
		userCode = chars.slice(0, 4).join('') + '-' + chars.slice(4).join('');
	} while ([...cloud.deviceCodes.values()].some((d) => d.userCode === userCode));
	/** @type {DeviceCode} */
	const dc = {
		deviceCode: 'DAQABIQEAAA' + crypto.randomBytes(64).toString('base64url'),
		userCode,
		clientId,
		scopes,
		oidc,
		createdAt: Date.now(),
		expiresAt: Date.now() + cloud.options.deviceCodeLifetimeSec * 1000,
		status: 'pending',
		polls: 0,
	};
	cloud.deviceCodes.set(dc.deviceCode, dc);
	return dc;
}

/** @param {SimCloud} cloud @param {string | undefined} userCode */
function findPendingDeviceCode(cloud, userCode) {
	const now = Date.now();
	const pending = [...cloud.deviceCodes.values()].filter((d) => d.status === 'pending' && d.expiresAt > now);
	if (!userCode) {
		const newest = pending.sort((a, b) => b.createdAt - a.createdAt)[0];
		if (!newest) throw new Error('There is no pending device code sign-in.');
		return newest;
	}
	const norm = (/** @type {string} */ s) => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
	const found = [...cloud.deviceCodes.values()].find((d) => norm(d.userCode) === norm(userCode));
	if (!found) throw new Error(`The code '${userCode}' is not valid. Check the code and try again.`);
	if (found.expiresAt <= now) throw new Error(`The code '${userCode}' has expired. Go back to the app and request a new code.`);
	if (found.status !== 'pending') throw new Error(`The code '${userCode}' was already used.`);
	return found;
}

/** Approves a device-code sign-in as the sim's user (newest pending one when no code is given). @param {SimCloud} cloud @param {string} [userCode] */
function approveDeviceCode(cloud, userCode) {
	const dc = findPendingDeviceCode(cloud, userCode);
	dc.status = 'approved';
	return { userCode: dc.userCode, clientId: dc.clientId };
}

/** @param {SimCloud} cloud @param {string} [userCode] */
function declineDeviceCode(cloud, userCode) {
	const dc = findPendingDeviceCode(cloud, userCode);
	dc.status = 'declined';
	return { userCode: dc.userCode, clientId: dc.clientId };
}

/** @param {SimCloud} cloud */
function expireDeviceCodes(cloud) {
	for (const d of cloud.deviceCodes.values()) d.expiresAt = Date.now() - 1;
}

/** Device codes handed out so far (newest first), without the device_code secret. @param {SimCloud} cloud */
function deviceCodeList(cloud) {
	return [...cloud.deviceCodes.values()]
		.sort((a, b) => b.createdAt - a.createdAt)
		.map((d) => ({ userCode: d.userCode, clientId: d.clientId, status: d.status, polls: d.polls, expiresAt: new Date(d.expiresAt).toISOString() }));
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} tenantSegment
 */
function deviceCodeStart(cloud, ctx, tenantSegment) {
	if (!resolveTenant(cloud, tenantSegment)) throw tenantNotFound(tenantSegment);
	const form = Object.fromEntries(new URLSearchParams(ctx.body));
	requirePublicClient(cloud, form.client_id);
	const { oidc, resourceScopes } = parseScopes(cloud, form.scope);
	const dc = startDeviceCode(cloud, form.client_id, resourceScopes.map((s) => s.raw), oidc);
	const verificationUri = `${cloud.authorityHost}/devicelogin`;
	ctx.send(200, {
		user_code: dc.userCode,
		device_code: dc.deviceCode,
		verification_uri: verificationUri,
		expires_in: Math.round((dc.expiresAt - Date.now()) / 1000),
		interval: cloud.options.deviceCodeIntervalSec,
		message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${dc.userCode} to authenticate.`,
	});
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {Record<string, string>} form
 */
function deviceCodeGrant(cloud, ctx, form) {
	requirePublicClient(cloud, form.client_id);
	const code = form.device_code;
	if (!code) throw missingParameter('device_code');
	const dc = cloud.deviceCodes.get(code);
	if (!dc || dc.clientId !== form.client_id) {
		throw new EntraError(400, 'invalid_grant', 70000, "The provided value for the input parameter 'device_code' is not valid.");
	}
	dc.polls++;
	if (dc.status === 'redeemed') {
		throw new EntraError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
	}
	if (Date.now() >= dc.expiresAt) {
		throw new EntraError(400, 'expired_token', 70019, 'Verification code expired.');
	}
	if (dc.status === 'declined') {
		throw new EntraError(400, 'authorization_declined', 70000, 'The user declined the authorization request.');
	}
	if (dc.status === 'pending') {
		throw new EntraError(400, 'authorization_pending', 70016, 'The provided request has not yet been authorized by the user. The user must input their code.');
	}
	dc.status = 'redeemed';
	sendDelegatedTokens(cloud, ctx, {
		clientId: dc.clientId,
		scopes: dc.scopes,
		oidc: dc.oidc,
		wantClientInfo: form.client_info === '1',
	});
}

/** @param {string} s */
function escapeHtml(s) {
	return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] || c);
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function deviceLoginPage(cloud, ctx) {
	let message = '';
	let prefill = ctx.query.get('otc') || '';
	if (ctx.method === 'POST') {
		const form = Object.fromEntries(new URLSearchParams(ctx.body));
		const code = String(form.user_code || '').trim().toUpperCase();
		prefill = code;
		try {
			if (form.action === 'decline') {
				declineDeviceCode(cloud, code);
				message = `Sign-in declined for code ${code}. You can close this window.`;
			} else {
				approveDeviceCode(cloud, code);
				message = `You have signed in to the application as ${cloud.user.userPrincipalName}. You can close this window.`;
			}
		} catch (e) {
			message = e instanceof Error ? e.message : String(e);
		}
	}
	const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>Enter code - Simulated Microsoft sign-in</title>
<style>body{font-family:Segoe UI,Arial,sans-serif;background:#f2f2f2}main{max-width:420px;margin:60px auto;background:#fff;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
input{font-size:1.2em;width:100%;padding:6px;box-sizing:border-box;margin:12px 0}button{padding:8px 20px;margin-right:8px}.msg{padding:8px;background:#eef}</style></head>
<body><main><h2>Enter code</h2><p>Simulated Microsoft Entra ID (tenant ${escapeHtml(cloud.tenantDisplayName)}). Enter the code displayed on your app or device.</p>
${message ? `<p class="msg" id="message">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/devicelogin"><input name="user_code" id="user_code" placeholder="Code" value="${escapeHtml(prefill)}" autocomplete="off">
<p>Signing in as <b>${escapeHtml(cloud.user.userPrincipalName)}</b>.</p>
<button type="submit" name="action" value="approve" id="approve">Approve</button><button type="submit" name="action" value="decline" id="decline">Decline</button></form>
</main></body></html>`;
	ctx.sendRaw(200, html, { 'content-type': 'text/html; charset=utf-8' });
}

module.exports = { deviceCodeStart, deviceCodeGrant, deviceLoginPage, approveDeviceCode, declineDeviceCode, expireDeviceCodes, deviceCodeList };
