import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { get, getAll, update };

/** This resource's option in the node's Resource parameter (actions/resources.ts registers it). */
export const resource: INodePropertyOptions = {
	name: 'Alert',
	value: 'alert',
	description: 'Defender XDR alerts (detections with their evidence: devices, files, users, IPs, URLs)',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['alert'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one Defender XDR alert by its ID or portal link, with its evidence (devices with mdeDeviceId, files with SHA-1/SHA-256, users, IPs, URLs)',
				action: 'Get an alert',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List Defender XDR alerts with their evidence, filtered by status, severity, service source, incident, assignee, creation or update time',
				action: 'Get many alerts',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change status, assignee, classification or determination of an alert, or add a comment',
				action: 'Update an alert',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...update.description,
];
