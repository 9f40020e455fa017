/** Parameter descriptions and output shaping shared by the incident and alert operations. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CLASSIFICATION_OPTIONS, DETERMINATIONS_BY_CLASSIFICATION, DETERMINATION_OPTIONS } from '../helpers';

export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

const determinationTable = Object.entries(DETERMINATIONS_BY_CLASSIFICATION)
	.map(([classification, determinations]) => `${classification}: ${determinations.join(', ')}`)
	.join('; ');

/** Classification and Determination of an update (in that order), with Graph's pairing spelled out for people and AI agents. */
export function verdictFields(entity: 'incident' | 'alert'): [INodeProperties, INodeProperties] {
	return [
		{
			displayName: 'Classification',
			name: 'classification',
			type: 'options',
			options: CLASSIFICATION_OPTIONS,
			default: 'truePositive',
			description: `The verdict on the ${entity}; a Determination must belong to it`,
		},
		{
			displayName: 'Determination',
			name: 'determination',
			type: 'options',
			options: DETERMINATION_OPTIONS,
			default: 'other',
			description: `Why the classification was chosen. Needs Classification in the same update, and must fit it: ${determinationTable}.`,
		},
	];
}

/** Graph's single-entity answers carry an @odata.context; the entity is the rest. */
export function withoutODataContext(entity: IDataObject): IDataObject {
	const { '@odata.context': _context, ...rest } = entity;
	return rest;
}
