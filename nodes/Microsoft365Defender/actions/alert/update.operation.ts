import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ALERT_STATUSES, ALERT_STATUS_OPTIONS, alertPath, buildUpdateChanges } from '../../helpers';
import { assigneeAndCommentFields, updateWithComment, verdictFields } from '../shared';
import { alertIdLocator, alertIdParameter } from './common';

const [classificationField, determinationField] = verdictFields('alert');
const { assignedTo, comment } = assigneeAndCommentFields('alert');

const properties: INodeProperties[] = [
	alertIdLocator,
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
			determinationField,
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: ALERT_STATUS_OPTIONS,
				default: 'inProgress',
				description: 'The new status of the alert',
			},
		],
	},
];

const displayOptions = { show: { resource: ['alert'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = await alertIdParameter.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const update = buildUpdateChanges(fields, { statuses: ALERT_STATUSES, customTags: false });
	const path = alertPath(id);

	return [await updateWithComment.call(this, path, update, itemIndex, { entity: 'alert', id })];
}
