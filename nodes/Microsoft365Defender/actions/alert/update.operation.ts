import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ALERT_STATUSES, ALERT_STATUS_OPTIONS, alertPath, buildUpdateChanges, parseAlertId } from '../../helpers';
import { graphApiRequest } from '../../transport';
import { verdictFields, withoutODataContext } from '../shared';
import { alertIdLocator } from './common';

const [classificationField, determinationField] = verdictFields('alert');

const properties: INodeProperties[] = [
	alertIdLocator,
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
				description: 'Who owns the alert (usually a user principal name). Leave empty to unassign.',
			},
			classificationField,
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: "Text added to the alert's comments (comments are only ever added, never replaced)",
			},
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
	const id = parseAlertId(this.getNodeParameter('alertId', itemIndex), 'Alert');
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const { changes, comment } = buildUpdateChanges(fields, { statuses: ALERT_STATUSES, customTags: false });
	const path = alertPath(id);

	let alert: IDataObject | undefined;
	if (Object.keys(changes).length > 0) {
		alert = await graphApiRequest.call(this, 'PATCH', path, { body: changes, itemIndex });
	}
	if (comment !== undefined) {
		// Graph answers a comment with the comment list; output the alert as it is now instead.
		await graphApiRequest.call(this, 'POST', `${path}/comments`, {
			body: { '@odata.type': 'microsoft.graph.security.alertComment', comment },
			itemIndex,
		});
		alert = await graphApiRequest.call(this, 'GET', path, { itemIndex });
	}
	return [withoutODataContext(alert ?? {})];
}
