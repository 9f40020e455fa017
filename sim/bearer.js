// @ts-check
'use strict';

/**
 * Bearer-token checks shared by the simulated resource servers (Graph, Defender for Endpoint): each server
 * words the refusal in its own error shape.
 */

const { decodeJwt, verifyJwtSignature } = require('./util');

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */

/**
 * ok: the token's payload; else 401 (reason empty, malformed, signature, expired, audience) or 403 (reason scope or
 * role, with the permissions the token does carry).
 * @typedef {{ ok: true, payload: Record<string, any>, status: 200, reason: '', granted: string[] }
 *   | { ok: false, payload: null, status: 401 | 403, reason: 'empty' | 'malformed' | 'signature' | 'expired' | 'audience' | 'scope' | 'role', granted: string[] }} BearerCheck
 */

/**
 * Checks the request's bearer token: issued by this sim, not expired, for `audience`, carrying one of
 * `anyOf` (in `scp` for delegated tokens, `roles` for app-only ones).
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} audience
 * @param {string[]} anyOf
 * @returns {BearerCheck}
 */
function checkBearer(cloud, ctx, audience, anyOf) {
	const m = /^Bearer\s+(.+)$/i.exec(String(ctx.headers.authorization || ''));
	if (!m) return refused(401, 'empty');
	const jwt = decodeJwt(m[1].trim());
	if (!jwt) return refused(401, 'malformed');
	const record = cloud.accessTokens.get(jwt.payload.uti);
	if (!record || !verifyJwtSignature(jwt, cloud._signingKey.publicKeyPem)) return refused(401, 'signature');
	if (record.expired || Date.now() >= jwt.payload.exp * 1000) return refused(401, 'expired');
	if (String(jwt.payload.aud).replace(/\/+$/, '') !== audience) return refused(401, 'audience');
	const p = jwt.payload;
	if (p.scp !== undefined) {
		const scopes = String(p.scp).split(' ').filter(Boolean);
		if (!anyOf.some((x) => scopes.includes(x))) return refused(403, 'scope', scopes);
	} else {
		const roles = Array.isArray(p.roles) ? p.roles : [];
		if (!anyOf.some((x) => roles.includes(x))) return refused(403, 'role', roles);
	}
	return { ok: true, payload: p, status: 200, reason: '', granted: [] };
}

/**
 * @param {401 | 403} status
 * @param {'empty' | 'malformed' | 'signature' | 'expired' | 'audience' | 'scope' | 'role'} reason
 * @param {string[]} [granted]
 * @returns {BearerCheck}
 */
function refused(status, reason, granted = []) {
	return { ok: false, payload: null, status, reason, granted };
}

module.exports = { checkBearer };
