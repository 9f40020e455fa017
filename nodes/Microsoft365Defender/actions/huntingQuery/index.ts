import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as run from './run.operation';

export { run };

/** This resource's option in the node's Resource parameter (actions/resources.ts registers it). */
export const resource: INodePropertyOptions = {
	name: 'Hunting Query',
	value: 'huntingQuery',
	description: 'Advanced hunting over Defender XDR data with KQL',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['huntingQuery'] } },
		options: [
			{
				name: 'Run',
				value: 'run',
				description:
					'Run an advanced hunting query (KQL) over Defender XDR data; returns one item per result row',
				action: 'Run a hunting query',
			},
		],
		default: 'run',
	},
	...run.description,
];
