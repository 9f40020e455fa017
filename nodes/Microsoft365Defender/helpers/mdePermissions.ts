/**
 * The Defender for Endpoint (WindowsDefenderATP API) permissions each request needs, as Microsoft's API pages
 * list them (../shared/MDE-FACTS.md, "Permissions"), and the text a 403 says (the transport's ErrorHints.permission).
 *
 *   MDE_PERMISSIONS[key] -> { application: string[], delegated: string[] }
 *   permissionHint(key)  -> e.g. 'Machine.Isolate (application and delegated)'; the transport adds "of the WindowsDefenderATP API" 
 */

export interface MdePermission {
	application: string[];
	delegated: string[];
}

const READ_MACHINES: MdePermission = { application: ['Machine.Read.All', 'Machine.ReadWrite.All'], delegated: ['Machine.Read', 'Machine.ReadWrite'] };
const TI: MdePermission = { application: ['Ti.ReadWrite', 'Ti.ReadWrite.All'], delegated: ['Ti.ReadWrite'] };

export const MDE_PERMISSIONS = {
	readMachines: READ_MACHINES,
	readActions: READ_MACHINES,
	isolate: { application: ['Machine.Isolate'], delegated: ['Machine.Isolate'] },
	runAntivirusScan: { application: ['Machine.Scan'], delegated: ['Machine.Scan'] },
	collectInvestigationPackage: { application: ['Machine.CollectForensics'], delegated: ['Machine.CollectForensics'] },
	restrictAppExecution: { application: ['Machine.RestrictExecution'], delegated: ['Machine.RestrictExecution'] },
	stopAndQuarantineFile: { application: ['Machine.StopAndQuarantine'], delegated: ['Machine.StopAndQuarantine'] },
	// api/get-package-sas-uri
	getPackageUri: { application: ['Machine.Read.All', 'Machine.ReadWrite.All'], delegated: ['Machine.CollectForensics'] },
	indicators: TI,
	// api/delete-ti-indicator-by-id lists application permissions only
	deleteIndicator: { application: TI.application, delegated: [] },
} satisfies Record<string, MdePermission>;

export type MdePermissionKey = keyof typeof MDE_PERMISSIONS;

const either = (names: string[]) => names.join(' or ');

export function permissionHint(key: MdePermissionKey): string {
	const { application, delegated } = MDE_PERMISSIONS[key] as MdePermission;
	if (delegated.length === 0) return `${either(application)} (application only: Defender has no delegated permission for this)`;
	if (either(application) === either(delegated)) return `${either(application)} (application and delegated)`;
	return `${either(application)} (application) or ${either(delegated)} (delegated)`;
}
