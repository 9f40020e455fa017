// @ts-check
'use strict';

/**
 * The simulated App Service managed-identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, api-version 2019-08-01),
 * as msal-node's ManagedIdentityApplication (used by @azure/identity's ManagedIdentityCredential) calls it:
 *   GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<resource>[&client_id=|&mi_res_id=|&object_id=|&principal_id=]
 *   header X-IDENTITY-HEADER: <IDENTITY_HEADER>
 */

const { isGraphResource } = require('./resources');

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */

/**
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {string} message
 */
function appServiceError(ctx, status, message) {
	ctx.send(status, { statusCode: status, message, correlationId: ctx.requestId });
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function handleIdentity(cloud, ctx) {
	if (ctx.path !== '/msi/token') return appServiceError(ctx, 404, `No route for ${ctx.method} ${ctx.path}.`);
	if (ctx.method !== 'GET') return appServiceError(ctx, 405, `Method ${ctx.method} is not allowed.`);
	const header = ctx.headers['x-identity-header'];
	if (!header) return appServiceError(ctx, 400, 'Required header X-IDENTITY-HEADER is missing.');
	if (header !== cloud.identityHeader) return appServiceError(ctx, 401, 'The X-IDENTITY-HEADER value is not valid.');
	const apiVersion = ctx.query.get('api-version');
	if (apiVersion !== '2019-08-01') return appServiceError(ctx, 400, `Unsupported api-version '${apiVersion || ''}'. Supported: 2019-08-01.`);
	const resource = ctx.query.get('resource');
	if (!resource) return appServiceError(ctx, 400, "Required query parameter 'resource' is missing.");
	if (!isGraphResource(cloud, resource)) {
		return appServiceError(ctx, 400, `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${cloud.tenantDisplayName}.`);
	}
	const clientId = ctx.query.get('client_id');
	const resId = ctx.query.get('mi_res_id');
	const objectId = ctx.query.get('object_id') || ctx.query.get('principal_id');
	/** @type {import('./cloud').ManagedIdentity | undefined} */
	let identity;
	if (clientId) identity = cloud._managedIdentities.find((i) => i.clientId === clientId && i.kind === 'userAssigned');
	else if (resId) identity = cloud._managedIdentities.find((i) => i.resourceId.toLowerCase() === resId.toLowerCase());
	else if (objectId) identity = cloud._managedIdentities.find((i) => i.objectId === objectId);
	else identity = cloud._managedIdentities.find((i) => i.kind === 'system' && i.enabled);
	if (!identity) {
		return appServiceError(ctx, 400, 'Unable to load the proper Managed Identity.');
	}
	const token = cloud._issueAccessToken({ kind: 'app', clientId: identity.clientId, appDisplayName: identity.displayName, roles: identity.roles, acr: '2', oid: identity.objectId, managedIdentity: true });
	ctx.send(200, {
		access_token: token.accessToken,
		expires_on: String(Math.floor(token.expiresAtMs / 1000)),
		resource,
		token_type: 'Bearer',
		client_id: identity.clientId,
	});
}

module.exports = { handleIdentity };
