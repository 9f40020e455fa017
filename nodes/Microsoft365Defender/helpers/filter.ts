/**
 * OData $filter for GET /security/incidents and /security/alerts_v2 (shared by the List operations and the trigger).
 *
 *   buildIncidentFilter({ status?, severity?, classification?, assignedTo?, createdAfter?, createdBefore?,
 *                         lastUpdatedAfter?, lastUpdatedBefore?, odataFilter? }) -> string | undefined (undefined = no filter)
 *   buildAlertFilter({ ...the same, serviceSource? }) -> string | undefined   (alert statuses)
 *
 * - status / severity / classification / serviceSource: lists of Graph enum values, ORed within a list; validated (InvalidInputError).
 * - assignedTo: exact match (a UPN such as analyst@contoso.com); quotes are escaped.
 * - createdAfter / lastUpdatedAfter are inclusive (ge), createdBefore / lastUpdatedBefore are exclusive (lt); values may be
 *   ISO text (without a zone: in the workflow's time zone), Date or Luxon DateTime, sent as UTC ISO timestamps.
 * - odataFilter: raw OData, wrapped in parentheses and ANDed with the rest.
 */
import { CLASSIFICATIONS } from './determination';
import { ALERT_FILTER_STATUSES, INCIDENT_SEVERITIES, INCIDENT_STATUSES, SERVICE_SOURCES } from './enums';
import { requireDateTime, requireEnumValues, requireText } from './validation';

export interface IncidentFilterInput {
	status?: unknown;
	severity?: unknown;
	assignedTo?: unknown;
	createdAfter?: unknown;
	createdBefore?: unknown;
	lastUpdatedAfter?: unknown;
	lastUpdatedBefore?: unknown;
	classification?: unknown;
	odataFilter?: unknown;
}

export interface AlertFilterInput extends IncidentFilterInput {
	serviceSource?: unknown;
}

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

/** OData string literal: single quotes doubled. */
export function odataString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

function anyOf(field: string, values: string[]): string | undefined {
	if (values.length === 0) return undefined;
	const terms = values.map((value) => `${field} eq ${odataString(value)}`);
	return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
}

/** `timeZone`: the workflow's (this.getTimezone()), for date values without a zone. */
function buildFilter(input: AlertFilterInput, enumTerms: Array<string | undefined>, timeZone: string): string | undefined {
	const terms = [...enumTerms];
	if (isSet(input.assignedTo)) {
		const assignedTo = requireText(input.assignedTo, 'Assigned To').trim();
		if (assignedTo !== '') terms.push(`assignedTo eq ${odataString(assignedTo)}`);
	}
	if (isSet(input.createdAfter)) {
		terms.push(`createdDateTime ge ${requireDateTime(input.createdAfter, 'Created After', timeZone)}`);
	}
	if (isSet(input.createdBefore)) {
		terms.push(`createdDateTime lt ${requireDateTime(input.createdBefore, 'Created Before', timeZone)}`);
	}
	if (isSet(input.lastUpdatedAfter)) {
		terms.push(`lastUpdateDateTime ge ${requireDateTime(input.lastUpdatedAfter, 'Last Updated After', timeZone)}`);
	}
	if (isSet(input.lastUpdatedBefore)) {
		terms.push(`lastUpdateDateTime lt ${requireDateTime(input.lastUpdatedBefore, 'Last Updated Before', timeZone)}`);
	}
	if (isSet(input.odataFilter)) {
		const raw = requireText(input.odataFilter, 'OData Filter').trim();
		if (raw !== '') terms.push(`(${raw})`);
	}
	const present = terms.filter((term): term is string => term !== undefined);
	return present.length > 0 ? present.join(' and ') : undefined;
}

export function buildIncidentFilter(input: IncidentFilterInput, timeZone = 'UTC'): string | undefined {
	return buildFilter(input, [
		anyOf('status', requireEnumValues(input.status, INCIDENT_STATUSES, 'Status')),
		anyOf('severity', requireEnumValues(input.severity, INCIDENT_SEVERITIES, 'Severity')),
		anyOf('classification', requireEnumValues(input.classification, CLASSIFICATIONS, 'Classification')),
	], timeZone);
}

export function buildAlertFilter(input: AlertFilterInput, timeZone = 'UTC'): string | undefined {
	return buildFilter(input, [
		anyOf('status', requireEnumValues(input.status, ALERT_FILTER_STATUSES, 'Status')),
		anyOf('severity', requireEnumValues(input.severity, INCIDENT_SEVERITIES, 'Severity')),
		anyOf('serviceSource', requireEnumValues(input.serviceSource, SERVICE_SOURCES, 'Service Source')),
		anyOf('classification', requireEnumValues(input.classification, CLASSIFICATIONS, 'Classification')),
	], timeZone);
}
