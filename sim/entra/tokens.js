// @ts-check
'use strict';

/** The tokens Entra issues (RS256 JWTs signed with the sim's key) and their state: expired, revoked. */

const crypto = require('crypto');
const { signJwt, guid } = require('../util');
const { isMdePermission } = require('../mde/permissions');

/** @typedef {import('../cloud').SimCloud} SimCloud */

const DAY = 24 * 3600 * 1000;

/** @param {SimCloud} cloud @param {Record<string, any>} payload */
function signToken(cloud, payload) {
	return signJwt(payload, cloud._signingKey);
}

/**
 * `aud` defaults to Graph; app roles are those of that audience's API only, as in Entra's `roles` claim.
 * @param {SimCloud} cloud
 * @param {{ kind: 'app' | 'user', aud?: string, clientId: string, appDisplayName?: string, roles?: string[], scp?: string[], acr: string, oid?: string, managedIdentity?: boolean }} o
 */
function issueAccessToken(cloud, o) {
	const now = Math.floor(Date.now() / 1000);
	const lifetime = cloud.options.accessTokenLifetimeSec;
	const uti = crypto.randomBytes(16).toString('base64url');
	const iss = `https://sts.windows.net/${cloud.tenantId}/`;
	/** @type {Record<string, any>} */
	const payload = {
		aud: o.aud || cloud.graphEndpoint,
		iss,
		iat: now,
		nbf: now,
		exp: now + lifetime,
		aio: crypto.randomBytes(24).toString('base64url'),
		app_displayname: o.appDisplayName || 'Microsoft Graph Command Line Tools',
		appid: o.clientId,
		appidacr: o.acr,
		idp: iss,
		idtyp: o.kind,
		rh: '0.sim.',
		tid: cloud.tenantId,
		uti,
		ver: '1.0',
		xms_tcdt: Math.floor(cloud.startedAt / 1000) - 86400 * 400,
	};
	if (o.kind === 'app') {
		payload.oid = o.oid || guid();
		payload.sub = payload.oid;
		const forMde = payload.aud === cloud.mdeEndpoint;
		payload.roles = (o.roles || []).filter((r) => isMdePermission(r) === forMde);
		if (o.managedIdentity) payload.xms_mirid = '/subscriptions/00000000-0000-0000-0000-000000000000/sim';
	} else {
		payload.scp = (o.scp || []).join(' ');
		payload.oid = cloud.user.oid;
		payload.sub = crypto.createHash('sha256').update(cloud.user.oid + o.clientId).digest('base64url').slice(0, 43);
		payload.upn = cloud.user.userPrincipalName;
		payload.unique_name = cloud.user.userPrincipalName;
		payload.name = cloud.user.displayName;
		payload.amr = ['pwd', 'mfa'];
	}
	const accessToken = signToken(cloud, payload);
	const expiresAtMs = (now + lifetime) * 1000;
	cloud.accessTokens.set(uti, { accessToken, expiresAtMs, expired: false, kind: o.kind, clientId: o.clientId });
	return { accessToken, expiresIn: lifetime, expiresAtMs };
}

/** @param {SimCloud} cloud @param {{ clientId: string, scopes: string[], oidc: string[] }} o */
function issueRefreshToken(cloud, o) {
	const token = '1.AXkA' + crypto.randomBytes(96).toString('base64url');
	cloud.refreshTokens.set(token, { ...o, issuedAt: Date.now(), expiresAt: Date.now() + 90 * DAY, revoked: false });
	return token;
}

/** Every access token issued so far is refused by Graph from now on (401 InvalidAuthenticationToken). @param {SimCloud} cloud */
function expireAccessTokens(cloud) {
	for (const t of cloud.accessTokens.values()) t.expired = true;
}

/** Every refresh token issued so far is revoked (invalid_grant AADSTS50173). @param {SimCloud} cloud */
function revokeRefreshTokens(cloud) {
	const now = Date.now();
	for (const t of cloud.refreshTokens.values()) {
		t.revoked = true;
		t.revokedAt = now;
	}
}

/** Every refresh token issued so far has expired (invalid_grant AADSTS700082). @param {SimCloud} cloud */
function expireRefreshTokens(cloud) {
	for (const t of cloud.refreshTokens.values()) t.expiresAt = Date.now() - 1;
}

module.exports = { signToken, issueAccessToken, issueRefreshToken, expireAccessTokens, revokeRefreshTokens, expireRefreshTokens };
