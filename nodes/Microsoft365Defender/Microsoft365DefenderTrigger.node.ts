import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { alertTriggerFilters } from './actions/alert/common';
import { authenticationProperty, credentials, filtersCollection, includeAlertsOption, optionsCollection } from './actions/descriptions';
import { incidentTriggerFilters } from './actions/incident/common';
import { microsoft365DefenderCredentialTest } from './methods/credentialTest';
import { applyTransportOptions, type TransportOptions } from './transport';
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
		// n8n's node picker merges this node with the action node (same name without "Trigger") and shows
		// this description for both, under "What triggers this workflow?" and "What happens next?" alike
		description:
			'Triage Microsoft Defender XDR incidents and alerts and run advanced hunting (KQL) queries, or start a workflow when incidents or alerts are created or updated',
		defaults: {
			name: 'Microsoft 365 Defender Trigger',
		},
		credentials,
		polling: true,
		inputs: [],
		outputs: ['main'],
		properties: [
			authenticationProperty,
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
			filtersCollection({
				displayOptions: { show: { event: ['incidentCreated', 'incidentUpdated'] } },
				options: incidentTriggerFilters,
			}),
			filtersCollection({
				displayOptions: { show: { event: ['alertCreated', 'alertUpdated'] } },
				options: alertTriggerFilters,
			}),
			optionsCollection({
				options: [
					{
						...includeAlertsOption,
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
			}),
		],
	};

	// the credential test runs from whichever node the credential is opened in
	methods = { credentialTest: { microsoft365DefenderCredentialTest } };

	poll: (this: IPollFunctions) => Promise<INodeExecutionData[][] | null>;

	/** n8n constructs it without options; tests pass their own retry policy. */
	constructor(options?: TransportOptions) {
		this.poll = async function (this: IPollFunctions) {
			applyTransportOptions(this, options);
			return await pollIncidents.call(this);
		};
	}
}
