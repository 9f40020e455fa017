import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildIncidentFilter, requireBoolean, requirePositiveInteger } from '../../helpers';
import { graphApiRequestAllItems } from '../../transport';
import { graphHints } from '../errorHints';
import { filtersCollection, incidentOptions, odataFilterField, returnAllAndLimit, severityAndStatusFilters } from '../descriptions';
import { outputProperties, readOutputChoice, selectQuery, shapeOutput } from '../output';
import { assigneeAndTimeFilters } from '../shared';
import { withCommentsAsAsked } from './common';

const { assignedTo, created, lastUpdated } = assigneeAndTimeFilters('incident');

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	...outputProperties('incident'),
	filtersCollection({
		options: [
			assignedTo,
			...created,
			...lastUpdated,
			odataFilterField(['assignedTo', 'classification', 'createdDateTime', 'determination', 'lastUpdateDateTime', 'severity', 'status']),
			...severityAndStatusFilters,
		],
	}),
	incidentOptions,
];

const displayOptions = { show: { resource: ['incident'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	// "true" from an expression means true, not "fall back to the limit"
	const returnAll = requireBoolean(this.getNodeParameter('returnAll', itemIndex, false), 'Return All');
	const limit =
		returnAll
			? undefined
			: requirePositiveInteger(this.getNodeParameter('limit', itemIndex, 50), 'Limit');
	const output = readOutputChoice(
		'incident',
		this.getNodeParameter('output', itemIndex, 'raw'),
		this.getNodeParameter('fields', itemIndex, []),
	);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const qs: IDataObject = selectQuery(output);
	const filter = buildIncidentFilter(filters, this.getTimezone());
	if (filter !== undefined) qs.$filter = filter;
	if (options.includeAlerts === true) qs.$expand = 'alerts';

	const incidents = await graphApiRequestAllItems.call(this, '/security/incidents', qs, { limit, itemIndex, hints: graphHints('incident', 'GET') });
	return incidents.map((incident) => shapeOutput('incident', withCommentsAsAsked(incident, options), output));
}
