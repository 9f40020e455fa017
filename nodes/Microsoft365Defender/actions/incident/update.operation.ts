import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	CLASSIFICATION_OPTIONS,
	DETERMINATION_OPTIONS,
	INCIDENT_UPDATE_STATUSES,
	INCIDENT_UPDATE_STATUS_OPTIONS,
	InvalidInputError,
	describeDeterminationTable,
	incidentPath,
	preview,
	requireEnumValue,
	requireText,
	requireVerdict,
} from '../../helpers';
import { graphApiRequest } from '../../transport';
import { incidentIdLocator, incidentIdParameter, withoutODataContext } from './common';

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
			{
				displayName: 'Classification',
				name: 'classification',
				type: 'options',
				options: CLASSIFICATION_OPTIONS,
				default: 'truePositive',
				description: 'The verdict on the incident; a Determination must belong to it',
			},
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
			{
				displayName: 'Determination',
				name: 'determination',
				type: 'options',
				options: DETERMINATION_OPTIONS,
				default: 'other',
				description: `Why the classification was chosen. Needs Classification in the same update, and must fit it: ${describeDeterminationTable()}.`,
			},
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

const has = (fields: IDataObject, key: string) => Object.prototype.hasOwnProperty.call(fields, key);

function parseTags(value: unknown): string[] {
	const entries: unknown[] = Array.isArray(value)
		? value
		: requireText(value, 'Custom Tags').split(',');
	return entries
		.map((entry) => requireText(entry, 'Custom Tags').trim())
		.filter((tag) => tag !== '');
}

function requireUpdateStatus(value: unknown): string {
	if (requireText(value, 'Status').trim() === 'awaitingAction') {
		throw new InvalidInputError(
			'Status "awaitingAction" is set only by Microsoft Defender Experts; choose one of: ' +
				INCIDENT_UPDATE_STATUSES.join(', '),
			'status',
		);
	}
	return requireEnumValue(value, INCIDENT_UPDATE_STATUSES, 'Status');
}

/** Validates everything before the first request, so a bad value never leaves a half-done update. */
function buildChanges(fields: IDataObject): { changes: IDataObject; comment?: string } {
	const changes: IDataObject = {};
	if (has(fields, 'status')) changes.status = requireUpdateStatus(fields.status);
	if (has(fields, 'assignedTo')) {
		// Graph's assignedTo is "owner, or null if none": empty unassigns.
		const assignedTo = requireText(fields.assignedTo, 'Assigned To').trim();
		changes.assignedTo = assignedTo === '' ? null : assignedTo;
	}
	Object.assign(changes, requireVerdict(fields));
	if (has(fields, 'customTags')) changes.customTags = parseTags(fields.customTags);

	let comment: string | undefined;
	if (has(fields, 'comment')) {
		comment = requireText(fields.comment, 'Comment');
		if (comment.trim() === '') comment = undefined;
	}
	if (Object.keys(changes).length === 0 && comment === undefined) {
		const known = ['assignedTo', 'classification', 'comment', 'customTags', 'determination', 'status'];
		const unknown = Object.keys(fields).filter((key) => !known.includes(key));
		throw new InvalidInputError(
			unknown.length > 0
				? `"Update Fields" has unknown fields (${preview(unknown.join(', '))}); allowed: ${known.join(', ')}`
				: '"Update Fields" is empty; add at least one field to change (an empty Comment adds nothing)',
			'updateFields',
		);
	}
	return { changes, comment };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = await incidentIdParameter.call(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const { changes, comment } = buildChanges(fields);
	const path = incidentPath(id);

	let incident: IDataObject | undefined;
	if (Object.keys(changes).length > 0) {
		incident = await graphApiRequest.call(this, 'PATCH', path, { body: changes, itemIndex });
	}
	if (comment !== undefined) {
		try {
			await graphApiRequest.call(this, 'POST', `${path}/comments`, {
				body: { '@odata.type': 'microsoft.graph.security.alertComment', comment },
				itemIndex,
			});
		} catch (error) {
			if (incident === undefined) throw error;
			// the PATCH is applied: say so, not a plain failure that invites a blind re-run
			const cause = error as Error & { description?: string };
			throw new NodeOperationError(
				this.getNode(),
				`Incident ${id} was updated (${Object.keys(changes).join(', ')}), but adding the comment failed: ${cause.message}`,
				{ itemIndex, description: [cause.description, 'Add the comment again; the other changes need not be re-sent.'].filter(Boolean).join('; ') },
			);
		}
		// The comment changes comments and lastUpdateDateTime: read the incident as it is now.
		incident = await graphApiRequest.call(this, 'GET', path, { itemIndex });
	}
	return [withoutODataContext(incident ?? {})];
}
