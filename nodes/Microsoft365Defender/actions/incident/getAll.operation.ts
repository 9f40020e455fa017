import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildIncidentFilter, requireBoolean, requirePositiveInteger } from '../../helpers';
import { graphApiRequestAllItems } from '../../transport';
import { includeAlertsOption, severityAndStatusFilters } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Assigned To',
				name: 'assignedTo',
				type: 'string',
				default: '',
				placeholder: 'e.g. analyst@contoso.com',
				description: 'Only incidents assigned to this user (exact match, usually a user principal name)',
			},
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: 'Only incidents created at or after this time. A value without a time zone is read in the workflow\'s time zone (workflow settings).',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only incidents created before this time. A value without a time zone is read in the workflow\'s time zone (workflow settings).',
			},
			{
				displayName: 'Last Updated After',
				name: 'lastUpdatedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only incidents last updated at or after this time. A value without a time zone is read in the workflow\'s time zone (workflow settings).',
			},
			{
				displayName: 'OData Filter',
				name: 'odataFilter',
				type: 'string',
				default: '',
				placeholder: "e.g. classification eq 'truePositive'",
				description:
					'A raw OData $filter expression, combined with the other filters using "and". Filterable properties: assignedTo, classification, createdDateTime, determination, lastUpdateDateTime, severity, status.',
			},
			...severityAndStatusFilters,
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includeAlertsOption],
	},
];

const displayOptions = { show: { resource: ['incident'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	// "true" from an expression means true, not "fall back to the limit"
	const returnAll = requireBoolean(this.getNodeParameter('returnAll', itemIndex, false), 'Return All');
	const limit =
		returnAll
			? undefined
			: requirePositiveInteger(this.getNodeParameter('limit', itemIndex, 50), 'Limit');
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const qs: IDataObject = {};
	const filter = buildIncidentFilter(filters, this.getTimezone());
	if (filter !== undefined) qs.$filter = filter;
	if (options.includeAlerts === true) qs.$expand = 'alerts';

	return await graphApiRequestAllItems.call(this, '/security/incidents', qs, { limit, itemIndex });
}
