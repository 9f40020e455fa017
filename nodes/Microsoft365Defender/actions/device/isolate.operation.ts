import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ISOLATION_TYPES, requireEnumValue } from '../../helpers';
import { deviceActionProperties, runDeviceAction } from './common';

const displayOptions = { show: { resource: ['device'], operation: ['isolate'] } };

export const description = updateDisplayOptions(
	displayOptions,
	deviceActionProperties([
		{
			displayName: 'Isolation Type',
			name: 'isolationType',
			type: 'options',
			options: [
				{
					name: 'Full',
					value: 'Full',
					description: 'Cut the device off the network, except for its connection to Defender',
				},
				{
					name: 'Selective',
					value: 'Selective',
					description: 'Also keep Outlook, Teams and Skype for Business working (Windows only)',
				},
				{
					name: 'Unmanaged Device',
					value: 'UnManagedDevice',
					description: 'Contain a device that Defender discovered but that is not onboarded',
				},
			],
			default: 'Full',
			description: 'How far the device is cut off',
		},
	]),
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const isolationType = requireEnumValue(this.getNodeParameter('isolationType', itemIndex, 'Full'), ISOLATION_TYPES, 'Isolation Type');
	return await runDeviceAction.call(this, itemIndex, { segment: 'isolate', type: 'Isolate', permission: 'isolate' }, { IsolationType: isolationType });
}
