import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as collectInvestigationPackage from './collectInvestigationPackage.operation';
import * as get from './get.operation';
import * as getAction from './getAction.operation';
import * as getAll from './getAll.operation';
import * as isolate from './isolate.operation';
import * as releaseFromIsolation from './releaseFromIsolation.operation';
import * as removeAppRestriction from './removeAppRestriction.operation';
import * as restrictAppExecution from './restrictAppExecution.operation';
import * as runAntivirusScan from './runAntivirusScan.operation';
import * as stopAndQuarantineFile from './stopAndQuarantineFile.operation';

export {
	collectInvestigationPackage,
	get,
	getAction,
	getAll,
	isolate,
	releaseFromIsolation,
	removeAppRestriction,
	restrictAppExecution,
	runAntivirusScan,
	stopAndQuarantineFile,
};

/** This resource's option in the node's Resource parameter (actions/resources.ts registers it). */
export const resource: INodePropertyOptions = {
	name: 'Device',
	value: 'device',
	description: 'Defender for Endpoint devices: list, get, isolate, scan, collect evidence, restrict apps, quarantine files',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['device'] } },
		options: [
			{
				name: 'Collect Investigation Package',
				value: 'collectInvestigationPackage',
				description:
					'Collect forensic data from a device; with Wait For Completion the output adds the package download link (packageUri)',
				action: 'Collect an investigation package from a device',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one Defender for Endpoint device by its ID or DNS name',
				action: 'Get a device',
			},
			{
				name: 'Get Action',
				value: 'getAction',
				description: 'Get a machine action (its status) by its ID',
				action: 'Get a device action',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List Defender for Endpoint devices, optionally filtered by name, health, risk, exposure, platform, tag or last seen',
				action: 'Get many devices',
			},
			{
				name: 'Isolate',
				value: 'isolate',
				description: 'Cut a device off the network (Full, Selective or an unmanaged device)',
				action: 'Isolate a device',
			},
			{
				name: 'Release From Isolation',
				value: 'releaseFromIsolation',
				description: 'Reconnect an isolated device to the network',
				action: 'Release a device from isolation',
			},
			{
				name: 'Remove App Restriction',
				value: 'removeAppRestriction',
				description: 'Let a device run applications that are not signed by Microsoft again',
				action: 'Remove the app restriction of a device',
			},
			{
				name: 'Restrict App Execution',
				value: 'restrictAppExecution',
				description: 'Allow only applications signed by Microsoft to run on a device',
				action: 'Restrict app execution on a device',
			},
			{
				name: 'Run Antivirus Scan',
				value: 'runAntivirusScan',
				description: 'Start a quick or full Microsoft Defender Antivirus scan on a device',
				action: 'Run an antivirus scan on a device',
			},
			{
				name: 'Stop And Quarantine File',
				value: 'stopAndQuarantineFile',
				description: 'Stop the processes of a file (by SHA-1) on a device and quarantine it',
				action: 'Stop and quarantine a file on a device',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...isolate.description,
	...releaseFromIsolation.description,
	...runAntivirusScan.description,
	...collectInvestigationPackage.description,
	...restrictAppExecution.description,
	...removeAppRestriction.description,
	...stopAndQuarantineFile.description,
	...getAction.description,
];
