/**
 * Input checks shared by the action node and the trigger. Each throws InvalidInputError, whose message
 * names the parameter and says what is allowed; it is thrown before any request is sent.
 * Callers turn it into n8n's NodeOperationError with toNodeOperationError(node, error, itemIndex)
 * (the action node's router does this for every operation).
 *
 *   requireText(value, label, { required? })            string; refuses objects/arrays from expressions
 *   requireEnumValue(value, allowed, label)             one of allowed
 *   requireEnumValues(value, allowed, label)            string[] (array or comma-separated text), each allowed
 *   requireDateTime(value, label, timeZone?)            ISO-8601 UTC string ('2024-05-01T00:00:00.000Z'); zone-less
 *                                                       text is read in timeZone (the workflow's)
 *   requireIsoDuration(value, label)                    ISO-8601 duration such as 'P7D', 'PT12H'
 *   requireBoolean(value, label)                        true/false, also the text "true" / "false"
 *   requirePositiveInteger(value, label)                integer >= 1
 */
import { ExecutionBaseError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

export class InvalidInputError extends Error {
	constructor(
		message: string,
		readonly parameter?: string,
	) {
		super(message);
		this.name = 'InvalidInputError';
	}
}

/** Wraps an InvalidInputError (or any plain Error) into n8n's NodeOperationError; n8n's own errors pass through. */
export function toNodeOperationError(node: INode, error: Error, itemIndex?: number): Error {
	if (error instanceof ExecutionBaseError) return error;
	return new NodeOperationError(node, error.message, { itemIndex });
}

/** Short, single-line preview of a value for error messages (never a whole object dump). */
export function preview(value: unknown, max = 80): string {
	let text: string;
	try {
		// JSON would show Infinity and NaN as "null"
		text = typeof value === 'string' || (typeof value === 'number' && !Number.isFinite(value)) ? String(value) : (JSON.stringify(value) ?? String(value));
	} catch {
		text = String(value);
	}
	text = text.replace(/\s+/g, ' ');
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return `an ${typeof value}`;
}

export function requireText(
	value: unknown,
	label: string,
	{ required = false }: { required?: boolean } = {},
): string {
	let text: string;
	if (value === undefined || value === null) {
		text = '';
	} else if (typeof value === 'string') {
		text = value;
	} else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
		text = String(value);
	} else {
		throw new InvalidInputError(
			`"${label}" must be text, but the expression gave ${describeType(value)}: ${preview(value)}`,
			label,
		);
	}
	if (required && text.trim() === '') {
		throw new InvalidInputError(`"${label}" is empty; enter a value`, label);
	}
	return text;
}

export function requireEnumValue(value: unknown, allowed: readonly string[], label: string): string {
	const text = requireText(value, label).trim();
	if (!allowed.includes(text)) {
		throw new InvalidInputError(
			`"${label}" has the unknown value "${preview(text)}"; allowed: ${allowed.join(', ')}`,
			label,
		);
	}
	return text;
}

export function requireEnumValues(value: unknown, allowed: readonly string[], label: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list: unknown[] = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',').map((part) => part.trim()).filter((part) => part !== '')
			: [value];
	return list.map((entry) => requireEnumValue(entry, allowed, label));
}

/** Accepts ISO text, a JS Date or a Luxon DateTime (what n8n date expressions produce). */
/** ISO-8601 date, or date and time with an optional zone: 2024-05-01, 2024-05-01T10:00, …T10:00:00.5+02:00, …Z */
const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The UTC offset of `timeZone` at instant `ms`, in ms (Intl: no library, IANA names as n8n uses them). */
function zoneOffsetMs(ms: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(ms));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Wall-clock fields in `timeZone` -> the instant (ms); DST-correct by re-checking the offset once. */
function wallClockToUtc(fields: number[], timeZone: string): number {
	const [year, month, day, hour, minute, second, millis] = fields;
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
	let utc = wall - zoneOffsetMs(wall, timeZone);
	utc = wall - zoneOffsetMs(utc, timeZone);
	return utc;
}

function parseIsoDateTime(text: string, timeZone: string): Date | undefined {
	const match = ISO_DATE_TIME.exec(text);
	if (!match) return undefined;
	const [, y, mo, d, h = '0', mi = '0', sec = '0', fraction = '0', zone] = match;
	const fields = [y, mo, d, h, mi, sec].map(Number);
	fields.push(Number(fraction.padEnd(3, '0').slice(0, 3)));
	const [year, month, day, hour, minute, second] = fields;
	const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	// 2024-02-30 or 25:00 are not dates, not "the next valid one"
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour || check.getUTCMinutes() !== minute) return undefined;
	if (zone === undefined) return new Date(wallClockToUtc(fields, timeZone));
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, fields[6]);
	if (zone.toUpperCase() === 'Z') return new Date(wall);
	const [, sign, zh, zm = '00'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
	return new Date(wall - (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000);
}

/**
 * A date and time as Graph wants it (UTC ISO). Accepts ISO-8601 text (a value without a zone is read in
 * `timeZone`, the workflow's time zone), a Date, or an n8n/Luxon DateTime; refuses anything else
 * (JavaScript's Date would read "1" as 2001-01-01).
 */
export function requireDateTime(value: unknown, label: string, timeZone = 'UTC'): string {
	let date: Date | undefined;
	if (value instanceof Date) {
		date = value;
	} else if (
		value !== null &&
		typeof value === 'object' &&
		typeof (value as { toJSDate?: unknown }).toJSDate === 'function'
	) {
		date = (value as { toJSDate: () => Date }).toJSDate();
	} else if (typeof value === 'string' && value.trim() !== '') {
		date = parseIsoDateTime(value.trim(), timeZone);
	} else {
		requireText(value, label);
	}
	if (date === undefined || Number.isNaN(date.getTime())) {
		throw new InvalidInputError(
			`"${label}" is not a date and time: "${preview(value)}"; use ISO-8601 such as 2024-05-01T00:00:00Z (without a zone it is read in the workflow's time zone, ${timeZone})`,
			label,
		);
	}
	return date.toISOString();
}

const ISO_DURATION =
	/^P(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?W)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?$/;

export function requireIsoDuration(value: unknown, label: string): string {
	const text = requireText(value, label).trim();
	if (!ISO_DURATION.test(text.toUpperCase())) {
		throw new InvalidInputError(
			`"${label}" is not an ISO-8601 duration: "${preview(text)}"; use for example P7D (7 days), PT12H (12 hours) or P1DT6H`,
			label,
		);
	}
	return text.toUpperCase();
}

/** A boolean, also as the text "true" / "false" an expression may give; anything else is refused. */
export function requireBoolean(value: unknown, label: string): boolean {
	if (typeof value === 'boolean') return value;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text === 'true' || text === 'false') return text === 'true';
	throw new InvalidInputError(`"${label}" must be true or false, not ${preview(value)}`, label);
}

export function requirePositiveInteger(value: unknown, label: string): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
		throw new InvalidInputError(
			`"${label}" must be a whole number of at least 1, not ${preview(value)}`,
			label,
		);
	}
	return number;
}
