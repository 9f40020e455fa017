import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { SCAN_TYPES, requireEnumValue } from '../../helpers';
import { deviceActionProperties, runDeviceAction } from './common';

const displayOptions = { show: { resource: ['device'], operation: ['runAntivirusScan'] } };

export const description = updateDisplayOptions(
	displayOptions,
	deviceActionProperties([
		{
			displayName: 'Scan Type',
			name: 'scanType',
			type: 'options',
			options: [
				{ name: 'Full', value: 'Full', description: 'Every file on the device (can take hours)' },
				{ name: 'Quick', value: 'Quick', description: 'The places malware usually hides' },
			],
			default: 'Quick',
			description: 'Which Microsoft Defender Antivirus scan to run',
		},
	]),
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const scanType = requireEnumValue(this.getNodeParameter('scanType', itemIndex, 'Quick'), SCAN_TYPES, 'Scan Type');
	return await runDeviceAction.call(this, itemIndex, { segment: 'runAntiVirusScan', type: 'RunAntiVirusScan', permission: 'runAntivirusScan' }, { ScanType: scanType });
}
