import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requireMachineActionId } from '../../helpers';
import { getMachineAction } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Action ID',
		name: 'actionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 7c3b6a2e-5f1d-4b8a-9e0c-2d4f6a8b0c1e',
		description: 'The ID of a machine action (the ID a device action outputs)',
	},
];

const displayOptions = { show: { resource: ['device'], operation: ['getAction'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = requireMachineActionId(this.getNodeParameter('actionId', itemIndex));
	return [await getMachineAction.call(this, id, itemIndex)];
}
