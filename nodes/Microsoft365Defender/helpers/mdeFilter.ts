/**
 * OData $filter for Defender for Endpoint lists (api/get-machines, api/get-ti-indicators-collection,
 * api/get-machineactions-collection; syntax as api/exposed-apis-odata-samples).
 *
 *   buildDeviceFilter({ nameStartsWith?, healthStatus?, riskScore?, exposureLevel?, osPlatform?, machineTag?,
 *                       lastSeenAfter?, odataFilter? }, timeZone) -> string | undefined
 *   buildIndicatorFilter({ indicatorType?, action?, indicatorValue?, odataFilter? }) -> string | undefined
 *   pendingActionFilter(machineId, type) -> the filter that finds the Pending / InProgress action of that type
 *
 * Lists (enum filters, also comma-separated text) are ORed; everything is ANDed; odataFilter is raw OData,
 * wrapped in parentheses. Enum values are validated (InvalidInputError) before any request.
 */
import { odataString } from './filter';
import {
	EXPOSURE_LEVELS,
	HEALTH_STATUSES,
	INDICATOR_ACTIONS,
	INDICATOR_TYPES,
	RETIRED_INDICATOR_ACTIONS,
	RISK_SCORES,
} from './mdeValues';
import { requireDateTime, requireEnumValues, requireText } from './validation';

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

function anyOf(field: string, values: string[]): string | undefined {
	if (values.length === 0) return undefined;
	const terms = values.map((value) => `${field} eq ${odataString(value)}`);
	return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
}

/** Free text lists (OS platforms, tags): comma-separated, each trimmed. */
function textList(value: unknown, label: string): string[] {
	if (!isSet(value)) return [];
	const list = Array.isArray(value) ? value : requireText(value, label).split(',');
	return list.map((entry) => requireText(entry, label).trim()).filter((entry) => entry !== '');
}

function raw(value: unknown): string | undefined {
	if (!isSet(value)) return undefined;
	const text = requireText(value, 'OData Filter').trim();
	return text === '' ? undefined : `(${text})`;
}

const join = (terms: Array<string | undefined>) => {
	const present = terms.filter((term): term is string => term !== undefined);
	return present.length > 0 ? present.join(' and ') : undefined;
};

export interface DeviceFilterInput {
	nameStartsWith?: unknown;
	healthStatus?: unknown;
	riskScore?: unknown;
	exposureLevel?: unknown;
	osPlatform?: unknown;
	machineTag?: unknown;
	lastSeenAfter?: unknown;
	odataFilter?: unknown;
}

export function buildDeviceFilter(input: DeviceFilterInput, timeZone = 'UTC'): string | undefined {
	const name = isSet(input.nameStartsWith) ? requireText(input.nameStartsWith, 'Name Starts With').trim() : '';
	const tags = textList(input.machineTag, 'Tag');
	return join([
		name === '' ? undefined : `startswith(computerDnsName,${odataString(name)})`,
		anyOf('healthStatus', requireEnumValues(input.healthStatus, HEALTH_STATUSES, 'Health Status')),
		anyOf('riskScore', requireEnumValues(input.riskScore, RISK_SCORES, 'Risk Score')),
		anyOf('exposureLevel', requireEnumValues(input.exposureLevel, EXPOSURE_LEVELS, 'Exposure Level')),
		anyOf('osPlatform', textList(input.osPlatform, 'OS Platform')),
		// a device with any of the tags
		tags.length === 0
			? undefined
			: tags.length === 1
				? `machineTags/any(tag: tag eq ${odataString(tags[0])})`
				: `(${tags.map((tag) => `machineTags/any(tag: tag eq ${odataString(tag)})`).join(' or ')})`,
		isSet(input.lastSeenAfter) ? `lastSeen ge ${requireDateTime(input.lastSeenAfter, 'Last Seen After', timeZone)}` : undefined,
		raw(input.odataFilter),
	]);
}

export interface IndicatorFilterInput {
	indicatorType?: unknown;
	action?: unknown;
	indicatorValue?: unknown;
	odataFilter?: unknown;
}

export function buildIndicatorFilter(input: IndicatorFilterInput): string | undefined {
	const value = isSet(input.indicatorValue) ? requireText(input.indicatorValue, 'Indicator Value').trim() : '';
	return join([
		anyOf('indicatorType', requireEnumValues(input.indicatorType, INDICATOR_TYPES, 'Indicator Type')),
		// older indicators may still carry a retired action: they can be listed
		anyOf('action', requireEnumValues(input.action, [...INDICATOR_ACTIONS, ...RETIRED_INDICATOR_ACTIONS], 'Action')),
		value === '' ? undefined : `indicatorValue eq ${odataString(value)}`,
		raw(input.odataFilter),
	]);
}

/** The Pending or InProgress action of `type` on a device (api/get-machineactions-collection filters). */
export function pendingActionFilter(machineId: string, type: string): string {
	return `machineId eq ${odataString(machineId)} and type eq ${odataString(type)} and (status eq 'Pending' or status eq 'InProgress')`;
}
