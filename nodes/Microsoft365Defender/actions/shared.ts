/** Parameter descriptions and output shaping shared by the incident and alert operations. */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	CLASSIFICATION_OPTIONS,
	DETERMINATION_OPTIONS,
	type IncidentLink,
	assertLinkTenant,
	describeDeterminationTable,
	requireBoolean,
	requirePositiveInteger,
} from '../helpers';
import { getCredentialType, graphApiRequest } from '../transport';
import { graphHints } from './errorHints';

type Entity = 'incident' | 'alert';

/** The limit the Return All / Limit pair asks for: undefined = Return All. */
export function listLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (requireBoolean(ctx.getNodeParameter('returnAll', itemIndex, false), 'Return All')) return undefined;
	return requirePositiveInteger(ctx.getNodeParameter('limit', itemIndex, 50), 'Limit');
}

/** Classification and Determination of an update (in that order), with Graph's pairing spelled out for people and AI agents. */
export function verdictFields(entity: Entity): [INodeProperties, INodeProperties] {
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
			description: `Why the classification was chosen. Needs Classification in the same update, and must fit it: ${describeDeterminationTable()}.`,
		},
	];
}

/** "Assigned To", a filter or an update field: the same field, described for where it is. */
const assignedToField = (description: string): INodeProperties => ({
	displayName: 'Assigned To',
	name: 'assignedTo',
	type: 'string',
	default: '',
	placeholder: 'e.g. analyst@contoso.com',
	description,
});

/**
 * Filters Assigned To (List and trigger), Created After and Created Before, Last Updated After and Before
 * (List); the List shows them in that order.
 */
export function assigneeAndTimeFilters(entity: Entity): {
	assignedTo: INodeProperties;
	created: INodeProperties[];
	lastUpdated: INodeProperties[];
} {
	const plural = `${entity}s`;
	return {
		assignedTo: assignedToField(`Only ${plural} assigned to this user (exact match, usually a user principal name)`),
		created: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: `Only ${plural} created at or after this time. A value without a time zone is read in the workflow's time zone (workflow settings).`,
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: `Only ${plural} created before this time. A value without a time zone is read in the workflow's time zone (workflow settings).`,
			},
		],
		lastUpdated: [
			{
				displayName: 'Last Updated After',
				name: 'lastUpdatedAfter',
				type: 'dateTime',
				default: '',
				description: `Only ${plural} last updated at or after this time. A value without a time zone is read in the workflow's time zone (workflow settings).`,
			},
			{
				displayName: 'Last Updated Before',
				name: 'lastUpdatedBefore',
				type: 'dateTime',
				default: '',
				description: `Only ${plural} last updated before this time. A value without a time zone is read in the workflow's time zone (workflow settings).`,
			},
		],
	};
}

/** Update Fields "Assigned To" and "Comment". */
export function assigneeAndCommentFields(entity: Entity): { assignedTo: INodeProperties; comment: INodeProperties } {
	return {
		assignedTo: assignedToField(`Who owns the ${entity} (usually a user principal name). Leave empty to unassign.`),
		comment: {
			displayName: 'Comment',
			name: 'comment',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: `Text added to the ${entity}'s comments (comments are only ever added, never replaced)`,
		},
	};
}

/**
 * PATCH the changes (if any), then POST the comment (if any) and read the entity as it is now (a comment
 * moves lastUpdateDateTime; Graph answers it with the comment list, not the entity).
 */
export async function updateWithComment(
	this: IExecuteFunctions,
	path: string,
	{ changes, comment }: { changes: IDataObject; comment?: string },
	itemIndex: number,
	/** what is updated: its hints, and the partial-failure message "Incident 1001 was updated …" */
	target: { entity: Entity; id: string },
): Promise<IDataObject> {
	const label = `${target.entity === 'incident' ? 'Incident' : 'Alert'} ${target.id}`;
	let entity: IDataObject | undefined;
	if (Object.keys(changes).length > 0) {
		entity = await graphApiRequest.call(this, 'PATCH', path, {
			body: changes,
			itemIndex,
			hints: graphHints(target.entity, 'PATCH', target.id),
		});
	}
	if (comment !== undefined) {
		try {
			await graphApiRequest.call(this, 'POST', `${path}/comments`, {
				body: { '@odata.type': 'microsoft.graph.security.alertComment', comment },
				itemIndex,
				hints: graphHints(target.entity, 'POST', target.id),
			});
		} catch (error) {
			if (entity === undefined) throw error;
			// the PATCH is applied: say so, not a plain failure that invites a blind re-run
			const cause = error as Error & { description?: string };
			throw new NodeOperationError(
				this.getNode(),
				`${label} was updated (${Object.keys(changes).join(', ')}), but adding the comment failed: ${cause.message}`,
				{
					itemIndex,
					description: [cause.description, 'Add the comment again; the other changes need not be re-sent.']
						.filter(Boolean)
						.join('; '),
				},
			);
		}
		entity = await graphApiRequest.call(this, 'GET', path, { itemIndex, hints: graphHints(target.entity, 'GET', target.id) });
	}
	return withoutODataContext(entity ?? {});
}

/** Graph's single-entity answers carry an @odata.context; the entity is the rest. */
export function withoutODataContext(entity: IDataObject): IDataObject {
	const { '@odata.context': _context, ...rest } = entity;
	return rest;
}

/**
 * The id of an Incident / Alert locator parameter; a portal link of another tenant than the credential's
 * is refused (MSSPs manage many: the same id must not be acted on in the wrong one).
 */
export async function linkedIdParameter(
	this: IExecuteFunctions,
	itemIndex: number,
	{ name, field, what, parse }: { name: string; field: string; what: string; parse: (value: unknown, field: string) => IncidentLink },
): Promise<string> {
	const link = parse(this.getNodeParameter(name, itemIndex), field);
	if (link.tenantId !== undefined) {
		const credentials = await this.getCredentials(getCredentialType.call(this), itemIndex);
		assertLinkTenant(link, credentials.tenantId, field, what);
	}
	return link.id;
}
