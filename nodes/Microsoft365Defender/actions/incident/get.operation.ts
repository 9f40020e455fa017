import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentPath } from '../../helpers';
import { graphApiRequest } from '../../transport';
import { graphHints } from '../errorHints';
import { incidentIdLocator, incidentIdParameter, includeAlertsOption, withoutODataContext } from './common';

const properties: INodeProperties[] = [
	incidentIdLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includeAlertsOption],
	},
];

const displayOptions = { show: { resource: ['incident'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = await incidentIdParameter.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (options.includeAlerts === true) qs.$expand = 'alerts';

	const incident = await graphApiRequest.call(this, 'GET', incidentPath(id), { qs, itemIndex, hints: graphHints('incident', 'GET', id) });
	return [withoutODataContext(incident)];
}
