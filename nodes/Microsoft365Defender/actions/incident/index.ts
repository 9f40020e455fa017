import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { get, getAll, update };

/** This resource's option in the node's Resource parameter (actions/resources.ts registers it). */
export const resource: INodePropertyOptions = {
	name: 'Incident',
	value: 'incident',
	description: 'Defender XDR incidents (correlated alerts)',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['incident'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one Defender XDR incident by its ID or portal link',
				action: 'Get an incident',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List Defender XDR incidents, optionally filtered by status, severity, assignee, creation or update time',
				action: 'Get many incidents',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change status, assignee, classification, determination or tags of an incident, or add a comment',
				action: 'Update an incident',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...update.description,
];
