import type { INodeProperties } from 'n8n-workflow';

import * as run from './run.operation';

export { run };

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
