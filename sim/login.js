// @ts-check
'use strict';

/**
 * The simulated Entra ID (login) server: OIDC discovery, device authorization, token endpoint, device login page.
 * Request and answer shapes follow Microsoft identity platform v2.0 documentation.
 */

const crypto = require('crypto');
const { decodeJwt, verifyJwtSignature, guid, b64url } = require('./util');
const { GRAPH_APP_ID, audienceOf } = require('./resources');
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const OIDC_SCOPES = ['openid', 'profile', 'offline_access', 'email'];

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */

class EntraError extends Error {
	/**
	 * @param {number} status
	 * @param {string} error
	 * @param {number} code AADSTS number
	 * @param {string} text
	 */
	constructor(status, error, code, text) {
		super(text);
		this.status = status;
		this.error = error;
		this.code = code;
	}
}

/**
 * @param {RequestContext} ctx
 * @param {EntraError} e
 */
function sendEntraError(ctx, e) {
	const traceId = guid();
	const correlationId = ctx.headers['client-request-id'] ? String(ctx.headers['client-request-id']) : guid();
	const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
	ctx.send(e.status, {
		error: e.error,
		error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
		error_codes: [e.code],
		timestamp,
		trace_id: traceId,
		correlation_id: correlationId,
		error_uri: `${ctx.cloud.authorityHost}/error?code=${e.code}`,
	});
}

/**
 * Resolves the tenant segment of a path the way Entra does.
 * @param {SimCloud} cloud
 * @param {string} segment
 * @returns {{ kind: 'tenant' | 'multi', segment: string } | null}
 */
function resolveTenant(cloud, segment) {
	const s = decodeURIComponent(segment).toLowerCase();
	if (s === 'organizations' || s === 'common') return { kind: 'multi', segment: s };
	if (s === cloud.tenantId.toLowerCase() || s === cloud.tenantDomain.toLowerCase()) return { kind: 'tenant', segment: s };
	return null;
}

/** @param {string} tenantSegment */
function tenantNotFound(tenantSegment) {
	return new EntraError(
		400,
		'invalid_request',
		90002,
		`Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
	);
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

/**
 * Splits an OAuth scope string into the resource and the permission names, checking the resource is the sim's
 * Graph or Defender for Endpoint API and that one request names one resource (as Entra does).
 * @param {SimCloud} cloud
 * @param {string} scopeString
 */
function parseScopes(cloud, scopeString) {
	const all = String(scopeString || '').split(/\s+/).filter(Boolean);
	/** @type {string[]} */
	const oidc = [];
	/** @type {{ raw: string, resource: string, name: string }[]} */
	const resourceScopes = [];
	for (const raw of all) {
		if (OIDC_SCOPES.includes(raw.toLowerCase())) {
			oidc.push(raw.toLowerCase());
			continue;
		}
		const slash = raw.lastIndexOf('/');
		let resource = slash > 0 ? raw.slice(0, slash) : GRAPH_APP_ID;
		const name = slash > 0 ? raw.slice(slash + 1) : raw;
		const audience = slash > 0 ? audienceOf(cloud, resource) : cloud.graphEndpoint;
		if (!audience) {
			throw new EntraError(
				400,
				'invalid_resource',
				500011,
				`The resource principal named ${resource} was not found in the tenant named ${cloud.tenantDisplayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
			);
		}
		resource = audience;
		resourceScopes.push({ raw, resource, name });
	}
	if (new Set(resourceScopes.map((s) => s.resource)).size > 1) {
		throw new EntraError(400, 'invalid_scope', 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scopeString} is not valid.`);
	}
	return { oidc, resourceScopes };
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
		throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
	}
	const app = cloud._getApp(clientId);
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
 * @param {SimCloud} cloud
 * @param {string} clientId
 */
function unknownApp(cloud, clientId) {
	return new EntraError(
		400,
		'unauthorized_client',
		700016,
		`Application with identifier '${clientId}' was not found in the directory '${cloud.tenantDisplayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
	);
}

/**
 * Verifies a client assertion (RFC 7523) against the app's registered certificate(s).
 * @param {SimCloud} cloud
 * @param {import('./cloud').AppRegistration} app
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

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} tenantSegment
 */
function tokenEndpoint(cloud, ctx, tenantSegment) {
	if (!resolveTenant(cloud, tenantSegment)) throw tenantNotFound(tenantSegment);
	const form = Object.fromEntries(new URLSearchParams(ctx.body));
	const grant = form.grant_type;
	if (!grant) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
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
	const token = cloud._issueAccessToken({ kind: 'app', aud: resourceScopes[0].resource, clientId: app.clientId, appDisplayName: app.displayName, roles: app.roles, acr, oid: app.servicePrincipalId });
	ctx.send(200, {
		token_type: 'Bearer',
		expires_in: token.expiresIn,
		ext_expires_in: token.expiresIn,
		access_token: token.accessToken,
	});
}

/**
 * @param {SimCloud} cloud
 * @param {string} clientId
 */
function requirePublicClient(cloud, clientId) {
	if (!clientId) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
	if (cloud.publicClientIds.has(clientId)) return;
	const app = cloud._getApp(clientId);
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
	const token = cloud._issueAccessToken({ kind: 'user', aud: audience, clientId: o.clientId, scp: scpNames, acr: '0' });
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
		body.refresh_token = cloud._issueRefreshToken({ clientId: o.clientId, scopes: o.refreshScopes || granted, oidc: o.oidc });
		// Microsoft's own public clients (Graph Command Line Tools among them) belong to the "family of client ids".
		if (cloud.familyClientIds.has(o.clientId)) body.foci = '1';
	}
	if (o.oidc.includes('openid')) {
		const now = Math.floor(Date.now() / 1000);
		body.id_token = cloud._sign({
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
 * @param {string} tenantSegment
 */
function deviceCodeStart(cloud, ctx, tenantSegment) {
	if (!resolveTenant(cloud, tenantSegment)) throw tenantNotFound(tenantSegment);
	const form = Object.fromEntries(new URLSearchParams(ctx.body));
	requirePublicClient(cloud, form.client_id);
	const { oidc, resourceScopes } = parseScopes(cloud, form.scope);
	const dc = cloud._startDeviceCode(form.client_id, resourceScopes.map((s) => s.raw), oidc);
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
	if (!code) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'device_code'.");
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
				cloud.declineDeviceCode(code);
				message = `Sign-in declined for code ${code}. You can close this window.`;
			} else {
				cloud.approveDeviceCode(code);
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

module.exports = { handleLogin, GRAPH_APP_ID, EntraError };
