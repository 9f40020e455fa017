// @ts-check
'use strict';

/**
 * The token endpoint (POST /{tenant}/oauth2/v2.0/token): the grant dispatch and the confidential-client
 * grant (client credentials with a secret or a certificate's client assertion, RFC 7523).
 */

const { decodeJwt, verifyJwtSignature } = require('../util');
const { EntraError, tenantNotFound, unknownApp, missingParameter } = require('./errors');
const { resolveTenant, parseScopes } = require('./resources');
const { getApp } = require('./apps');
const { issueAccessToken } = require('./tokens');
const { deviceCodeGrant } = require('./deviceCode');
const { refreshTokenGrant } = require('./delegated');

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} tenantSegment
 */
function tokenEndpoint(cloud, ctx, tenantSegment) {
	if (!resolveTenant(cloud, tenantSegment)) throw tenantNotFound(tenantSegment);
	const form = Object.fromEntries(new URLSearchParams(ctx.body));
	const grant = form.grant_type;
	if (!grant) throw missingParameter('grant_type');
	if (grant === 'client_credentials') return clientCredentials(cloud, ctx, form, tenantSegment);
	// Entra accepts the RFC 8628 URN and the short form msal-node sends.
	if (grant === DEVICE_CODE_GRANT || grant === 'device_code') return deviceCodeGrant(cloud, ctx, form);
	if (grant === 'refresh_token') return refreshTokenGrant(cloud, ctx, form);
	throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {Record<string, string>} form
 * @param {string} tenantSegment
 */
function clientCredentials(cloud, ctx, form, tenantSegment) {
	const { app, acr } = authenticateConfidentialClient(cloud, ctx, form, tenantSegment);
	const t = resolveTenant(cloud, tenantSegment);
	if (t && t.kind === 'multi') {
		// An app-only token needs a tenant: Entra answers this for client credentials on /common or /organizations.
		throw new EntraError(400, 'invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.');
	}
	const { resourceScopes } = parseScopes(cloud, form.scope);
	if (resourceScopes.length !== 1 || resourceScopes[0].name !== '.default') {
		throw new EntraError(
			400,
			'invalid_scope',
			1002012,
			`The provided value for scope ${form.scope || ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
		);
	}
	const token = issueAccessToken(cloud, { kind: 'app', aud: resourceScopes[0].resource, clientId: app.clientId, appDisplayName: app.displayName, roles: app.roles, acr, oid: app.servicePrincipalId });
	ctx.send(200, {
		token_type: 'Bearer',
		expires_in: token.expiresIn,
		ext_expires_in: token.expiresIn,
		access_token: token.accessToken,
	});
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {Record<string, string>} form
 * @param {string} tenantSegment
 */
function authenticateConfidentialClient(cloud, ctx, form, tenantSegment) {
	let clientId = form.client_id;
	let clientSecret = form.client_secret;
	const basic = /^Basic\s+(.+)$/i.exec(String(ctx.headers.authorization || ''));
	if (basic) {
		const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		clientId = clientId || decodeURIComponent(id);
		clientSecret = decodeURIComponent(secret || '');
	}
	if (!clientId) {
		throw missingParameter('client_id');
	}
	const app = getApp(cloud, clientId);
	if (!app) throw unknownApp(cloud, clientId);
	if (form.client_assertion || form.client_assertion_type) {
		verifyClientAssertion(cloud, app, form, tenantSegment);
		return { app, acr: '2' };
	}
	if (clientSecret) {
		if (!app.secret || app.secret !== clientSecret) {
			throw new EntraError(
				401,
				'invalid_client',
				7000215,
				`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
			);
		}
		return { app, acr: '1' };
	}
	throw new EntraError(
		401,
		'invalid_client',
		7000218,
		"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
	);
}

/**
 * Verifies a client assertion (RFC 7523) against the app's registered certificate(s).
 * @param {SimCloud} cloud
 * @param {import('./apps').AppRegistration} app
 * @param {Record<string, string>} form
 * @param {string} tenantSegment
 */
function verifyClientAssertion(cloud, app, form, tenantSegment) {
	if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
		throw new EntraError(
			400,
			'invalid_request',
			7000216,
			`'client_assertion_type' must be '${CLIENT_ASSERTION_TYPE}'.`,
		);
	}
	const jwt = decodeJwt(form.client_assertion || '');
	if (!jwt) {
		throw new EntraError(401, 'invalid_client', 700027, 'Client assertion contains an invalid signature. [Reason - The client assertion is not a valid JWT.]');
	}
	const certs = app.certificates || [];
	const x5t = jwt.header.x5t;
	const x5tS256 = jwt.header['x5t#S256'];
	const cert = certs.find((c) => (x5t && c.sha1 === x5t) || (x5tS256 && c.sha256 === x5tS256));
	if (!cert) {
		throw new EntraError(
			401,
			'invalid_client',
			700027,
			`The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${x5t || x5tS256 || ''}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`,
		);
	}
	if (!['RS256', 'PS256'].includes(jwt.header.alg) || !verifyJwtSignature(jwt, cert.publicKey)) {
		throw new EntraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
	}
	const p = jwt.payload;
	if (p.iss !== app.clientId || p.sub !== app.clientId) {
		throw new EntraError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
	}
	const host = cloud.authorityHost.toLowerCase();
	const allowedAud = [tenantSegment, cloud.tenantId, cloud.tenantDomain].flatMap((t) => [
		`${host}/${t.toLowerCase()}/oauth2/v2.0/token`,
		`${host}/${t.toLowerCase()}/oauth2/token`,
		`${host}/${t.toLowerCase()}/v2.0`,
		`${host}/${t.toLowerCase()}/`,
		`${host}/${t.toLowerCase()}`,
	]);
	/** @type {unknown[]} */
	const aud = Array.isArray(p.aud) ? p.aud : [p.aud];
	if (!aud.some((a) => typeof a === 'string' && allowedAud.includes(a.toLowerCase()))) {
		throw new EntraError(
			401,
			'invalid_client',
			700027,
			`Client assertion audience claim does not match Realm issuer. Review the documentation at https://aka.ms/certCredentials . [Reason - The audience '${aud.join(',')}' is invalid.]`,
		);
	}
	const now = Math.floor(Date.now() / 1000);
	if (typeof p.exp !== 'number' || p.exp < now - 300 || (typeof p.nbf === 'number' && p.nbf > now + 300)) {
		throw new EntraError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
	}
}

module.exports = { tokenEndpoint };
