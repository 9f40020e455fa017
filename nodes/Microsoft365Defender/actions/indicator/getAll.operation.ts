import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildIndicatorFilter, permissionHint, INDICATOR_TYPE_OPTIONS } from '../../helpers';
import { mdeApiRequestAllItems } from '../../transport';
import { filtersCollection, returnAllAndLimit } from '../descriptions';
import { listLimit } from '../shared';
import { INDICATORS_PAGE_SIZE, INDICATORS_PATH } from './common';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	filtersCollection({
		options: [
			{
				displayName: 'Action',
				name: 'action',
				type: 'multiOptions',
				options: [
					{ name: 'Alert (Retired)', value: 'Alert' },
					{ name: 'Alert And Block (Retired)', value: 'AlertAndBlock' },
					{ name: 'Allowed', value: 'Allowed' },
					{ name: 'Audit', value: 'Audit' },
					{ name: 'Block', value: 'Block' },
					{ name: 'Block And Remediate', value: 'BlockAndRemediate' },
					{ name: 'Warn', value: 'Warn' },
				],
				default: [],
				description: 'Only indicators with one of these actions (older indicators may still carry a retired one)',
			},
			{
				displayName: 'Indicator Type',
				name: 'indicatorType',
				type: 'multiOptions',
				options: INDICATOR_TYPE_OPTIONS,
				default: [],
				description: 'Only indicators of one of these types',
			},
			{
				displayName: 'Indicator Value',
				name: 'indicatorValue',
				type: 'string',
				default: '',
				placeholder: 'e.g. malicious.example.com',
				description: 'Only the indicator with this value (a hash, IP address, domain or URL)',
			},
			{
				displayName: 'OData Filter',
				name: 'odataFilter',
				type: 'string',
				default: '',
				placeholder: "e.g. severity eq 'High'",
				description:
					'A raw OData $filter expression, combined with the other filters using "and". Filterable properties: indicatorValue, indicatorType, action, severity, title, application, createdBy, createdByDisplayName, creationTimeDateTimeUtc, expirationTime, generateAlert, rbacGroupNames, rbacGroupIds.',
			},
		],
	}),
];

const displayOptions = { show: { resource: ['indicator'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = listLimit(this, itemIndex);
	const qs: IDataObject = {};
	const filter = buildIndicatorFilter(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	if (filter !== undefined) qs.$filter = filter;
	return await mdeApiRequestAllItems.call(this, INDICATORS_PATH, qs, {
		limit,
		itemIndex,
		pageSize: INDICATORS_PAGE_SIZE,
		hints: { permission: permissionHint('indicators') },
	});
}
