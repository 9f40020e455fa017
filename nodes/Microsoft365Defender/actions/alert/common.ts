/** Parameters shared by the alert operations and the trigger's alert events. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ALERT_STATUS_FILTER_OPTIONS, INCIDENT_SEVERITY_OPTIONS, SERVICE_SOURCE_OPTIONS, parseAlertLink } from '../../helpers';
import { assigneeAndTimeFilters, linkedIdParameter } from '../shared';

export const ALERTS_PATH = '/security/alerts_v2';
/**
 * $top of each alerts_v2 page: 2,000, so 10,000 alerts take 5 requests. Microsoft's "List alerts_v2" page
 * (microsoft-graph-docs-contrib api-reference/v1.0/api/security-list-alerts_v2.md) documents $top but names
 * no maximum; 2,000 is this package's choice, not confirmed by a Microsoft source nor by a live tenant. Should
 * Graph serve fewer per page, it answers with an @odata.nextLink and paging goes on: nothing is lost.
 */
export const ALERTS_PAGE_SIZE = 2000;

/** Severity, status and service source (each a list of values, ORed), as List Alerts and the trigger offer them. */
export const alertSeverityStatusAndSourceFilters: INodeProperties[] = [
	{
		displayName: 'Service Source',
		name: 'serviceSource',
		type: 'multiOptions',
		options: SERVICE_SOURCE_OPTIONS,
		default: [],
		description: 'Only alerts from one of these Microsoft security products',
	},
	{
		displayName: 'Severity',
		name: 'severity',
		type: 'multiOptions',
		options: INCIDENT_SEVERITY_OPTIONS,
		default: [],
		description: 'Only alerts with one of these severities',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'multiOptions',
		options: ALERT_STATUS_FILTER_OPTIONS,
		default: [],
		description: 'Only alerts with one of these statuses',
	},
];

/** The trigger's alert filters: the List filters severity, status and service source, and the assignee. */
export const alertTriggerFilters: INodeProperties[] = [assigneeAndTimeFilters('alert').assignedTo, ...alertSeverityStatusAndSourceFilters];

export const alertIdLocator: INodeProperties = {
	displayName: 'Alert',
	name: 'alertId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The alert: pick a recent one, enter its ID (such as da637551227677560813_-961444813), or paste its link from the Microsoft Defender portal',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an alert...',
			typeOptions: {
				searchListMethod: 'searchAlerts',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. da637551227677560813_-961444813',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9][A-Za-z0-9_-]*\\s*$',
						errorMessage: 'Alert: not an alert ID (letters, digits, _ and -, e.g. da637551227677560813_-961444813)',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://security.microsoft.com/alerts/da637551227677560813_-961444813?tid=...',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^https://[^/]+/alerts/[A-Za-z0-9][A-Za-z0-9_-]*.*$',
						errorMessage: 'Alert: not a Microsoft Defender alert link (e.g. https://security.microsoft.com/alerts/da637551227677560813_-961444813)',
					},
				},
			],
			extractValue: { type: 'regex', regex: '^https://[^/]+/alerts/([A-Za-z0-9][A-Za-z0-9_-]*)' },
		},
	],
};

/** The Alert parameter's id; a portal link of another tenant than the credential's is refused. */
export async function alertIdParameter(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	return await linkedIdParameter.call(this, itemIndex, { name: 'alertId', field: 'Alert', what: 'an alert', parse: parseAlertLink });
}
