// @ts-check
'use strict';

/** What a token request names: the tenant of its path, the resource (API) and permissions of its scopes. */

const { EntraError } = require('./errors');

/** @typedef {import('../cloud').SimCloud} SimCloud */

const OIDC_SCOPES = ['openid', 'profile', 'offline_access', 'email'];
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/**
 * Whether a resource (or scope prefix) names the simulated Graph: its URL (with or without trailing slash) or Graph's app id.
 * @param {{ graphEndpoint: string }} cloud
 * @param {string} resource
 */
function isGraphResource(cloud, resource) {
	const r = String(resource).replace(/\/+$/, '').toLowerCase();
	return r === cloud.graphEndpoint.toLowerCase() || r === GRAPH_APP_ID;
}

/**
 * The token audience a resource (or scope prefix) names: the simulated Graph or the simulated Defender for
 * Endpoint API (its origin is also its audience, as in the contract's cloud table); null for anything else.
 * @param {{ graphEndpoint: string, mdeEndpoint: string }} cloud
 * @param {string} resource
 * @returns {string | null}
 */
function audienceOf(cloud, resource) {
	if (isGraphResource(cloud, resource)) return cloud.graphEndpoint;
	if (String(resource).replace(/\/+$/, '').toLowerCase() === cloud.mdeEndpoint.toLowerCase()) return cloud.mdeEndpoint;
	return null;
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

module.exports = { GRAPH_APP_ID, OIDC_SCOPES, isGraphResource, audienceOf, resolveTenant, parseScopes };
