import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentPath } from '../../helpers';
import { graphApiRequest } from '../../transport';
import { graphHints } from '../errorHints';
import { incidentOptions } from '../descriptions';
import { outputProperties, readOutputChoice, selectQuery, shapeOutput } from '../output';
import { incidentIdLocator, incidentIdParameter, withCommentsAsAsked, withoutODataContext } from './common';

const properties: INodeProperties[] = [incidentIdLocator, ...outputProperties('incident'), incidentOptions];

const displayOptions = { show: { resource: ['incident'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const output = readOutputChoice(
		'incident',
		this.getNodeParameter('output', itemIndex, 'raw'),
		this.getNodeParameter('fields', itemIndex, []),
	);
	const id = await incidentIdParameter.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = selectQuery(output);
	if (options.includeAlerts === true) qs.$expand = 'alerts';

	const incident = await graphApiRequest.call(this, 'GET', incidentPath(id), { qs, itemIndex, hints: graphHints('incident', 'GET', id) });
	return [shapeOutput('incident', withCommentsAsAsked(withoutODataContext(incident), options), output)];
}
