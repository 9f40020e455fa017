import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	EXPOSURE_LEVEL_OPTIONS,
	HEALTH_STATUS_OPTIONS,
	RISK_SCORE_OPTIONS,
	buildDeviceFilter,
	permissionHint,
} from '../../helpers';
import { mdeApiRequestAllItems } from '../../transport';
import { filtersCollection, returnAllAndLimit } from '../descriptions';
import { listLimit } from '../shared';
import { MACHINES_PAGE_SIZE, MACHINES_PATH } from './common';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	filtersCollection({
		options: [
			{
				displayName: 'Exposure Level',
				name: 'exposureLevel',
				type: 'multiOptions',
				options: EXPOSURE_LEVEL_OPTIONS,
				default: [],
				description: 'Only devices with one of these exposure levels',
			},
			{
				displayName: 'Health Status',
				name: 'healthStatus',
				type: 'multiOptions',
				options: HEALTH_STATUS_OPTIONS,
				default: [],
				description: 'Only devices with one of these sensor health states',
			},
			{
				displayName: 'Last Seen After',
				name: 'lastSeenAfter',
				type: 'dateTime',
				default: '',
				description:
					"Only devices that reported at or after this time. A value without a time zone is read in the workflow's time zone (workflow settings).",
			},
			{
				displayName: 'Name Starts With',
				name: 'nameStartsWith',
				type: 'string',
				default: '',
				placeholder: 'e.g. ws-finance',
				description: "Only devices whose DNS name starts with this text (case-insensitive)",
			},
			{
				displayName: 'OData Filter',
				name: 'odataFilter',
				type: 'string',
				default: '',
				placeholder: "e.g. onboardingStatus eq 'Onboarded'",
				description:
					'A raw OData $filter expression, combined with the other filters using "and". Filterable properties: computerDnsName, the device ID, version, deviceValue, aadDeviceId, machineTags, lastSeen, exposureLevel, onboardingStatus, lastIpAddress, healthStatus, osPlatform, riskScore, rbacGroupId.',
			},
			{
				displayName: 'OS Platform',
				name: 'osPlatform',
				type: 'string',
				default: '',
				placeholder: 'e.g. Windows11, WindowsServer2022',
				description: "Only devices on one of these platforms (comma-separated, Defender's osPlatform values such as Windows10, Windows11, WindowsServer2022, Linux, macOS)",
			},
			{
				displayName: 'Risk Score',
				name: 'riskScore',
				type: 'multiOptions',
				options: RISK_SCORE_OPTIONS,
				default: [],
				description: 'Only devices with one of these risk scores',
			},
			{
				displayName: 'Tag',
				name: 'machineTag',
				type: 'string',
				default: '',
				placeholder: 'e.g. finance, vip',
				description: 'Only devices with one of these tags (comma-separated)',
			},
		],
	}),
];

const displayOptions = { show: { resource: ['device'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = listLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const filter = buildDeviceFilter(filters, this.getTimezone());
	if (filter !== undefined) qs.$filter = filter;
	// api/get-machines: a tenant without (recently seen) devices answers 404
	return await mdeApiRequestAllItems.call(this, MACHINES_PATH, qs, {
		limit,
		itemIndex,
		pageSize: MACHINES_PAGE_SIZE,
		emptyOn404: true,
		hints: { permission: permissionHint('readMachines') },
	});
}
