// @ts-check
'use strict';

/** The managed identities of the simulated Azure host: a system-assigned and a user-assigned one. */

const { guid } = require('../util');
const { ALL_APP_ROLES } = require('../entra/apps');

/** @typedef {{ kind: 'system' | 'userAssigned', clientId: string, objectId: string, resourceId: string, displayName: string, roles: string[], enabled: boolean }} ManagedIdentity */

const RESOURCE_GROUP = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sim/providers';

/** @returns {ManagedIdentity[]} */
function defaultManagedIdentities() {
	return [
		{ kind: 'system', clientId: '9c4d5e6f-3a7b-4c8d-9e9f-0a1b2c3d4e5f', objectId: guid(), resourceId: `${RESOURCE_GROUP}/Microsoft.Web/sites/sim-n8n`, displayName: 'sim-n8n', roles: ALL_APP_ROLES, enabled: true },
		{ kind: 'userAssigned', clientId: 'ad5e6f7a-4b8c-4d9e-8f0a-1b2c3d4e5f6a', objectId: guid(), resourceId: `${RESOURCE_GROUP}/Microsoft.ManagedIdentity/userAssignedIdentities/sim-uami`, displayName: 'sim-uami', roles: ALL_APP_ROLES, enabled: true },
	];
}

module.exports = { defaultManagedIdentities };
