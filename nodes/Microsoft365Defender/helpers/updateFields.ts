/**
 * The "Update Fields" of Update Incident and Update Alert, checked before the first request so a bad value
 * never leaves a half-done update.
 *
 *   buildUpdateChanges(fields, { statuses, customTags }) -> { changes (the PATCH body), comment? }
 *       status (one of `statuses`), assignedTo, classification + determination (Graph's pairing, see
 *       assertDeterminationFits), customTags (only when `customTags`; comma-separated text or a list),
 *       comment (added separately; an empty one adds nothing). Nothing to change -> InvalidInputError.
 */
import type { IDataObject } from 'n8n-workflow';

import { CLASSIFICATIONS, DETERMINATIONS } from './enums';
import { assertDeterminationFits, InvalidInputError, preview, requireEnumValue, requireText } from './validation';

const has = (fields: IDataObject, key: string) => Object.prototype.hasOwnProperty.call(fields, key);

function parseTags(value: unknown): string[] {
	const entries: unknown[] = Array.isArray(value) ? value : requireText(value, 'Custom Tags').split(',');
	return entries.map((entry) => requireText(entry, 'Custom Tags').trim()).filter((tag) => tag !== '');
}

export function buildUpdateChanges(
	fields: IDataObject,
	{ statuses, customTags }: { statuses: readonly string[]; customTags: boolean },
): { changes: IDataObject; comment?: string } {
	const changes: IDataObject = {};
	if (has(fields, 'status')) changes.status = requireEnumValue(fields.status, statuses, 'Status');
	if (has(fields, 'assignedTo')) changes.assignedTo = requireText(fields.assignedTo, 'Assigned To').trim();
	if (has(fields, 'classification')) {
		changes.classification = requireEnumValue(fields.classification, CLASSIFICATIONS, 'Classification');
	}
	if (has(fields, 'determination')) {
		changes.determination = requireEnumValue(fields.determination, DETERMINATIONS, 'Determination');
	}
	assertDeterminationFits(changes.classification as string | undefined, changes.determination as string | undefined);
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
