// @ts-check
'use strict';

/** Delegated tokens for the sim's user (public clients): the token answer, and the refresh-token grant. */

const crypto = require('crypto');
const { b64url } = require('../util');
const { EntraError, unknownApp, missingParameter } = require('./errors');
const { audienceOf, parseScopes } = require('./resources');
const { getApp } = require('./apps');
const { issueAccessToken, issueRefreshToken, signToken } = require('./tokens');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * @param {SimCloud} cloud
 * @param {string} clientId
 */
function requirePublicClient(cloud, clientId) {
	if (!clientId) throw missingParameter('client_id');
	if (cloud.publicClientIds.has(clientId)) return;
	const app = getApp(cloud, clientId);
	if (!app) throw unknownApp(cloud, clientId);
	throw new EntraError(
		401,
		'invalid_client',
		7000218,
		"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
	);
}

/** The audience of a delegated request: the resource its scopes name (Graph when none). @param {SimCloud} cloud @param {string[]} scopes */
function delegatedAudience(cloud, scopes) {
	const first = scopes.find((s) => s.includes('/'));
	return (first && audienceOf(cloud, first.slice(0, first.lastIndexOf('/')))) || cloud.graphEndpoint;
}

/**
 * The Defender for Endpoint permissions a public client gets for the user: those admin-consented for it
 * (`cloud.mde.delegatedConsent`), all of them for `/.default`; none consented -> AADSTS65001 like Entra.
 * @param {SimCloud} cloud @param {string} clientId @param {string[]} scopes
 */
function mdeDelegatedGrant(cloud, clientId, scopes) {
	const consented = cloud.mde.delegatedConsent.get(clientId) || [];
	const names = scopes.map((s) => s.slice(s.lastIndexOf('/') + 1));
	const granted = names.includes('.default') ? consented : consented.filter((n) => names.includes(n));
	if (!granted.length) {
		throw new EntraError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${clientId}' named '${clientId}'. Send an interactive authorization request for this user and resource.`);
	}
	return granted.map((n) => `${cloud.mdeEndpoint}/${n}`);
}

/**
 * Delegated token response for the sim's user.
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {{ clientId: string, scopes: string[], oidc: string[], wantClientInfo: boolean, familyId?: string, refreshScopes?: string[] }} o
 */
function sendDelegatedTokens(cloud, ctx, o) {
	const user = cloud.user;
	const audience = delegatedAudience(cloud, o.scopes);
	const granted = audience === cloud.graphEndpoint ? o.scopes.filter((s) => user.scopes.includes(s.slice(s.lastIndexOf('/') + 1))) : mdeDelegatedGrant(cloud, o.clientId, o.scopes);
	const scpNames = granted.map((s) => s.slice(s.lastIndexOf('/') + 1));
	const token = issueAccessToken(cloud, { kind: 'user', aud: audience, clientId: o.clientId, scp: scpNames, acr: '0' });
	/** @type {Record<string, any>} */
	const body = {
		token_type: 'Bearer',
		scope: [...granted, ...o.oidc.filter((s) => s !== 'offline_access')].join(' '),
		expires_in: token.expiresIn,
		ext_expires_in: token.expiresIn,
		access_token: token.accessToken,
	};
	if (o.oidc.includes('offline_access')) {
		// A refresh token is not tied to one resource: redeeming it for Defender for Endpoint keeps the Graph grant.
		body.refresh_token = issueRefreshToken(cloud, { clientId: o.clientId, scopes: o.refreshScopes || granted, oidc: o.oidc });
		// Microsoft's own public clients (Graph Command Line Tools among them) belong to the "family of client ids".
		if (cloud.familyClientIds.has(o.clientId)) body.foci = '1';
	}
	if (o.oidc.includes('openid')) {
		const now = Math.floor(Date.now() / 1000);
		body.id_token = signToken(cloud, {
			aud: o.clientId,
			iss: `${cloud.authorityHost}/${cloud.tenantId}/v2.0`,
			iat: now,
			nbf: now,
			exp: now + 3600,
			name: user.displayName,
			oid: user.oid,
			preferred_username: user.userPrincipalName,
			rh: '0.sim',
			sub: crypto.createHash('sha256').update(user.oid + o.clientId).digest('base64url').slice(0, 43),
			tid: cloud.tenantId,
			uti: crypto.randomBytes(16).toString('base64url'),
			ver: '2.0',
		});
	}
	if (o.wantClientInfo) body.client_info = b64url({ uid: user.oid, utid: cloud.tenantId });
	ctx.send(200, body);
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {Record<string, string>} form
 */
function refreshTokenGrant(cloud, ctx, form) {
	requirePublicClient(cloud, form.client_id);
	const rt = cloud.refreshTokens.get(form.refresh_token || '');
	if (!rt) {
		throw new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
	}
	if (rt.clientId !== form.client_id) {
		throw new EntraError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
	}
	if (rt.revoked) {
		const validFrom = new Date(rt.revokedAt || Date.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
		throw new EntraError(
			400,
			'invalid_grant',
			50173,
			`The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(rt.issuedAt).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom}'.`,
		);
	}
	if (Date.now() >= rt.expiresAt) {
		throw new EntraError(
			400,
			'invalid_grant',
			700082,
			`The refresh token has expired due to inactivity. The token was issued on ${new Date(rt.issuedAt).toISOString()} and was inactive for 90.00:00:00.`,
		);
	}
	const { oidc, resourceScopes } = parseScopes(cloud, form.scope);
	if (resourceScopes.length && resourceScopes[0].resource === cloud.mdeEndpoint) {
		// The same refresh token, redeemed for the Defender for Endpoint API (what the user's public client was consented).
		return sendDelegatedTokens(cloud, ctx, { clientId: rt.clientId, scopes: resourceScopes.map((s) => s.raw), oidc: [...new Set([...oidc, ...rt.oidc])], wantClientInfo: form.client_info === '1', refreshScopes: rt.scopes });
	}
	const names = resourceScopes.map((s) => s.name);
	// Entra returns a token for the scopes asked (within what was granted); none asked = the original grant.
	let scopes = rt.scopes.filter((s) => !names.length || names.includes(s.slice(s.lastIndexOf('/') + 1)));
	if (!scopes.length) scopes = rt.scopes;
	sendDelegatedTokens(cloud, ctx, {
		clientId: rt.clientId,
		scopes,
		oidc: [...new Set([...oidc, ...rt.oidc])],
		wantClientInfo: form.client_info === '1',
	});
}

module.exports = { requirePublicClient, sendDelegatedTokens, refreshTokenGrant };
