// @ts-check
'use strict';

/**
 * The simulated Entra ID (login) server: OIDC discovery, device authorization, token endpoint, device login page.
 * Request and answer shapes follow Microsoft identity platform v2.0 documentation.
 */

const crypto = require('crypto');
const { EntraError, sendEntraError, tenantNotFound } = require('./errors');
const { resolveTenant } = require('./resources');
const { tokenEndpoint } = require('./tokenEndpoint');
const { deviceCodeStart, deviceLoginPage } = require('./deviceCode');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function handleLogin(cloud, ctx) {
	const p = ctx.path;
	try {
		if (p === '/devicelogin' && (ctx.method === 'GET' || ctx.method === 'POST')) return deviceLoginPage(cloud, ctx);
		if (p === '/common/discovery/instance' && ctx.method === 'GET') {
			const host = new URL(cloud.authorityHost).host;
			return ctx.send(200, {
				tenant_discovery_endpoint: `${cloud.authorityHost}/{tenant}/v2.0/.well-known/openid-configuration`,
				'api-version': '1.1',
				metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
			});
		}
		let m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(p);
		if (m && ctx.method === 'GET') return ctx.send(200, openIdConfiguration(cloud, m[1]));
		m = /^\/([^/]+)\/discovery\/(?:v2\.0\/)?keys$/.exec(p);
		if (m && ctx.method === 'GET') {
			const jwk = /** @type {any} */ (crypto.createPublicKey(cloud._signingKey.publicKeyPem).export({ format: 'jwk' }));
			return ctx.send(200, { keys: [{ kty: 'RSA', use: 'sig', kid: cloud._signingKey.kid, x5t: cloud._signingKey.kid, n: jwk.n, e: jwk.e }] });
		}
		m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(p);
		if (m && ctx.method === 'POST') return tokenEndpoint(cloud, ctx, m[1]);
		m = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/.exec(p);
		if (m && ctx.method === 'POST') return deviceCodeStart(cloud, ctx, m[1]);
		throw new EntraError(404, 'invalid_request', 900561, `The endpoint only accepts POST requests or is unknown: ${ctx.method} ${p}.`);
	} catch (e) {
		if (e instanceof EntraError) return sendEntraError(ctx, e);
		throw e;
	}
}

/**
 * @param {SimCloud} cloud
 * @param {string} tenantSegment
 */
function openIdConfiguration(cloud, tenantSegment) {
	const host = cloud.authorityHost;
	const t = resolveTenant(cloud, tenantSegment);
	if (!t) {
		const e = tenantNotFound(tenantSegment);
		e.error = 'invalid_tenant'; // the discovery document answers with this error name
		throw e;
	}
	const endpointTenant = t.kind === 'multi' ? t.segment : cloud.tenantId;
	const issuerTenant = t.kind === 'multi' ? '{tenantid}' : cloud.tenantId;
	return {
		token_endpoint: `${host}/${endpointTenant}/oauth2/v2.0/token`,
		token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
		jwks_uri: `${host}/${endpointTenant}/discovery/v2.0/keys`,
		response_modes_supported: ['query', 'fragment', 'form_post'],
		subject_types_supported: ['pairwise'],
		id_token_signing_alg_values_supported: ['RS256'],
		response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
		scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
		issuer: `${host}/${issuerTenant}/v2.0`,
		request_uri_parameter_supported: false,
		userinfo_endpoint: `${cloud.graphEndpoint}/oidc/userinfo`,
		authorization_endpoint: `${host}/${endpointTenant}/oauth2/v2.0/authorize`,
		device_authorization_endpoint: `${host}/${endpointTenant}/oauth2/v2.0/devicecode`,
		http_logout_supported: true,
		frontchannel_logout_supported: true,
		end_session_endpoint: `${host}/${endpointTenant}/oauth2/v2.0/logout`,
		claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
		kerberos_endpoint: `${host}/${endpointTenant}/kerberos`,
		tenant_region_scope: 'EU',
		cloud_instance_name: 'microsoftonline.com',
		cloud_graph_host_name: 'graph.windows.net',
		msgraph_host: new URL(cloud.graphEndpoint).host,
		rbac_url: 'https://pas.windows.net',
	};
}

module.exports = { handleLogin };
