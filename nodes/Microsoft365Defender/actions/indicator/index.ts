import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as getAll from './getAll.operation';

export { create, getAll };
// `delete` is a reserved word: exported under its operation name for the router
export { del as delete };

/** This resource's option in the node's Resource parameter (actions/resources.ts registers it). */
export const resource: INodePropertyOptions = {
	name: 'Indicator',
	value: 'indicator',
	description: 'Defender for Endpoint custom indicators: block, audit or allow hashes, certificates, IPs, domains and URLs',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['indicator'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a custom indicator (needs an app credential: Defender has no delegated permission for it)',
				action: 'Delete an indicator',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List Defender for Endpoint custom indicators, optionally filtered by type, action or value',
				action: 'Get many indicators',
			},
			{
				name: 'Submit',
				value: 'create',
				description: 'Block, audit or allow a file hash, certificate, IP address, domain or URL everywhere (updates an indicator of the same value)',
				action: 'Submit an indicator',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...create.description,
	...del.description,
];
