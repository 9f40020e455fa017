/**
 * Graph's own enum values for security incidents (docs: ../shared/INTERFACE.md; judged by Graph v1.0's
 * $metadata, see test/unit/node/graphConformance.test.ts), shared by the action node and the trigger.
 * Classification and determination: ./determination.ts.
 *
 *   INCIDENT_STATUS_OPTIONS, INCIDENT_SEVERITY_OPTIONS   INodePropertyOptions[] for filters (List, trigger)
 *   INCIDENT_UPDATE_STATUS_OPTIONS                       what Update Incident may set: not awaitingAction
 *   INCIDENT_STATUSES, INCIDENT_SEVERITIES, INCIDENT_UPDATE_STATUSES   the bare values
 */
import type { INodePropertyOptions } from 'n8n-workflow';

export const INCIDENT_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Active', value: 'active' },
	{
		name: 'Awaiting Action',
		value: 'awaitingAction',
		description: 'Set only by Microsoft Defender Experts: the incident waits for your action',
	},
	{ name: 'In Progress', value: 'inProgress' },
	{ name: 'Redirected', value: 'redirected' },
	{ name: 'Resolved', value: 'resolved' },
];

export const INCIDENT_SEVERITY_OPTIONS: INodePropertyOptions[] = [
	{ name: 'High', value: 'high' },
	{ name: 'Informational', value: 'informational' },
	{ name: 'Low', value: 'low' },
	{ name: 'Medium', value: 'medium' },
	{ name: 'Unknown', value: 'unknown' },
];

/** awaitingAction is Defender Experts' status ("only Microsoft 365 Defender experts can set this status"). */
export const INCIDENT_UPDATE_STATUS_OPTIONS: INodePropertyOptions[] = INCIDENT_STATUS_OPTIONS.filter(
	(option) => option.value !== 'awaitingAction',
);

const values = (options: INodePropertyOptions[]) => options.map((option) => option.value as string);

export const INCIDENT_STATUSES = values(INCIDENT_STATUS_OPTIONS);
export const INCIDENT_SEVERITIES = values(INCIDENT_SEVERITY_OPTIONS);
export const INCIDENT_UPDATE_STATUSES = values(INCIDENT_UPDATE_STATUS_OPTIONS);
