import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildIncidentFilter, requirePositiveInteger } from '../../helpers';
import { graphApiRequestAllItems } from '../../transport';
import { returnAllAndLimit } from '../shared';
import { includeAlertsOption, severityAndStatusFilters } from './common';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
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
				description: 'Only incidents created at or after this time',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only incidents created before this time',
			},
			{
				displayName: 'Last Updated After',
				name: 'lastUpdatedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only incidents last updated at or after this time',
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
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as unknown;
	const limit =
		returnAll === true
			? undefined
			: requirePositiveInteger(this.getNodeParameter('limit', itemIndex, 50), 'Limit');
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const qs: IDataObject = {};
	const filter = buildIncidentFilter(filters);
	if (filter !== undefined) qs.$filter = filter;
	if (options.includeAlerts === true) qs.$expand = 'alerts';

	return await graphApiRequestAllItems.call(this, '/security/incidents', qs, { limit, itemIndex });
}
