import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requireSha1 } from '../../helpers';
import { deviceActionProperties, runDeviceAction } from './common';

const displayOptions = { show: { resource: ['device'], operation: ['stopAndQuarantineFile'] } };

export const description = updateDisplayOptions(
	displayOptions,
	deviceActionProperties([
		{
			displayName: 'SHA-1',
			name: 'sha1',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 87662bc3d60e4200ceaf7aae249d1c343f4b83c9',
			description: "The file's SHA-1 hash (as in an alert's file evidence, fileDetails.sha1): its processes are stopped and the file quarantined",
		},
	]),
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const sha1 = requireSha1(this.getNodeParameter('sha1', itemIndex, ''));
	return await runDeviceAction.call(this, itemIndex, { segment: 'StopAndQuarantineFile', type: 'StopAndQuarantineFile', permission: 'stopAndQuarantineFile' }, { Sha1: sha1 });
}
