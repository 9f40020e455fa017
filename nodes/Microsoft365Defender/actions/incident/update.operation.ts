import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	INCIDENT_STATUSES,
	INCIDENT_STATUS_OPTIONS,
	buildUpdateChanges,
	incidentPath,
	parseIncidentId,
} from '../../helpers';
import { graphApiRequest } from '../../transport';
import { verdictFields, withoutODataContext } from '../shared';
import { incidentIdLocator } from './common';

const [classificationField, determinationField] = verdictFields('incident');

const properties: INodeProperties[] = [
	incidentIdLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Assigned To',
				name: 'assignedTo',
				type: 'string',
				default: '',
				placeholder: 'e.g. analyst@contoso.com',
				description: 'Who owns the incident (usually a user principal name). Leave empty to unassign.',
			},
			classificationField,
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: "Text added to the incident's comments (comments are only ever added, never replaced)",
			},
			{
				displayName: 'Custom Tags',
				name: 'customTags',
				type: 'string',
				default: '',
				placeholder: 'e.g. phishing-campaign, vip',
				description:
					'Comma-separated tags. They replace all current custom tags; leave empty to remove them all.',
			},
			determinationField,
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: INCIDENT_STATUS_OPTIONS,
				default: 'active',
				description: 'The new status of the incident',
			},
		],
	},
];

const displayOptions = { show: { resource: ['incident'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = parseIncidentId(this.getNodeParameter('incidentId', itemIndex), 'Incident');
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const { changes, comment } = buildUpdateChanges(fields, { statuses: INCIDENT_STATUSES, customTags: true });
	const path = incidentPath(id);

	let incident: IDataObject | undefined;
	if (Object.keys(changes).length > 0) {
		incident = await graphApiRequest.call(this, 'PATCH', path, { body: changes, itemIndex });
	}
	if (comment !== undefined) {
		await graphApiRequest.call(this, 'POST', `${path}/comments`, {
			body: { '@odata.type': 'microsoft.graph.security.alertComment', comment },
			itemIndex,
		});
		// The comment changes comments and lastUpdateDateTime: read the incident as it is now.
		incident = await graphApiRequest.call(this, 'GET', path, { itemIndex });
	}
	return [withoutODataContext(incident ?? {})];
}
