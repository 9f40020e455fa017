import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	INCIDENT_UPDATE_STATUSES,
	INCIDENT_UPDATE_STATUS_OPTIONS,
	buildUpdateChanges,
	incidentPath,
} from '../../helpers';
import { assigneeAndCommentFields, updateWithComment, verdictFields } from '../shared';
import { incidentIdLocator, incidentIdParameter } from './common';

const [classificationField, determinationField] = verdictFields('incident');
const { assignedTo, comment } = assigneeAndCommentFields('incident');

const properties: INodeProperties[] = [
	incidentIdLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			assignedTo,
			classificationField,
			comment,
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
				options: INCIDENT_UPDATE_STATUS_OPTIONS,
				default: 'active',
				description:
					'The new status of the incident (Awaiting Action is not offered: only Microsoft Defender Experts set it)',
			},
		],
	},
];

const displayOptions = { show: { resource: ['incident'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = await incidentIdParameter.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const update = buildUpdateChanges(fields, {
		statuses: INCIDENT_UPDATE_STATUSES,
		customTags: true,
		// awaitingAction is Defender Experts' status: Graph lists it, Update Incident does not offer it
		reservedStatus: { value: 'awaitingAction', reason: 'is set only by Microsoft Defender Experts' },
	});
	const path = incidentPath(id);

	return [await updateWithComment.call(this, path, update, itemIndex, { entity: 'incident', id })];
}
