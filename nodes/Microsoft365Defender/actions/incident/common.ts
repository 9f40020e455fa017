/** Parameters shared by several incident operations and the trigger. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CLASSIFICATION_OPTIONS, INCIDENT_SEVERITY_OPTIONS, INCIDENT_STATUS_OPTIONS, parseIncidentLink } from '../../helpers';
import { assigneeAndTimeFilters, linkedIdParameter } from '../shared';

/** The severity and status filters (each a list of values, ORed), as List Incidents and the trigger offer them. */
export const severityAndStatusFilters: INodeProperties[] = [
	{
		displayName: 'Severity',
		name: 'severity',
		type: 'multiOptions',
		options: INCIDENT_SEVERITY_OPTIONS,
		default: [],
		description: 'Only incidents with one of these severities',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'multiOptions',
		options: INCIDENT_STATUS_OPTIONS,
		default: [],
		description: 'Only incidents with one of these statuses',
	},
];

/** The trigger's incident filters: severity and status, the assignee and the classification (all Graph $filter properties). */
export const incidentTriggerFilters: INodeProperties[] = [
	assigneeAndTimeFilters('incident').assignedTo,
	{
		displayName: 'Classification',
		name: 'classification',
		type: 'multiOptions',
		options: CLASSIFICATION_OPTIONS,
		default: [],
		description: 'Only incidents with one of these classifications (a new incident is Unknown until someone classifies it)',
	},
	...severityAndStatusFilters,
];

export const incidentIdLocator: INodeProperties = {
	displayName: 'Incident',
	name: 'incidentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The incident: pick a recent one, enter its numeric ID, or paste its link from the Microsoft Defender portal',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an incident...',
			typeOptions: {
				searchListMethod: 'searchIncidents',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Incident: not a numeric incident ID (e.g. 1234)' },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://security.microsoft.com/incidents/1234?tid=...',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^https://[^/]+/incidents?2?/\\d+.*$',
						errorMessage: 'Incident: not a Microsoft Defender incident link (e.g. https://security.microsoft.com/incidents/1234)',
					},
				},
			],
			extractValue: { type: 'regex', regex: '^https://[^/]+/incidents?2?/(\\d+)' },
		},
	],
};

/** Options.includeComments off: the incident without its comments. */
export function withCommentsAsAsked(incident: IDataObject, options: IDataObject): IDataObject {
	if (options.includeComments !== false) return incident;
	const { comments: _comments, ...rest } = incident;
	return rest;
}
export { withoutODataContext } from '../shared';

/** The Incident parameter's id; a portal link of another tenant than the credential's is refused. */
export async function incidentIdParameter(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	return await linkedIdParameter.call(this, itemIndex, { name: 'incidentId', field: 'Incident', what: 'an incident', parse: parseIncidentLink });
}
