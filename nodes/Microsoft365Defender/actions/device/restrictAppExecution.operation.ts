import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deviceActionProperties, runDeviceAction } from './common';

const displayOptions = { show: { resource: ['device'], operation: ['restrictAppExecution'] } };

export const description = updateDisplayOptions(displayOptions, deviceActionProperties());

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await runDeviceAction.call(this, itemIndex, { segment: 'restrictCodeExecution', type: 'RestrictCodeExecution', permission: 'restrictAppExecution' });
}
