import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DEVICE_CODE_CREDENTIAL } from '../../auth';
import { permissionHint, requireIndicatorId } from '../../helpers';
import { getCredentialType, mdeApiRequest } from '../../transport';
import { indicatorPath } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Indicator ID',
		name: 'indicatorId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 995',
		description: 'The ID of the indicator (the ID in the output of Get Many or Submit). Needs an app (client credentials or managed identity): Defender offers no delegated permission for deleting.',
	},
];

const displayOptions = { show: { resource: ['indicator'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = requireIndicatorId(this.getNodeParameter('indicatorId', itemIndex, ''));
	if (getCredentialType.call(this) === DEVICE_CODE_CREDENTIAL) {
		throw new NodeOperationError(this.getNode(), 'Delete Indicator cannot be done with a user sign-in (Device Code)', {
			itemIndex,
			description:
				'Defender for Endpoint documents only application permissions (Ti.ReadWrite or Ti.ReadWrite.All) for deleting an indicator (api/delete-ti-indicator-by-id): use a Client Credentials or Managed Identity credential for this node',
		});
	}
	await mdeApiRequest.call(this, 'DELETE', indicatorPath(id), {
		itemIndex,
		hints: { permission: permissionHint('deleteIndicator'), notFound: `Indicator ${id} not found` },
	});
	return [{ id, deleted: true }];
}
