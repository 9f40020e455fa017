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

module.exports = { GRAPH_APP_ID, isGraphResource };
