// @ts-check
'use strict';

/**
 * Defender for Endpoint (WindowsDefenderATP) permissions, as its API pages list them (../shared/MDE-FACTS.md,
 * "Permissions"): which application role (`roles`) or delegated scope (`scp`) each endpoint accepts.
 */

const READ_MACHINES = { app: ['Machine.Read.All', 'Machine.ReadWrite.All'], delegated: ['Machine.Read', 'Machine.ReadWrite'] };

/** @type {Record<string, { app: string[], delegated: string[] }>} */
const PERMISSIONS = {
	readMachines: READ_MACHINES,
	readActions: READ_MACHINES,
	isolate: { app: ['Machine.Isolate'], delegated: ['Machine.Isolate'] },
	unisolate: { app: ['Machine.Isolate'], delegated: ['Machine.Isolate'] },
	runAntiVirusScan: { app: ['Machine.Scan'], delegated: ['Machine.Scan'] },
	collectInvestigationPackage: { app: ['Machine.CollectForensics'], delegated: ['Machine.CollectForensics'] },
	restrictCodeExecution: { app: ['Machine.RestrictExecution'], delegated: ['Machine.RestrictExecution'] },
	unrestrictCodeExecution: { app: ['Machine.RestrictExecution'], delegated: ['Machine.RestrictExecution'] },
	// The page also lists the app roles Machine.Read.All and Machine.ReadWrite.All.
	StopAndQuarantineFile: { app: ['Machine.StopAndQuarantine', 'Machine.Read.All', 'Machine.ReadWrite.All'], delegated: ['Machine.StopAndQuarantine'] },
	getPackageUri: { app: ['Machine.Read.All', 'Machine.ReadWrite.All'], delegated: ['Machine.CollectForensics'] },
	indicators: { app: ['Ti.ReadWrite', 'Ti.ReadWrite.All'], delegated: ['Ti.ReadWrite'] },
	// Delete documents application permissions only.
	deleteIndicator: { app: ['Ti.ReadWrite', 'Ti.ReadWrite.All'], delegated: [] },
};

const ACTION_PERMISSIONS = ['Machine.Isolate', 'Machine.Scan', 'Machine.CollectForensics', 'Machine.RestrictExecution', 'Machine.StopAndQuarantine'];
// Cancel: any action permission.
PERMISSIONS.cancel = { app: ACTION_PERMISSIONS, delegated: ACTION_PERMISSIONS };

/** Every application role of the MDE API (what an app registration with full MDE access holds). */
const MDE_APP_ROLES = ['Machine.Read.All', 'Machine.ReadWrite.All', ...ACTION_PERMISSIONS, 'Ti.ReadWrite', 'Ti.ReadWrite.All'];
/** Every delegated permission of the MDE API. */
const MDE_DELEGATED_SCOPES = ['Machine.Read', 'Machine.ReadWrite', ...ACTION_PERMISSIONS, 'Ti.ReadWrite'];
const MDE_PERMISSION_NAMES = new Set([...MDE_APP_ROLES, ...MDE_DELEGATED_SCOPES]);

/** Whether a permission name belongs to the MDE API rather than to Graph. @param {string} name */
function isMdePermission(name) {
	return MDE_PERMISSION_NAMES.has(name);
}

module.exports = { PERMISSIONS, MDE_APP_ROLES, MDE_DELEGATED_SCOPES, isMdePermission };
