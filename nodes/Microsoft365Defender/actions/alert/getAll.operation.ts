import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	buildAlertFilter,
	incidentPath,
	InvalidInputError,
	parseIncidentId,
	requireDateTime,
	requireEnumValues,
	requirePositiveInteger,
	requireText,
	ALERT_FILTER_STATUSES,
	INCIDENT_SEVERITIES,
	SERVICE_SOURCES,
} from '../../helpers';
import { graphApiRequest, graphApiRequestAllItems } from '../../transport';
import { graphHints } from '../errorHints';
import { alertSeverityStatusAndSourceFilters, filtersCollection, odataFilterField, returnAllAndLimit } from '../descriptions';
import { outputProperties, readOutputChoice, selectQuery, shapeOutput } from '../output';
import { assigneeAndTimeFilters } from '../shared';
import { ALERTS_PAGE_SIZE, ALERTS_PATH } from './common';

const { assignedTo, created, lastUpdated } = assigneeAndTimeFilters('alert');

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	...outputProperties('alert'),
	filtersCollection({
		options: [
			assignedTo,
			...created,
			{
				displayName: 'Incident ID',
				name: 'incidentId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1234',
				description:
					'Only the alerts of this incident (its number or portal link). Graph cannot filter alerts by incident, so the node reads the incident with its alerts and applies the other filters itself; OData Filter cannot be combined with it.',
			},
			...lastUpdated,
			odataFilterField(['assignedTo', 'classification', 'createdDateTime', 'determination', 'lastUpdateDateTime', 'serviceSource', 'severity', 'status']),
			...alertSeverityStatusAndSourceFilters,
		],
	}),
];

const displayOptions = { show: { resource: ['alert'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The filters Graph would apply, applied here to one incident's alerts (same semantics as buildAlertFilter:
 * lists ORed, assignee case-insensitive, After inclusive, Before exclusive).
 */
function alertMatcher(filters: IDataObject, timeZone: string): (alert: IDataObject) => boolean {
	const statuses = requireEnumValues(filters.status, ALERT_FILTER_STATUSES, 'Status');
	const severities = requireEnumValues(filters.severity, INCIDENT_SEVERITIES, 'Severity');
	const sources = requireEnumValues(filters.serviceSource, SERVICE_SOURCES, 'Service Source');
	const assignedTo = isSet(filters.assignedTo) ? requireText(filters.assignedTo, 'Assigned To').trim().toLowerCase() : '';
	const time = (value: unknown, label: string) => (isSet(value) ? Date.parse(requireDateTime(value, label, timeZone)) : undefined);
	const createdAfter = time(filters.createdAfter, 'Created After');
	const createdBefore = time(filters.createdBefore, 'Created Before');
	const updatedAfter = time(filters.lastUpdatedAfter, 'Last Updated After');
	const updatedBefore = time(filters.lastUpdatedBefore, 'Last Updated Before');
	const oneOf = (list: string[], value: unknown) => list.length === 0 || list.includes(String(value));
	return (alert) => {
		const created = Date.parse(String(alert.createdDateTime));
		const updated = Date.parse(String(alert.lastUpdateDateTime));
		return (
			oneOf(statuses, alert.status) &&
			oneOf(severities, alert.severity) &&
			oneOf(sources, alert.serviceSource) &&
			(assignedTo === '' || String(alert.assignedTo ?? '').toLowerCase() === assignedTo) &&
			(createdAfter === undefined || created >= createdAfter) &&
			(createdBefore === undefined || created < createdBefore) &&
			(updatedAfter === undefined || updated >= updatedAfter) &&
			(updatedBefore === undefined || updated < updatedBefore)
		);
	};
}

/** An incident's alerts, as Get Incident's "Include Alerts" returns them, filtered here; newest first like List Alerts. */
async function alertsOfIncident(
	this: IExecuteFunctions,
	filters: IDataObject,
	limit: number | undefined,
	itemIndex: number,
): Promise<IDataObject[]> {
	if (isSet(filters.odataFilter) && requireText(filters.odataFilter, 'OData Filter').trim() !== '') {
		throw new InvalidInputError(
			'"OData Filter" cannot be combined with "Incident ID": Graph cannot filter alerts by incident, so the node filters that incident\'s alerts itself and cannot evaluate raw OData. Use the other filters, or remove Incident ID.',
			'odataFilter',
		);
	}
	const incidentId = parseIncidentId(filters.incidentId, 'Incident ID');
	const matches = alertMatcher(filters, this.getTimezone());
	const incident = await graphApiRequest.call(this, 'GET', incidentPath(incidentId), {
		qs: { $expand: 'alerts' },
		itemIndex,
		hints: graphHints('incident', 'GET', incidentId),
	});
	const alerts = (Array.isArray(incident.alerts) ? (incident.alerts as IDataObject[]) : []).filter(matches);
	alerts.sort((a, b) => String(b.createdDateTime).localeCompare(String(a.createdDateTime)));
	return limit === undefined ? alerts : alerts.slice(0, limit);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as unknown;
	const limit =
		returnAll === true
			? undefined
			: requirePositiveInteger(this.getNodeParameter('limit', itemIndex, 50), 'Limit');
	const output = readOutputChoice(
		'alert',
		this.getNodeParameter('output', itemIndex, 'raw'),
		this.getNodeParameter('fields', itemIndex, []),
	);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;

	let alerts: IDataObject[];
	if (isSet(filters.incidentId)) {
		// read through the incident's $expand=alerts, which takes no $select: shaped here
		alerts = await alertsOfIncident.call(this, filters, limit, itemIndex);
	} else {
		const qs: IDataObject = selectQuery(output);
		const filter = buildAlertFilter(filters, this.getTimezone());
		if (filter !== undefined) qs.$filter = filter;
		alerts = await graphApiRequestAllItems.call(this, ALERTS_PATH, qs, {
			limit,
			itemIndex,
			pageSize: ALERTS_PAGE_SIZE,
			hints: graphHints('alert', 'GET'),
		});
	}
	return alerts.map((alert) => shapeOutput('alert', alert, output));
}
