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
 * @typedef {{ ok: true, payload: Record<string, any> }
 *   | { ok: false, status: 401, reason: 'empty' | 'malformed' | 'signature' | 'expired' | 'audience' }
 *   | { ok: false, status: 403, reason: 'scope' | 'role', granted: string[] }} BearerCheck
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
	if (!m) return { ok: false, status: 401, reason: 'empty' };
	const jwt = decodeJwt(m[1].trim());
	if (!jwt) return { ok: false, status: 401, reason: 'malformed' };
	const record = cloud.accessTokens.get(jwt.payload.uti);
	if (!record || !verifyJwtSignature(jwt, cloud._signingKey.publicKeyPem)) return { ok: false, status: 401, reason: 'signature' };
	if (record.expired || Date.now() >= jwt.payload.exp * 1000) return { ok: false, status: 401, reason: 'expired' };
	if (String(jwt.payload.aud).replace(/\/+$/, '') !== audience) return { ok: false, status: 401, reason: 'audience' };
	const p = jwt.payload;
	if (p.scp !== undefined) {
		const scopes = String(p.scp).split(' ').filter(Boolean);
		if (!anyOf.some((x) => scopes.includes(x))) return { ok: false, status: 403, reason: 'scope', granted: scopes };
	} else {
		const roles = Array.isArray(p.roles) ? p.roles : [];
		if (!anyOf.some((x) => roles.includes(x))) return { ok: false, status: 403, reason: 'role', granted: roles };
	}
	return { ok: true, payload: p };
}

module.exports = { checkBearer };
