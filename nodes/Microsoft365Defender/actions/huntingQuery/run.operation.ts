import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { requireIsoDuration, requireText } from '../../helpers';
import { graphApiRequest } from '../../transport';
import { HUNTING_HINTS } from '../errorHints';

const properties: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		required: true,
		placeholder: 'e.g. DeviceProcessEvents | where FileName == "powershell.exe" | take 10',
		description:
			'The advanced hunting query, in Kusto Query Language (KQL), over Defender tables such as DeviceProcessEvents, EmailEvents, IdentityLogonEvents or AlertInfo. Each result row becomes one output item.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Timespan',
				name: 'timespan',
				type: 'string',
				default: '',
				placeholder: 'e.g. P7D',
				description:
					'How far back to look, as an ISO-8601 duration: P7D = 7 days, PT12H = 12 hours. Without it Microsoft applies its default (30 days), unless the query filters on Timestamp itself.',
			},
		],
	},
];

const displayOptions = { show: { resource: ['huntingQuery'], operation: ['run'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const query = requireText(this.getNodeParameter('query', itemIndex, ''), 'Query', { required: true });
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	// runHuntingQuery's parameter names as Graph's $metadata spells them (Learn's examples capitalise them).
	const body: IDataObject = { query };
	if (options.timespan !== undefined && options.timespan !== '') {
		body.timespan = requireIsoDuration(options.timespan, 'Timespan');
	}

	// Read-only, but every run counts against the tenant's hunting quota and a slow query may still be
	// running: retried only on 429 (Graph did not run it), not after a 5xx or a timeout.
	const response = await graphApiRequest.call(this, 'POST', '/security/runHuntingQuery', {
		body,
		itemIndex,
		idempotent: false,
		hints: HUNTING_HINTS,
	});
	if (!Array.isArray(response.results)) {
		throw new NodeOperationError(
			this.getNode(),
			'Microsoft Graph answered the hunting query without a "results" list',
			{ itemIndex },
		);
	}
	return response.results as IDataObject[];
}
