// @ts-check
'use strict';

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

module.exports = { GRAPH_APP_ID, isGraphResource, audienceOf };
