// @ts-check
'use strict';

const crypto = require('crypto');

/** @param {any} v */
function b64url(v) {
	return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

/**
 * RS256 JWT signed with the sim's key.
 * @param {Record<string, any>} payload
 * @param {{ keyPem: string, kid: string }} key
 */
function signJwt(payload, key) {
	const header = { typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid };
	const input = b64url(header) + '.' + b64url(payload);
	const sig = crypto.sign('RSA-SHA256', Buffer.from(input), key.keyPem).toString('base64url');
	return input + '.' + sig;
}

/**
 * @param {string} token
 * @returns {{ header: any, payload: any, signingInput: string, signature: Buffer } | null}
 */
function decodeJwt(token) {
	const parts = String(token).split('.');
	if (parts.length !== 3) return null;
	try {
		return {
			header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
			payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
			signingInput: parts[0] + '.' + parts[1],
			signature: Buffer.from(parts[2], 'base64url'),
		};
	} catch {
		return null;
	}
}

/**
 * @param {{ header: any, signingInput: string, signature: Buffer }} jwt
 * @param {crypto.KeyObject | string} publicKey
 */
function verifyJwtSignature(jwt, publicKey) {
	const alg = jwt.header && jwt.header.alg;
	try {
		if (alg === 'RS256') return crypto.verify('RSA-SHA256', Buffer.from(jwt.signingInput), publicKey, jwt.signature);
		if (alg === 'PS256') {
			return crypto.verify(
				'RSA-SHA256',
				Buffer.from(jwt.signingInput),
				{ key: /** @type {any} */ (publicKey), padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO },
				jwt.signature,
			);
		}
	} catch {
		return false;
	}
	return false;
}

function guid() {
	return crypto.randomUUID();
}

/** Deterministic PRNG (mulberry32). @param {number} seed */
function prng(seed) {
	let a = seed >>> 0;
	return function next() {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** 32-bit integer hash, for generating row i of a table without state. @param {number} x */
function hash32(x) {
	x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
	x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
	return (x ^ (x >>> 16)) >>> 0;
}

/**
 * @param {import('http').IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Graph datetimes carry 7 fractional digits. @param {number} ms */
function graphDate(ms) {
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** A new lastUpdateDateTime: now, but always later than the previous one. @param {{ lastUpdateDateTime?: string }} item */
function nextUpdateTime(item) {
	const prev = Date.parse(item.lastUpdateDateTime || '') || 0;
	return graphDate(Math.max(Date.now(), prev + 1));
}

module.exports = { graphDate, nextUpdateTime, b64url, signJwt, decodeJwt, verifyJwtSignature, guid, prng, hash32, readBody, sleep };
