/**
 * The "Update Fields" of Update Incident and Update Alert, checked before the first request so a bad value
 * never leaves a half-done update.
 *
 *   buildUpdateChanges(fields, { statuses, customTags, reservedStatus? }) -> { changes (the PATCH body), comment? }
 *       status (one of `statuses`; `reservedStatus` is refused with its reason), assignedTo (empty = null,
 *       Graph's "no owner"), classification + determination (requireVerdict: Graph's pairing, retired
 *       names refused with Graph's name), customTags (only when `customTags`; comma-separated text or a
 *       list), comment (added separately; an empty one adds nothing). Nothing to change -> InvalidInputError.
 */
import type { IDataObject } from 'n8n-workflow';

import { requireVerdict } from './determination';
import { InvalidInputError, preview, requireEnumValue, requireText } from './validation';

const has = (fields: IDataObject, key: string) => Object.prototype.hasOwnProperty.call(fields, key);

function parseTags(value: unknown): string[] {
	const entries: unknown[] = Array.isArray(value) ? value : requireText(value, 'Custom Tags').split(',');
	return entries.map((entry) => requireText(entry, 'Custom Tags').trim()).filter((tag) => tag !== '');
}

export function buildUpdateChanges(
	fields: IDataObject,
	{
		statuses,
		customTags,
		reservedStatus,
	}: { statuses: readonly string[]; customTags: boolean; reservedStatus?: { value: string; reason: string } },
): { changes: IDataObject; comment?: string } {
	const changes: IDataObject = {};
	if (has(fields, 'status')) {
		if (reservedStatus && requireText(fields.status, 'Status').trim() === reservedStatus.value) {
			throw new InvalidInputError(
				`Status "${reservedStatus.value}" ${reservedStatus.reason}; choose one of: ${statuses.join(', ')}`,
				'status',
			);
		}
		changes.status = requireEnumValue(fields.status, statuses, 'Status');
	}
	if (has(fields, 'assignedTo')) {
		// Graph's assignedTo is "owner, or null if none": empty unassigns.
		const assignedTo = requireText(fields.assignedTo, 'Assigned To').trim();
		changes.assignedTo = assignedTo === '' ? null : assignedTo;
	}
	Object.assign(changes, requireVerdict(fields));
	if (customTags && has(fields, 'customTags')) changes.customTags = parseTags(fields.customTags);

	let comment: string | undefined;
	if (has(fields, 'comment')) {
		comment = requireText(fields.comment, 'Comment');
		if (comment.trim() === '') comment = undefined;
	}
	if (Object.keys(changes).length === 0 && comment === undefined) {
		const known = ['assignedTo', 'classification', 'comment', ...(customTags ? ['customTags'] : []), 'determination', 'status'];
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
