/**
 * The only module that talks to Microsoft Graph (action node, trigger, listSearch, credential test).
 *
 *   type GraphContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions
 *   graphApiRequest.call(ctx, method, path, { qs?, body?, itemIndex?, idempotent? }) -> Promise<IDataObject>
 *       path is relative to <graph host>/v1.0 ('/security/incidents'), or a full @odata.nextLink
 *       (refused unless it is on the configured Graph host); qs values are sent as given
 *       (encodeURIComponent, '$' kept). idempotent defaults to true except for POST: a 5xx on a
 *       non-idempotent request is not retried (it may have been applied). 204 / empty body -> {}.
 *   graphApiRequestAllItems.call(ctx, path, qs, { limit?, itemIndex?, pageSize? }) -> Promise<IDataObject[]>
 *       collects `value` across @odata.nextLink pages (only links on the configured Graph host are
 *       followed); with a limit it asks $top <= what is still needed and stops as soon as it has enough.
 *   graphNextPage.call(ctx, link, path) -> the page behind a next link from outside (a list search's token);
 *       refused unless it is exactly <graph host>/v1.0<path> with paging parameters only
 *   getCredentialType.call(ctx) -> credential type name selected by the `authentication` parameter
 *   evolvableEnumHeaders(path) -> { Prefer: 'include-unknown-enum-members' } for paths under
 *       /security/incidents and /security/alerts_v2, else {} (also used by the credential test)
 *   retryPolicy: mutable { maxRetries, baseDelayMs, maxDelayMs, maxTotalWaitMs, requestTimeoutMs, maxTotalMs, sleep } (tests shrink it)
 *
 * Retries: 429 always (Graph did not process it), 503/504 and transient network errors only when
 * idempotent; Retry-After (seconds or HTTP date) is honoured, else capped exponential backoff with
 * jitter; the total wait is bounded by maxTotalWaitMs. Other statuses are never retried.
 * Device code: when the stored access token expires within 5 minutes, the request carries
 * credentialsDecrypted with session '' so n8n runs preAuthentication (refresh, persisted) first.
 * A 401 is n8n's to retry (preAuthentication, a new token, once); n8n 1.x ignores `except: [401]` and
 * hands it back as a response, and then the transport does the same retry once itself.
 *
 * Credentials are read once per context object. Errors: NodeApiError (message: Graph's message, or our
 * headline, with the HTTP status and Graph's code; description: what to do, when there is a hint, and the
 * request-id) or NodeOperationError (sign-in / credential problems, bad next-page links). Request headers
 * and tokens never go into an error.
 */
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';

import { withDeadline } from '../helpers/deadline';
import {
	CLIENT_CREDENTIALS_CREDENTIAL,
	DEVICE_CODE_CREDENTIAL,
	MANAGED_IDENTITY_CREDENTIAL,
	errorOriginOf,
	forgetAppToken,
	needsDeviceCodeRefresh,
	rememberN8nHttp,
	resolveCloud,
	tokenHttpFromHttpRequest,
} from '../auth';

export type GraphContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface GraphRequestOptions {
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	itemIndex?: number;
	/** Whether sending the request twice is harmless (default: every method but POST). */
	idempotent?: boolean;
}

export interface GraphPagingOptions {
	limit?: number;
	itemIndex?: number;
	/** $top of each page when the caller's qs has none (Graph's maximum for incidents is 50). */
	pageSize?: number;
}

export const retryPolicy = {
	maxRetries: 5,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxTotalWaitMs: 120_000,
	/**
	 * One request's overall deadline, headers and body (Graph's own gateway gives up after about 100 s);
	 * a request past it is retried like a network error while the budget lasts.
	 */
	requestTimeoutMs: 100_000,
	/** One call's total budget: its requests and the waits between retries together. */
	maxTotalMs: 180_000,
	sleep: async (ms: number): Promise<void> => await sleep(ms),
};

export const CREDENTIAL_TYPES: Readonly<Record<string, string>> = {
	deviceCode: DEVICE_CODE_CREDENTIAL,
	clientCredentials: CLIENT_CREDENTIALS_CREDENTIAL,
	managedIdentity: MANAGED_IDENTITY_CREDENTIAL,
};

/** The auth module's errors, whose own message is what the user needs to read. */
/** `code` of the error a request past its deadline fails with */
const GRAPH_TIMEOUT = 'GRAPH_DEADLINE';

export const AUTH_ERROR_NAMES = ['CredentialInputError', 'SignInRequiredError', 'TokenRequestError'];
const TRANSIENT_NETWORK_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', GRAPH_TIMEOUT];

interface Connection {
	credentialType: string;
	credentials: ICredentialDataDecryptedObject;
	/** '<graph host>/v1.0', no trailing slash */
	baseUrl: string;
	origin: string;
	basePath: string;
}

interface GraphResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

const connections = new WeakMap<object, Promise<Connection>>();

function isExecuteContext(ctx: GraphContext): ctx is IExecuteFunctions {
	return typeof (ctx as IExecuteFunctions).getInputData === 'function';
}

export function getCredentialType(this: GraphContext): string {
	const authentication = isExecuteContext(this)
		? this.getNodeParameter('authentication', 0, 'clientCredentials')
		: this.getNodeParameter('authentication', 'clientCredentials');
	const type = typeof authentication === 'string' ? CREDENTIAL_TYPES[authentication] : undefined;
	if (type === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`"Authentication" has the unknown value "${String(authentication)}"; allowed: ${Object.keys(CREDENTIAL_TYPES).join(', ')}`,
		);
	}
	return type;
}

function graphEndpointOf(
	ctx: GraphContext,
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	itemIndex?: number,
): string {
	try {
		return resolveCloud(credentials, credentialType !== MANAGED_IDENTITY_CREDENTIAL).graphEndpoint;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex });
	}
}

async function getConnection(ctx: GraphContext, itemIndex?: number): Promise<Connection> {
	let connection = connections.get(ctx);
	if (connection === undefined) {
		connection = (async () => {
			const credentialType = getCredentialType.call(ctx);
			const credentials = await ctx.getCredentials(credentialType, itemIndex);
			// the token libraries send through n8n's HTTP stack (SSRF rules, proxy); authenticate gets no helpers
			rememberN8nHttp(tokenHttpFromHttpRequest(ctx.helpers.httpRequest));
			const baseUrl = `${graphEndpointOf(ctx, credentialType, credentials, itemIndex)}/v1.0`;
			const parsed = new URL(baseUrl);
			return { credentialType, credentials, baseUrl, origin: parsed.origin, basePath: parsed.pathname };
		})();
		connections.set(ctx, connection);
		connection.catch(() => connections.delete(ctx));
	}
	return await connection;
}

const EVOLVABLE_ENUM_PATH = /^\/security\/(?:incidents|alerts_v2)(?:[/?]|$)/;

/**
 * Graph returns (and accepts in $filter) evolvable enum members, such as the incident status
 * awaitingAction, only to requests that ask for them; otherwise they read 'unknownFutureValue'.
 */
export function evolvableEnumHeaders(path: string): Record<string, string> {
	return EVOLVABLE_ENUM_PATH.test(path) ? { Prefer: 'include-unknown-enum-members' } : {};
}

function buildUrl(baseUrl: string, path: string, qs?: IDataObject): string {
	const query = Object.entries(qs ?? {})
		.filter(([, value]) => value !== undefined && value !== null && value !== '')
		.map(
			([key, value]) =>
				`${encodeURIComponent(key).replace(/^%24/, '$')}=${encodeURIComponent(String(value))}`,
		)
		.join('&');
	return `${baseUrl}${path.startsWith('/') ? path : `/${path}`}${query ? `?${query}` : ''}`;
}

/** A next-page link is followed only on the configured Graph host, under /v1.0. */
function assertOnGraphHost(ctx: GraphContext, connection: Connection, link: string, itemIndex?: number) {
	let url: URL | undefined;
	try {
		url = new URL(link);
	} catch {
		url = undefined;
	}
	if (url?.origin !== connection.origin || !url.pathname.startsWith(`${connection.basePath}/`)) {
		const where = url ? url.origin : `"${link.slice(0, 100)}"`;
		throw new NodeOperationError(
			ctx.getNode(),
			`Microsoft Graph returned a next-page link to ${where}, which is not the configured Graph host ${connection.origin}; it was not followed, so the access token is not sent elsewhere`,
			{ itemIndex },
		);
	}
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After in ms (seconds or HTTP date), undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function backoffDelay(retry: number): number {
	const ceiling = Math.min(retryPolicy.maxDelayMs, retryPolicy.baseDelayMs * 2 ** retry);
	// "Equal jitter": half fixed, half random, so concurrent executions spread out.
	return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

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

/** The error of a request past its deadline (retried like a network error while the budget lasts). */
function graphTimeout(timeoutMs: number): Error {
	return Object.assign(new Error(`no complete answer within ${seconds(timeoutMs)}`), { code: GRAPH_TIMEOUT });
}

async function send(
	ctx: GraphContext,
	connection: Connection,
	method: IHttpRequestMethods,
	url: string,
	body: IDataObject | IDataObject[] | undefined,
	path: string,
	timeoutMs: number,
	abortSignal: AbortSignal,
): Promise<GraphResponse> {
	const options: IHttpRequestOptions = {
		method,
		url,
		headers: evolvableEnumHeaders(path),
		json: true,
		returnFullResponse: true,
		// Status errors come back as responses (we read Retry-After and Graph's error body);
		// 401 still throws so n8n runs its preAuthentication-and-retry-once path.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: timeoutMs,
		abortSignal,
	};
	if (body !== undefined) options.body = body;

	const { credentialType } = connection;
	if (credentialType === DEVICE_CODE_CREDENTIAL && needsDeviceCodeRefresh(connection.credentials)) {
		// n8n runs preAuthentication only when the expirable `session` is ''.
		connection.credentials = { ...connection.credentials, session: '' };
	}
	// Handing n8n the credential this context read once spares a database read and decryption per
	// request (about 20 % of a 10,000-incident List in real n8n). n8n merges what preAuthentication
	// returns into this very object (and persists it), so later requests see the refreshed sign-in.
	const details = ctx.getNode().credentials?.[credentialType];
	return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options, {
		credentialsDecrypted: {
			id: details?.id ?? '',
			name: details?.name ?? '',
			type: credentialType,
			data: connection.credentials,
		},
	})) as GraphResponse;
}

interface RequestContext {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	itemIndex?: number;
}

async function request(
	ctx: GraphContext,
	connection: Connection,
	method: IHttpRequestMethods,
	url: string,
	body: IDataObject | IDataObject[] | undefined,
	idempotent: boolean,
	about: RequestContext,
): Promise<IDataObject> {
	let waitedMs = 0;
	let reauthenticated = false;
	const started = Date.now();
	/** what is left of the call's budget (requests and waits) */
	const remaining = () => retryPolicy.maxTotalMs - (Date.now() - started);
	for (let retry = 0; ; retry++) {
		let response: GraphResponse;
		try {
			const timeoutMs = Math.max(1, Math.min(retryPolicy.requestTimeoutMs, remaining()));
			response = await withDeadline(
				timeoutMs,
				async (abortSignal) => await send(ctx, connection, method, url, body, about.path, timeoutMs, abortSignal),
				() => graphTimeout(timeoutMs),
			);
		} catch (error) {
			const chain = errorChain(error);
			const authError = chain.find((e) => AUTH_ERROR_NAMES.includes(e.name));
			if (authError) {
				throw new NodeOperationError(ctx.getNode(), authError.message, { itemIndex: about.itemIndex });
			}
			const withResponse = chain.find(
				(e) => typeof (e as { response?: { status?: unknown } }).response?.status === 'number',
			) as (Error & { response: { status: number; headers: Record<string, unknown>; data: unknown } }) | undefined;
			if (withResponse) {
				const { status, headers, data } = withResponse.response;
				throw graphError(ctx, { statusCode: status, headers: headers ?? {}, body: data }, about);
			}
			const innermost = chain[chain.length - 1] ?? (error as Error);
			const code = (innermost as { code?: string }).code;
			if (code && TRANSIENT_NETWORK_CODES.includes(code) && idempotent && retry < retryPolicy.maxRetries) {
				const delay = Math.min(backoffDelay(retry), retryPolicy.maxTotalWaitMs - waitedMs);
				if (delay >= 0 && delay < remaining()) {
					waitedMs += delay;
					await retryPolicy.sleep(delay);
					continue;
				}
			}
			if (code === GRAPH_TIMEOUT) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Microsoft Graph at ${connection.origin} timed out: ${about.method} ${about.path} got ${innermost.message}${retry ? ` (${retry + 1} attempts in ${seconds(Date.now() - started)})` : ''}${idempotent ? '' : '; not retried automatically: the request may have been applied; check before running it again'}`,
					{ itemIndex: about.itemIndex },
				);
			}
			throw new NodeOperationError(
				ctx.getNode(),
				`Could not reach Microsoft Graph at ${connection.origin}: ${innermost?.message || String(error)}`,
				{ itemIndex: about.itemIndex },
			);
		}

		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) return parseBody(ctx, response, about);
		if (statusCode === 401 && !reauthenticated) {
			// n8n 1.x: what n8n 2.x does on a 401 (a new token, then the request once more)
			reauthenticated = true;
			if (connection.credentialType === DEVICE_CODE_CREDENTIAL) connection.credentials = { ...connection.credentials, session: '' };
			else forgetAppToken(connection.credentialType, connection.credentials);
			retry--;
			continue;
		}

		const throttled = statusCode === 429;
		const unavailable = statusCode === 503 || statusCode === 504;
		if (!throttled && !unavailable) throw graphError(ctx, response, about);
		if (unavailable && !idempotent) {
			throw graphError(ctx, response, about, {
				hint: 'Not retried automatically: the request may have been applied; check before running it again',
			});
		}

		const retryAfter = parseRetryAfter(header(response.headers, 'retry-after'));
		const delay = retryAfter ?? backoffDelay(retry);
		const budget = Math.min(retryPolicy.maxTotalWaitMs - waitedMs, remaining());
		if (retry >= retryPolicy.maxRetries || delay > budget) {
			const what = throttled ? 'throttled the request' : `was unavailable (HTTP ${statusCode})`;
			let summary = `Microsoft Graph ${what} and it still failed after ${retry} ${retry === 1 ? 'retry' : 'retries'} and ${seconds(waitedMs)} of waiting`;
			if (delay > budget && retryAfter !== undefined) {
				summary += `; it asked to wait ${seconds(retryAfter)} more, beyond the ${seconds(retryPolicy.maxTotalWaitMs)} this node waits in total`;
			}
			throw graphError(ctx, response, about, { headline: summary, giveUp: true });
		}
		waitedMs += delay;
		if ('logger' in ctx && ctx.logger) {
			ctx.logger.debug(`Microsoft Graph answered ${statusCode}; retrying in ${delay} ms`);
		}
		await retryPolicy.sleep(delay);
	}
}

function parseBody(ctx: GraphContext, response: GraphResponse, about: RequestContext): IDataObject {
	let { body } = response;
	if (body === undefined || body === null || body === '') return {};
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			throw notJsonError(ctx, response, about);
		}
	}
	if (typeof body !== 'object' || body === null) throw notJsonError(ctx, response, about);
	return body as IDataObject;
}

function textPreview(body: unknown): string {
	let text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	if (title) text = title;
	text = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function notJsonError(ctx: GraphContext, response: GraphResponse, about: RequestContext) {
	const contentType = header(response.headers, 'content-type') ?? 'no content type';
	const error = new NodeApiError(ctx.getNode(), { message: 'not JSON' } as JsonObject, {
		httpCode: String(response.statusCode),
		itemIndex: about.itemIndex,
	});
	error.message = `Microsoft Graph answered HTTP ${response.statusCode} with a body that is not JSON (${contentType}): "${textPreview(response.body)}"`;
	error.description = `${about.method} ${about.path}`;
	return error;
}

function permissionFor(method: IHttpRequestMethods, path: string): string {
	if (path.includes('/runHuntingQuery')) return 'ThreatHunting.Read.All';
	if (path.startsWith('/security/alerts_v2')) {
		return method === 'GET' ? 'SecurityAlert.Read.All' : 'SecurityAlert.ReadWrite.All';
	}
	return method === 'GET' ? 'SecurityIncident.Read.All' : 'SecurityIncident.ReadWrite.All';
}

function graphError(
	ctx: GraphContext,
	response: GraphResponse,
	about: RequestContext,
	extra: { headline?: string; hint?: string; giveUp?: boolean } = {},
): Error {
	const { statusCode } = response;
	let body = response.body;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			// not JSON: handled below
		}
	}
	const graph = (body as { error?: { code?: unknown; message?: unknown; innerError?: IDataObject } })?.error;
	const isGraphError = graph !== undefined && typeof graph === 'object' && graph !== null;
	const code = isGraphError && typeof graph.code === 'string' ? graph.code : undefined;
	const graphMessage =
		isGraphError && typeof graph.message === 'string' && graph.message !== ''
			? graph.message
			: body === undefined || body === null || body === ''
				? `HTTP ${statusCode} with an empty body`
				: typeof body === 'object'
					? `HTTP ${statusCode}: ${textPreview(JSON.stringify(body))}`
					: `HTTP ${statusCode} with a body that is not JSON (${header(response.headers, 'content-type') ?? 'no content type'}): "${textPreview(body)}"`;

	let headline = extra.headline ?? graphMessage;
	let hint = extra.hint;
	const incidentId = /^\/security\/incidents\/([^/?]+)/.exec(about.path)?.[1];
	const alertId = /^\/security\/alerts_v2\/([^/?]+)/.exec(about.path)?.[1];
	if (!extra.giveUp) {
		if (statusCode === 404 && incidentId !== undefined) {
			headline = `Incident ${decodeURIComponent(incidentId)} not found`;
		} else if (statusCode === 404 && alertId !== undefined) {
			headline = `Alert ${decodeURIComponent(alertId)} not found`;
		} else if (statusCode === 403) {
			hint = `Missing permission? This needs the Microsoft Graph permission ${permissionFor(about.method, about.path)} (an application permission with admin consent for client credentials / managed identity, a delegated one plus a Defender role for device code)`;
		} else if (statusCode === 400 && typeof about.qs?.$filter === 'string') {
			hint = `Filter sent: ${about.qs.$filter}`;
		} else if (statusCode === 401) {
			hint = 'Microsoft Graph refused the access token; check the credential (tenant, app, consent)';
		}
	}
	const status = `HTTP ${statusCode}${code ? `, ${code}` : ''}`;
	// Said once: the message is the statement, the description what to do. Graph's own words go into the
	// description only under a headline of ours that leaves them out (giving up); a 404 headline restates them.
	const details: string[] = [];
	if (hint) details.push(hint);
	if (extra.giveUp && headline !== graphMessage) details.push(`Microsoft Graph: ${graphMessage}`);
	const requestId = graph?.innerError?.['request-id'];
	if (typeof requestId === 'string') details.push(`request-id ${requestId}`);

	const error = new NodeApiError(
		ctx.getNode(),
		(isGraphError ? { error: { code: code ?? null, message: graphMessage } } : { message: graphMessage }) as JsonObject,
		{ httpCode: String(statusCode), itemIndex: about.itemIndex },
	);
	error.message = `${headline} (${status})`;
	error.description = details.length ? details.join('; ') : undefined;
	return error;
}

export async function graphApiRequest(
	this: GraphContext,
	method: IHttpRequestMethods,
	path: string,
	{ qs, body, itemIndex, idempotent = method !== 'POST' }: GraphRequestOptions = {},
): Promise<IDataObject> {
	const connection = await getConnection(this, itemIndex);
	let url: string;
	if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
		assertOnGraphHost(this, connection, path, itemIndex);
		url = path;
		path = new URL(path).pathname.slice(connection.basePath.length);
	} else {
		url = buildUrl(connection.baseUrl, path, qs);
	}
	return await request(this, connection, method, url, body, idempotent, { method, path, qs, itemIndex });
}

/**
 * The next page of a list whose next link came back from outside this process (a list search's
 * paginationToken, sent by the browser): only a link this Graph host issues for `path` is followed —
 * same origin, exactly that path (no dot segments, no escapes), paging parameters only.
 */
export async function graphNextPage(this: GraphContext, link: string, path: string): Promise<IDataObject> {
	const connection = await getConnection(this);
	let url: URL | undefined;
	try {
		url = new URL(link);
	} catch {
		url = undefined;
	}
	const rawPath = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(link)?.[1];
	const pagingOnly = url !== undefined && [...url.searchParams.keys()].every((key) => NEXT_LINK_PARAMETERS.includes(key));
	if (url?.origin !== connection.origin || rawPath !== `${connection.basePath}${path}` || !pagingOnly || url.hash !== '') {
		throw new NodeOperationError(
			this.getNode(),
			`The page token is not a next-page link of ${connection.origin}${connection.basePath}${path}; start the list again`,
		);
	}
	return await request(this, connection, 'GET', link, undefined, true, { method: 'GET', path });
}

/** What Graph's next-page links of a list carry (its paging state), nothing that picks another object. */
const NEXT_LINK_PARAMETERS = ['$top', '$skip', '$skiptoken', '%24top', '%24skip', '%24skiptoken'];

export async function graphApiRequestAllItems(
	this: GraphContext,
	path: string,
	qs: IDataObject = {},
	{ limit, itemIndex, pageSize = 50 }: GraphPagingOptions = {},
): Promise<IDataObject[]> {
	const connection = await getConnection(this, itemIndex);
	const query: IDataObject = { ...qs };
	const top = typeof query.$top === 'number' ? query.$top : pageSize;
	query.$top = limit !== undefined ? Math.min(limit, top) : top;

	const items: IDataObject[] = [];
	const seenLinks = new Set<string>();
	let url = buildUrl(connection.baseUrl, path, query);
	for (;;) {
		const page = await request(this, connection, 'GET', url, undefined, true, {
			method: 'GET',
			path,
			qs: query,
			itemIndex,
		});
		if (!Array.isArray(page.value)) {
			throw new NodeOperationError(
				this.getNode(),
				`Microsoft Graph's answer to GET ${path} has no "value" list: ${textPreview(JSON.stringify(page))}`,
				{ itemIndex },
			);
		}
		items.push(...(page.value as IDataObject[]));
		if (limit !== undefined && items.length >= limit) return items.slice(0, limit);

		const next = page['@odata.nextLink'];
		if (typeof next !== 'string' || next === '') return items;
		assertOnGraphHost(this, connection, next, itemIndex);
		if (seenLinks.has(next)) {
			throw new NodeOperationError(
				this.getNode(),
				'Microsoft Graph returned the same next-page link twice; stopped paging to avoid an endless loop',
				{ itemIndex },
			);
		}
		seenLinks.add(next);
		url = limit !== undefined ? withSmallerTop(next, limit - items.length) : next;
	}
}

/** Lowers $top in a next-page link that carries one, so the last page holds no more than needed. */
function withSmallerTop(link: string, remaining: number): string {
	// Edited in place, not via URLSearchParams, so the rest of Graph's link (skip tokens) stays byte for byte.
	return link.replace(/([?&](?:\$|%24)top=)(\d+)/i, (match, prefix: string, top: string) =>
		Number(top) > remaining ? `${prefix}${remaining}` : match,
	);
}
