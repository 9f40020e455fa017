import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { alertPath } from '../../helpers';
import { graphApiRequest } from '../../transport';
import { graphHints } from '../errorHints';
import { outputProperties, readOutputChoice, selectQuery, shapeOutput } from '../output';
import { withoutODataContext } from '../shared';
import { alertIdLocator, alertIdParameter } from './common';

const properties: INodeProperties[] = [alertIdLocator, ...outputProperties('alert')];

const displayOptions = { show: { resource: ['alert'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const output = readOutputChoice(
		'alert',
		this.getNodeParameter('output', itemIndex, 'raw'),
		this.getNodeParameter('fields', itemIndex, []),
	);
	const id = await alertIdParameter.call(this, itemIndex);
	const alert = await graphApiRequest.call(this, 'GET', alertPath(id), { qs: selectQuery(output), itemIndex, hints: graphHints('alert', 'GET', id) });
	return [shapeOutput('alert', withoutODataContext(alert), output)];
}
