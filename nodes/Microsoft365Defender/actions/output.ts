/**
 * The "Output" choice of the incident and alert Get / List operations, as n8n's Microsoft Outlook v2 node has
 * it: Raw (Graph's objects as returned, the default and the contract), Simplified (the fields a person or an AI
 * agent reads first, in that order, without OData annotations) or Selected Fields (Graph's `$select`).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { InvalidInputError, requireEnumValues } from '../helpers';

export type OutputEntity = 'incident' | 'alert';
export type OutputMode = 'raw' | 'simple' | 'fields';

/**
 * Properties of microsoft.graph.security.incident and .alert in Graph v1.0's $metadata
 * (schema/graph-security.json; a unit test keeps these lists equal to it).
 */
export const SELECTABLE_FIELDS: Record<OutputEntity, string[]> = {
	incident: [
		'id', 'assignedTo', 'classification', 'comments', 'createdDateTime', 'customTags', 'description', 'determination',
		'displayName', 'incidentWebUrl', 'lastModifiedBy', 'lastUpdateDateTime', 'priorityScore', 'redirectIncidentId',
		'resolvingComment', 'severity', 'status', 'summary', 'systemTags', 'tenantId',
	],
	alert: [
		'id', 'actorDisplayName', 'additionalData', 'alertPolicyId', 'alertWebUrl', 'assignedTo', 'categories', 'category',
		'classification', 'comments', 'createdDateTime', 'customDetails', 'description', 'detectionSource', 'detectorId',
		'determination', 'evidence', 'firstActivityDateTime', 'incidentId', 'incidentWebUrl', 'investigationState',
		'lastActivityDateTime', 'lastUpdateDateTime', 'mitreTechniques', 'productName', 'providerAlertId',
		'recommendedActions', 'resolvedDateTime', 'serviceSource', 'severity', 'status', 'systemTags', 'tenantId',
		'threatDisplayName', 'threatFamilyName', 'title',
	],
};

/** Simplified output: these fields, in this order (those Graph did not return are left out). */
export const SIMPLIFIED_FIELDS: Record<OutputEntity, string[]> = {
	incident: [
		'id', 'displayName', 'severity', 'status', 'classification', 'determination', 'assignedTo',
		'createdDateTime', 'lastUpdateDateTime', 'incidentWebUrl', 'customTags',
	],
	alert: [
		'id', 'title', 'severity', 'status', 'classification', 'determination', 'assignedTo',
		'createdDateTime', 'lastUpdateDateTime', 'alertWebUrl', 'incidentId', 'serviceSource', 'category', 'description',
	],
};

/**
 * The node's description when n8n wraps it as an AI Agent tool (usableAsTool): the default of the tool's
 * "Description" when set manually, and what agents read about the node.
 */
export const TOOL_DESCRIPTION =
	'Reads and updates Microsoft Defender XDR incidents and alerts and runs advanced hunting (KQL) queries through Microsoft Graph. ' +
	'For incidents and alerts, ask for Output "Simplified" (id, title, severity, status, classification, determination, ' +
	'assignee, times and portal link first, much smaller than the raw Graph objects) unless a field only the raw object has is needed.';

/** `output` and `fields` of one operation (shown on its resource and operation by the caller's displayOptions). */
export function outputProperties(entity: OutputEntity): INodeProperties[] {
	const plural = `${entity}s`;
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'raw',
			options: [
				{
					name: 'Raw',
					value: 'raw',
					description: `The ${plural} as Microsoft Graph returns them, every field`,
				},
				{
					name: 'Simplified',
					value: 'simple',
					description: `The main fields first (ID, ${entity === 'incident' ? 'name' : 'title'}, severity, status, verdict, assignee, times, portal link), without OData annotations. Best for reading and for AI agents.`,
				},
				{
					name: 'Selected Fields',
					value: 'fields',
					description: 'Only the fields you pick (Graph $select); the ID is always included',
				},
			],
			description: `The shape of each output ${entity}. AI agents: ask for Simplified, it is far smaller than Raw.`,
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'multiOptions',
			options: SELECTABLE_FIELDS[entity]
				.filter((field) => field !== 'id')
				.map((field) => ({ name: field, value: field })),
			default: [],
			required: true,
			description: `The ${entity} fields to return (Graph property names); the ID is always included`,
			displayOptions: { show: { output: ['fields'] } },
		},
	];
}

export interface OutputChoice {
	mode: OutputMode;
	/** only for mode 'fields': the `$select` properties, id first */
	select?: string[];
}

/** Reads and checks Output / Fields (before any request is sent). */
export function readOutputChoice(entity: OutputEntity, output: unknown, fields: unknown): OutputChoice {
	const mode = output === undefined || output === null || output === '' ? 'raw' : output;
	if (mode !== 'raw' && mode !== 'simple' && mode !== 'fields') {
		throw new InvalidInputError(
			`"Output" has the unknown value ${JSON.stringify(mode)}; allowed: raw, simple (Simplified), fields (Selected Fields)`,
			'output',
		);
	}
	if (mode !== 'fields') return { mode };
	const chosen = requireEnumValues(fields, SELECTABLE_FIELDS[entity], 'Fields');
	if (chosen.length === 0) {
		throw new InvalidInputError('"Fields": choose at least one field for Output "Selected Fields"', 'fields');
	}
	return { mode, select: ['id', ...chosen.filter((field) => field !== 'id')] };
}

/** Query options the choice adds to a Graph request: `$select` for Selected Fields. */
export function selectQuery(choice: OutputChoice): IDataObject {
	return choice.select === undefined ? {} : { $select: choice.select.join(',') };
}

function pick(object: IDataObject, fields: string[]): IDataObject {
	const out: IDataObject = {};
	for (const field of fields) if (field in object) out[field] = object[field];
	return out;
}

/**
 * One Graph object in the chosen shape. Raw: unchanged. Simplified: SIMPLIFIED_FIELDS in order (an incident's
 * expanded alerts simplified the same way). Selected Fields: the selected properties in the order chosen
 * (plus expanded alerts), without OData annotations; applied here too for answers Graph cannot $select
 * (an incident's alerts read through List Alerts' Incident ID filter).
 */
export function shapeOutput(entity: OutputEntity, object: IDataObject, choice: OutputChoice): IDataObject {
	if (choice.mode === 'raw') return object;
	const shaped = pick(object, choice.mode === 'simple' ? SIMPLIFIED_FIELDS[entity] : (choice.select ?? []));
	if (entity === 'incident' && Array.isArray(object.alerts)) {
		shaped.alerts =
			choice.mode === 'simple'
				? (object.alerts as IDataObject[]).map((alert) => shapeOutput('alert', alert, choice))
				: object.alerts;
	}
	return shaped;
}
