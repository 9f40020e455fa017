import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { alertTriggerFilters } from './actions/alert/common';
import { incidentTriggerFilters } from './actions/incident/common';
import { microsoft365DefenderCredentialTest } from './methods/credentialTest';
import { DEFAULT_OVERLAP_MINUTES, pollIncidents } from './trigger/poll';

/** Polls Graph's /security/incidents or /security/alerts_v2; the round and its state live in ./trigger. */
export class Microsoft365DefenderTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Defender Trigger',
		name: 'microsoft365DefenderTrigger',
		icon: {
			light: 'file:microsoft365Defender.svg',
			dark: 'file:microsoft365Defender.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"incidentCreated": "Incident created", "incidentUpdated": "Incident created or updated", "alertCreated": "Alert created", "alertUpdated": "Alert created or updated"}[$parameter["event"]] }}',
		description:
			'Starts the workflow when Microsoft 365 Defender (Defender XDR) incidents or alerts are created or updated',
		defaults: {
			name: 'Microsoft 365 Defender Trigger',
		},
		credentials: [
			{
				name: 'microsoft365DefenderDeviceCodeApi',
				required: true,
				testedBy: 'microsoft365DefenderCredentialTest',
				displayOptions: { show: { authentication: ['deviceCode'] } },
			},
			{
				name: 'microsoft365DefenderClientCredentialsApi',
				required: true,
				testedBy: 'microsoft365DefenderCredentialTest',
				displayOptions: { show: { authentication: ['clientCredentials'] } },
			},
			{
				name: 'microsoft365DefenderManagedIdentityApi',
				required: true,
				testedBy: 'microsoft365DefenderCredentialTest',
				displayOptions: { show: { authentication: ['managedIdentity'] } },
			},
		],
		polling: true,
		inputs: [],
		outputs: ['main'],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Client Credentials (App-Only)',
						value: 'clientCredentials',
						description: 'An Entra app registration with a client secret or a certificate',
					},
					{
						name: 'Device Code (Delegated)',
						value: 'deviceCode',
						description: 'Sign in as a user once; the refresh token keeps the trigger signed in',
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
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Alert Created',
						value: 'alertCreated',
						description: 'Each new alert, once (with its evidence)',
					},
					{
						name: 'Alert Created or Updated',
						value: 'alertUpdated',
						description: 'Each alert once per change (per distinct Last Update Time), new alerts included',
					},
					{
						name: 'Incident Created',
						value: 'incidentCreated',
						description: 'Each new incident, once',
					},
					{
						name: 'Incident Created or Updated',
						value: 'incidentUpdated',
						description:
							'Each incident once per change (per distinct Last Update Time), new incidents included',
					},
				],
				default: 'incidentCreated',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				displayOptions: { show: { event: ['incidentCreated', 'incidentUpdated'] } },
				options: incidentTriggerFilters,
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				displayOptions: { show: { event: ['alertCreated', 'alertUpdated'] } },
				options: alertTriggerFilters,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Alerts',
						name: 'includeAlerts',
						type: 'boolean',
						default: false,
						description: "Whether to include each incident's alerts (with their evidence) in the output",
						displayOptions: { show: { '/event': ['incidentCreated', 'incidentUpdated'] } },
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 1440 },
						default: DEFAULT_OVERLAP_MINUTES,
						description:
							'How far each poll looks back before the newest incident (or alert) already seen, to catch those that become visible late with an older timestamp. What was already emitted is remembered inside this window and not emitted again.',
					},
					{
						displayName: 'Start From (Hours Ago)',
						name: 'startFromHours',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 4320, numberPrecision: 2 },
						default: 0,
						description:
							'On the first activation, also emit the incidents (or alerts) of this many past hours (once, oldest first). 0 emits only those that arrive after activation. Changing the event or the filters starts afresh the same way.',
					},
				],
			},
		],
	};

	// the credential test runs from whichever node the credential is opened in
	methods = { credentialTest: { microsoft365DefenderCredentialTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollIncidents.call(this);
	}
}
