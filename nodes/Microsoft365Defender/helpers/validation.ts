/**
 * Input checks shared by the action node and the trigger. Each throws InvalidInputError, whose message
 * names the parameter and says what is allowed; it is thrown before any request is sent.
 * Callers turn it into n8n's NodeOperationError with toNodeOperationError(node, error, itemIndex)
 * (the action node's router does this for every operation).
 *
 *   requireText(value, label, { required? })            string; refuses objects/arrays from expressions
 *   requireEnumValue(value, allowed, label)             one of allowed
 *   requireEnumValues(value, allowed, label)            string[] (array or comma-separated text), each allowed
 *   requireDateTime(value, label)                       ISO-8601 UTC string ('2024-05-01T00:00:00.000Z')
 *   requireIsoDuration(value, label)                    ISO-8601 duration such as 'P7D', 'PT12H'
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
		text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
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
export function requireDateTime(value: unknown, label: string): string {
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
		date = new Date(value.trim());
	} else {
		requireText(value, label);
	}
	if (date === undefined || Number.isNaN(date.getTime())) {
		throw new InvalidInputError(
			`"${label}" is not a date and time: "${preview(value)}"; use ISO-8601 such as 2024-05-01T00:00:00Z`,
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
