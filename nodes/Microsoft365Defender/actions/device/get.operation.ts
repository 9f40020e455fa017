import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { permissionHint } from '../../helpers';
import { mdeApiRequest } from '../../transport';
import { withoutODataContext } from '../shared';
import { deviceByName, deviceIdLocator, deviceReference, machinePath } from './common';

const properties: INodeProperties[] = [deviceIdLocator];

const displayOptions = { show: { resource: ['device'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const reference = deviceReference(this, itemIndex);
	if (reference.mode === 'name') return [await deviceByName.call(this, reference.value, itemIndex)];
	const machine = await mdeApiRequest.call(this, 'GET', machinePath(reference.value), {
		itemIndex,
		hints: { permission: permissionHint('readMachines'), notFound: `Device ${reference.value} not found` },
	});
	return [withoutODataContext(machine)];
}
