import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as alert from './actions/alert';
import * as device from './actions/device';
import * as deviceSignIn from './actions/deviceSignIn';
import * as huntingQuery from './actions/huntingQuery';
import * as incident from './actions/incident';
import * as indicator from './actions/indicator';
import { TOOL_DESCRIPTION } from './actions/output';
import { router } from './actions/router';
import { credentialTest, listSearch } from './methods';

const testedBy = 'microsoft365DefenderCredentialTest';


export class Microsoft365Defender implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Defender',
		name: 'microsoft365Defender',
		icon: { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Triage Microsoft Defender XDR incidents and alerts and run advanced hunting (KQL) queries through Microsoft Graph',
		defaults: { name: 'Microsoft 365 Defender' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		credentials: [
			{
				name: 'microsoft365DefenderDeviceCodeApi',
				required: true,
				displayOptions: { show: { authentication: ['deviceCode'] } },
				testedBy,
			},
			{
				name: 'microsoft365DefenderClientCredentialsApi',
				required: true,
				displayOptions: { show: { authentication: ['clientCredentials'] } },
				testedBy,
			},
			{
				name: 'microsoft365DefenderManagedIdentityApi',
				required: true,
				displayOptions: { show: { authentication: ['managedIdentity'] } },
				testedBy,
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'Client Credentials (App)',
						value: 'clientCredentials',
						description: 'An app registration with a client secret or certificate',
					},
					{
						name: 'Device Code (User Sign-In)',
						value: 'deviceCode',
						description: 'Sign in as a user by entering a code at microsoft.com/devicelogin',
					},
					{
						name: 'Managed Identity',
						value: 'managedIdentity',
						description: 'The Azure managed identity of the machine n8n runs on',
					},
				],
				default: 'clientCredentials',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				displayOptions: { hide: { authentication: ['deviceCode'] } },
				options: [
					{
						name: 'Alert',
						value: 'alert',
						description: 'Defender XDR alerts (detections with their evidence: devices, files, users, IPs, URLs)',
					},
					{
						name: 'Device',
						value: 'device',
						description: 'Defender for Endpoint devices: list, get, isolate, scan, collect evidence, restrict apps, quarantine files',
					},
					{
						name: 'Hunting Query',
						value: 'huntingQuery',
						description: 'Advanced hunting over Defender XDR data with KQL',
					},
					{
						name: 'Incident',
						value: 'incident',
						description: 'Defender XDR incidents (correlated alerts)',
					},
					{
						name: 'Indicator',
						value: 'indicator',
						description: 'Defender for Endpoint custom indicators: block, audit or allow hashes, certificates, IPs, domains and URLs',
					},
				],
				default: 'incident',
			},
			{
				// Same parameter, with the sign-in steps that only exist for device code.
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { authentication: ['deviceCode'] } },
				options: [
					{
						name: 'Alert',
						value: 'alert',
						description: 'Defender XDR alerts (detections with their evidence: devices, files, users, IPs, URLs)',
					},
					{
						name: 'Device',
						value: 'device',
						description: 'Defender for Endpoint devices: list, get, isolate, scan, collect evidence, restrict apps, quarantine files',
					},
					{
						name: 'Device Code Sign-In',
						value: 'deviceSignIn',
						description: 'Start, complete, test or remove the sign-in of the device code credential',
					},
					{
						name: 'Hunting Query',
						value: 'huntingQuery',
						description: 'Advanced hunting over Defender XDR data with KQL',
					},
					{
						name: 'Incident',
						value: 'incident',
						description: 'Defender XDR incidents (correlated alerts)',
					},
					{
						name: 'Indicator',
						value: 'indicator',
						description: 'Defender for Endpoint custom indicators: block, audit or allow hashes, certificates, IPs, domains and URLs',
					},
				],
				default: 'incident',
			},
			...incident.description,
			...alert.description,
			...huntingQuery.description,
			...deviceSignIn.description,
			...device.description,
			...indicator.description,
		],
	};

	methods = { listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
