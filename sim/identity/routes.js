// @ts-check
'use strict';

/**
 * The simulated App Service managed-identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, api-version 2019-08-01),
 * as msal-node's ManagedIdentityApplication (used by @azure/identity's ManagedIdentityCredential) calls it:
 *   GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<resource>[&client_id=|&mi_res_id=|&object_id=|&principal_id=]
 *   header X-IDENTITY-HEADER: <IDENTITY_HEADER>
 */

const { audienceOf } = require('../entra/resources');
const { issueAccessToken } = require('../entra/tokens');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

/**
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {string} message
 */
function appServiceError(ctx, status, message) {
	ctx.send(status, { statusCode: status, message, correlationId: ctx.requestId });
}

/**
 * Azure Instance Metadata Service (VMs, AKS pod identity): GET /metadata/identity/oauth2/token?api-version=2018-02-01
 * &resource=..[&client_id=|msi_res_id=|object_id=] with header Metadata: true. msal-node calls it at
 * $AZURE_POD_IDENTITY_AUTHORITY_HOST (cloud.imdsHost) instead of 169.254.169.254.
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function handleImds(cloud, ctx) {
	/** @param {number} status @param {string} error @param {string} description */
	const fail = (status, error, description) => ctx.send(status, { error, error_description: description });
	if (ctx.method !== 'GET') return fail(405, 'invalid_request', `Method ${ctx.method} is not allowed.`);
	if (String(ctx.headers.metadata || '').toLowerCase() !== 'true') return fail(400, 'invalid_request', 'Required metadata header not specified');
	if (!ctx.query.get('api-version')) return fail(400, 'invalid_request', 'Required query variable \'api-version\' is missing');
	const resource = ctx.query.get('resource');
	if (!resource) return fail(400, 'invalid_request', 'Required query variable \'resource\' is missing');
	const audience = audienceOf(cloud, resource);
	if (!audience) {
		return fail(400, 'invalid_resource', `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${cloud.tenantDisplayName}.`);
	}
	const identity = findIdentity(cloud, ctx.query.get('client_id'), ctx.query.get('msi_res_id') || ctx.query.get('mi_res_id'), ctx.query.get('object_id') || ctx.query.get('principal_id'));
	if (!identity) return fail(400, 'invalid_request', 'Identity not found');
	const token = issueAccessToken(cloud, { kind: 'app', aud: audience, clientId: identity.clientId, appDisplayName: identity.displayName, roles: identity.roles, acr: '2', oid: identity.objectId, managedIdentity: true });
	const now = Math.floor(Date.now() / 1000);
	ctx.send(200, {
		access_token: token.accessToken,
		client_id: identity.clientId,
		expires_in: String(token.expiresIn),
		expires_on: String(Math.floor(token.expiresAtMs / 1000)),
		ext_expires_in: String(token.expiresIn),
		not_before: String(now),
		resource,
		token_type: 'Bearer',
	});
}

/**
 * @param {SimCloud} cloud
 * @param {string | null} clientId
 * @param {string | null} resId
 * @param {string | null} objectId
 */
function findIdentity(cloud, clientId, resId, objectId) {
	if (clientId) return cloud._managedIdentities.find((i) => i.clientId === clientId && i.kind === 'userAssigned');
	if (resId) return cloud._managedIdentities.find((i) => i.resourceId.toLowerCase() === resId.toLowerCase());
	if (objectId) return cloud._managedIdentities.find((i) => i.objectId === objectId);
	return cloud._managedIdentities.find((i) => i.kind === 'system' && i.enabled);
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function handleIdentity(cloud, ctx) {
	// msal-node normalizes the endpoint URL with a trailing slash; the real endpoints accept both.
	const path = ctx.path.replace(/\/+$/, '');
	if (path === '/metadata/identity/oauth2/token') return handleImds(cloud, ctx);
	if (path !== '/msi/token') return appServiceError(ctx, 404, `No route for ${ctx.method} ${ctx.path}.`);
	if (ctx.method !== 'GET') return appServiceError(ctx, 405, `Method ${ctx.method} is not allowed.`);
	const header = ctx.headers['x-identity-header'];
	if (!header) return appServiceError(ctx, 400, 'Required header X-IDENTITY-HEADER is missing.');
	if (header !== cloud.identityHeader) return appServiceError(ctx, 401, 'The X-IDENTITY-HEADER value is not valid.');
	const apiVersion = ctx.query.get('api-version');
	if (apiVersion !== '2019-08-01') return appServiceError(ctx, 400, `Unsupported api-version '${apiVersion || ''}'. Supported: 2019-08-01.`);
	const resource = ctx.query.get('resource');
	if (!resource) return appServiceError(ctx, 400, "Required query parameter 'resource' is missing.");
	const audience = audienceOf(cloud, resource);
	if (!audience) {
		return appServiceError(ctx, 400, `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${cloud.tenantDisplayName}.`);
	}
	const identity = findIdentity(cloud, ctx.query.get('client_id'), ctx.query.get('mi_res_id'), ctx.query.get('object_id') || ctx.query.get('principal_id'));
	if (!identity) {
		return appServiceError(ctx, 400, 'Unable to load the proper Managed Identity.');
	}
	const token = issueAccessToken(cloud, { kind: 'app', aud: audience, clientId: identity.clientId, appDisplayName: identity.displayName, roles: identity.roles, acr: '2', oid: identity.objectId, managedIdentity: true });
	ctx.send(200, {
		access_token: token.accessToken,
		expires_on: String(Math.floor(token.expiresAtMs / 1000)),
		resource,
		token_type: 'Bearer',
		client_id: identity.clientId,
	});
}

module.exports = { handleIdentity };
