/**
 * The errors of a failed request, for both APIs: Graph's and Defender for Endpoint's error bodies share
 * the shape {"error":{"code","message",...}}. Each thing is said once: the message is the statement
 * (Microsoft's message, or the caller's headline such as "Incident 7 not found"), with the HTTP status and
 * Microsoft's code; the description is what to do, when there is something, and the request's id.
 * Request headers and tokens never go into an error.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestMethods, INode, JsonObject } from 'n8n-workflow';

import { errorOriginOf } from '../auth';
import type { MicrosoftApi } from './apis';

/** What the operation knows about its request, said when Microsoft refuses it. */
export interface ErrorHints {
	/** permission(s) the request needs, said on a 403, e.g. 'Machine.Isolate (application and delegated)' */
	permission?: string;
	/** the headline on a 404, e.g. 'Device 1a2b… not found' */
	notFound?: string;
}

/** Microsoft's error of a failed request: its HTTP status and the body's error fields. */
export interface MicrosoftError {
	status: number;
	code?: string;
	message?: string;
	target?: string;
}

export interface ApiResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** What a request was, for its error. */
export interface RequestSummary {
	method: IHttpRequestMethods;
	/** relative to the API's base URL, e.g. '/security/incidents/7' */
	path: string;
	qs?: IDataObject;
	itemIndex?: number;
	hints?: ErrorHints;
}

/** errors this transport made from Microsoft's answers (kept beside the error, not serialised with it) */
const microsoftErrors = new WeakMap<Error, MicrosoftError>();

/** Walks error.cause (n8n wraps the original error in NodeApiError) to the innermost error. */
export function errorChain(error: unknown): Error[] {
	const chain: Error[] = [];
	let current = error as Error | undefined;
	while (current && typeof current === 'object' && chain.length < 6 && !chain.includes(current)) {
		chain.push(current);
		// n8n 1.x's wrapper has lost its cause: the token module's error it stands for, if any
		current = (current as { cause?: Error }).cause ?? errorOriginOf(current);
	}
	return chain;
}

/**
 * Microsoft's error of a failed request made by this transport (Graph's and MDE's share the shape
 * {"error":{"code","message","target"}}); undefined for any other error.
 */
export function microsoftErrorOf(error: unknown): MicrosoftError | undefined {
	for (const e of errorChain(error)) {
		const found = microsoftErrors.get(e);
		if (found) return { ...found };
	}
	return undefined;
}

export function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/** A short, single-line, tag-free preview of a body (an HTML page says its title). */
export function textPreview(body: unknown): string {
	let text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	if (title) text = title;
	text = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

export function notJsonError(node: INode, api: MicrosoftApi, response: ApiResponse, about: RequestSummary): NodeApiError {
	const contentType = header(response.headers, 'content-type') ?? 'no content type';
	const error = new NodeApiError(node, { message: 'not JSON' } as JsonObject, {
		httpCode: String(response.statusCode),
		itemIndex: about.itemIndex,
	});
	error.message = `${api.name} answered HTTP ${response.statusCode} with a body that is not JSON (${contentType}): "${textPreview(response.body)}"`;
	error.description = `${about.method} ${about.path}`;
	return error;
}

function parsedBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** Reads {"error":{...}} of a body; undefined when the body has no such object. */
function errorFields(body: unknown): (MicrosoftError & { requestId?: string }) | undefined {
	const error = (body as { error?: unknown } | undefined)?.error;
	if (error === undefined || typeof error !== 'object' || error === null) return undefined;
	const fields = error as { code?: unknown; message?: unknown; target?: unknown; innerError?: IDataObject };
	return {
		status: 0,
		code: stringOrUndefined(fields.code),
		message: stringOrUndefined(fields.message),
		target: stringOrUndefined(fields.target),
		requestId: stringOrUndefined(fields.innerError?.['request-id']),
	};
}

export interface ErrorWording {
	/** replaces Microsoft's message as the statement (giving up after retries) */
	headline?: string;
	/** what to do, said first in the description */
	hint?: string;
	/** giving up after retries: no per-status hints, Microsoft's message goes into the description */
	giveUp?: boolean;
}

export function apiError(
	node: INode,
	api: MicrosoftApi,
	response: ApiResponse,
	about: RequestSummary,
	wording: ErrorWording = {},
): NodeApiError {
	const { statusCode } = response;
	const body = parsedBody(response.body);
	const fields = errorFields(body);
	const microsoftMessage =
		fields?.message ??
		(body === undefined || body === null || body === ''
			? `HTTP ${statusCode} with an empty body`
			: typeof body === 'object'
				? `HTTP ${statusCode}: ${textPreview(JSON.stringify(body))}`
				: `HTTP ${statusCode} with a body that is not JSON (${header(response.headers, 'content-type') ?? 'no content type'}): "${textPreview(body)}"`);

	let headline = wording.headline ?? microsoftMessage;
	let hint = wording.hint;
	if (!wording.giveUp) {
		const hints = about.hints ?? {};
		if (statusCode === 404 && hints.notFound) {
			headline = hints.notFound;
		} else if (statusCode === 403) {
			hint = hints.permission
				? `Missing permission? This needs the ${api.name} permission ${hints.permission} ${api.permissionNote}`
				: `Missing permission? The app or the signed-in user lacks a ${api.name} permission this request needs ${api.permissionNote}`;
		} else if (statusCode === 400 && typeof about.qs?.$filter === 'string') {
			hint = `Filter sent: ${about.qs.$filter}`;
		} else if (statusCode === 401) {
			hint = `${api.name} refused the access token; check the credential (tenant, app, consent)`;
		}
	}
	const status = `HTTP ${statusCode}${fields?.code ? `, ${fields.code}` : ''}`;
	// Microsoft's own words go into the description only under a headline of ours that leaves them out
	// (giving up); a 404 headline restates them.
	const details: string[] = [];
	if (hint) details.push(hint);
	if (wording.giveUp && headline !== microsoftMessage) details.push(`${api.name}: ${microsoftMessage}`);
	if (fields?.requestId) details.push(`request-id ${fields.requestId}`);
	else if (fields?.target) details.push(`target ${fields.target}`);

	const error = new NodeApiError(
		node,
		(fields ? { error: { code: fields.code ?? null, message: microsoftMessage } } : { message: microsoftMessage }) as JsonObject,
		{ httpCode: String(statusCode), itemIndex: about.itemIndex },
	);
	error.message = `${headline} (${status})`;
	error.description = details.length ? details.join('; ') : undefined;
	microsoftErrors.set(error, {
		status: statusCode,
		code: fields?.code,
		message: fields?.message,
		target: fields?.target,
	});
	return error;
}
