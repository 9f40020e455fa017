/**
 * The HTTP client of every token request (@azure/identity, msal-node, the device-code grant): n8n's own
 * request helper, so n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED), its proxy settings
 * (HTTPS_PROXY / HTTP_PROXY / NO_PROXY) and its CA settings apply to sign-in traffic exactly as to Graph
 * requests. Redirects are never followed (a token endpoint has no business redirecting a secret).
 *
 *   tokenHttpFromHttpRequest(this.helpers.httpRequest) / tokenHttpFromLegacyRequest(this.helpers.request)
 *   rememberN8nHttp(http)        the helper the token libraries use when a caller has none at hand
 *                                (a credential type's `authenticate` is called without helpers)
 *   azureHttpClient              @azure/core-rest-pipeline HttpClient over it (@azure/identity `httpClient`)
 *   msalNetworkClient(http?)     msal-node INetworkModule over it (`system.networkClient`)
 *   tokenRequestPolicy           { timeoutMs, totalMs }: each token request's overall deadline (headers and
 *                                body), and one token's, the libraries' retries included
 */
import type { TokenCredentialOptions } from '@azure/identity';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { withDeadline } from '../helpers/deadline';
import { TokenRequestError } from './errors';

export interface TokenHttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: string;
	/** overall deadline in ms; tokenRequestPolicy.timeoutMs when absent or larger */
	timeoutMs?: number;
	signal?: AbortSignal;
}

export interface TokenHttpResponse {
	status: number;
	/** lower-case names */
	headers: Record<string, string>;
	body: string;
}

export type TokenHttp = (request: TokenHttpRequest) => Promise<TokenHttpResponse>;

export const tokenRequestPolicy = {
	/** one request, headers and body: a sign-in endpoint answers in well under a second */
	timeoutMs: 30_000,
	/** one token, the library's own retries included */
	totalMs: 90_000,
};

function timedOut(url: string, ms: number): TokenRequestError {
	return new TokenRequestError(
		`The sign-in request to ${new URL(url).origin} timed out after ${Math.round(ms / 100) / 10} s. Check the cloud / sign-in URL and the network or proxy of n8n.`,
		'timeout',
	);
}

/** n8n's SsrfBlockedIpError / SsrfBlockedHostnameError, anywhere in the cause chain. */
function ssrfBlock(error: unknown): Error | undefined {
	let current = error as (Error & { cause?: unknown }) | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		if (typeof current.name === 'string' && current.name.startsWith('SsrfBlocked')) return current;
		current = current.cause as typeof current;
	}
	return undefined;
}

/** n8n refused to send: said as such, never as Entra's refusal or a network failure. */
function blockedBySsrf(url: string, error: Error): TokenRequestError {
	return new TokenRequestError(
		`n8n's SSRF protection blocked the sign-in request to ${new URL(url).origin} (${error.message}). If this host is right, ask your n8n administrator to allow it (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES).`,
		'ssrf_blocked',
	);
}

function deadlineOf(request: TokenHttpRequest): number {
	const requested = request.timeoutMs && request.timeoutMs > 0 ? request.timeoutMs : Infinity;
	return Math.min(requested, tokenRequestPolicy.timeoutMs);
}

/** `send` within the request's deadline; n8n's SSRF refusal said as such. */
async function sendWithin<T>(request: TokenHttpRequest, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const ms = deadlineOf(request);
	return await withDeadline(
		ms,
		async (signal) =>
			await send(signal).catch((error: unknown) => {
				const blocked = ssrfBlock(error);
				throw blocked ? blockedBySsrf(request.url, blocked) : error;
			}),
		() => timedOut(request.url, ms),
		request.signal,
	);
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
		if (value !== undefined && value !== null) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return result;
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

/** n8n's `this.helpers.httpRequest` (node runs, triggers, list searches, preAuthentication). */
export function tokenHttpFromHttpRequest(httpRequest: (options: IHttpRequestOptions) => Promise<unknown>): TokenHttp {
	return async (request) =>
		await sendWithin(request, async (signal) => {
			const options: IHttpRequestOptions = {
				method: request.method,
				url: request.url,
				headers: request.headers,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				json: false,
				encoding: 'text',
				timeout: deadlineOf(request),
				abortSignal: signal,
			};
			if (request.body !== undefined) options.body = request.body;
			const response = (await httpRequest(options)) as { statusCode: number; headers: unknown; body: unknown };
			return { status: response.statusCode, headers: lowerCaseHeaders(response.headers), body: bodyText(response.body) };
		});
}

/** n8n's legacy `this.helpers.request` (credential test functions have only this one). */
export function tokenHttpFromLegacyRequest(request: (options: object) => Promise<unknown>): TokenHttp {
	return async (tokenRequest) =>
		await sendWithin(tokenRequest, async (signal) => {
			const response = (await request({
				method: tokenRequest.method,
				uri: tokenRequest.url,
				headers: tokenRequest.headers,
				...(tokenRequest.body !== undefined ? { body: tokenRequest.body } : {}),
				simple: false,
				resolveWithFullResponse: true,
				followRedirect: false,
				followAllRedirects: false,
				sendCredentialsOnCrossOriginRedirect: false,
				json: false,
				timeout: deadlineOf(tokenRequest),
				abortSignal: signal,
			})) as { statusCode: number; headers: unknown; body: unknown };
			return { status: response.statusCode, headers: lowerCaseHeaders(response.headers), body: bodyText(response.body) };
		});
}

let rememberedHttp: TokenHttp | undefined;

/**
 * Remembers an n8n request helper for token requests made where n8n hands none (the credential type's
 * `authenticate`). n8n's SSRF, proxy and CA rules are per process, so any of its helpers applies them.
 */
export function rememberN8nHttp(http: TokenHttp): void {
	rememberedHttp = http;
}

/** `http`, else the remembered helper; never a library's own client. */
export function n8nHttp(http?: TokenHttp): TokenHttp {
	const chosen = http ?? rememberedHttp;
	if (!chosen) {
		// never fall back to a library's own HTTP client: it would bypass n8n's SSRF and proxy settings
		throw new TokenRequestError(
			'The token request could not be sent: no n8n HTTP helper is available in this context.',
			'no_http_client',
		);
	}
	return chosen;
}

/** Forgets the remembered helper (tests: a new process). */
export function forgetN8nHttp(): void {
	rememberedHttp = undefined;
}

type HttpClient = NonNullable<TokenCredentialOptions['httpClient']>;
type PipelineRequest = Parameters<HttpClient['sendRequest']>[0];
type HttpHeaders = Awaited<ReturnType<HttpClient['sendRequest']>>['headers'];

/** @azure/core-rest-pipeline's HttpHeaders (that package is @azure/identity's, not ours to import). */
function pipelineHeaders(headers: Record<string, string>): HttpHeaders {
	const map = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
	return {
		get: (name) => map.get(name.toLowerCase()),
		has: (name) => map.has(name.toLowerCase()),
		set: (name, value) => void map.set(name.toLowerCase(), String(value)),
		delete: (name) => void map.delete(name.toLowerCase()),
		toJSON: () => Object.fromEntries(map),
		[Symbol.iterator]: () => map.entries(),
	};
}

let lastVerdict: { error: TokenRequestError; at: number } | undefined;

/**
 * The verdict (blocked by n8n, timed out) of a token request sent through azureHttpClient since `since`:
 * @azure/identity and msal report any failed send as a bare "network_error", dropping ours.
 */
export function tokenVerdictSince(since: number): TokenRequestError | undefined {
	return lastVerdict && lastVerdict.at >= since ? lastVerdict.error : undefined;
}

/** @azure/identity's `httpClient` option: its pipeline (retries, headers) stays, only the sending is n8n's. */
export function azureHttpClient(): HttpClient {
	return {
		async sendRequest(request: PipelineRequest) {
			const body = request.body;
			const response = await n8nHttp()({
				method: request.method === 'POST' ? 'POST' : 'GET',
				url: request.url,
				headers: request.headers.toJSON(),
				body: typeof body === 'string' ? body : body === undefined || body === null ? undefined : String(body),
				timeoutMs: request.timeout,
				signal: request.abortSignal as AbortSignal | undefined,
			}).catch((error: unknown) => {
				if (error instanceof TokenRequestError) lastVerdict = { error, at: Date.now() };
				throw error;
			});
			return { request, status: response.status, headers: pipelineHeaders(response.headers), bodyAsText: response.body };
		},
	};
}

/** msal-node's `system.networkClient`; msal's own client uses Node's fetch, which ignores n8n's proxy. */
export function msalNetworkClient(http?: TokenHttp): INetworkModule {
	const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
		const response = await n8nHttp(http)({ method, url, headers: options?.headers ?? {}, body: method === 'POST' ? (options?.body ?? '') : undefined, timeoutMs: timeout });
		let parsed: T;
		try {
			parsed = (response.body === '' ? {} : JSON.parse(response.body)) as T;
		} catch {
			throw new TokenRequestError(`Microsoft Entra ID answered HTTP ${response.status} with a body that is not JSON.`, 'invalid_response');
		}
		return { status: response.status, headers: response.headers, body: parsed };
	};
	return {
		sendGetRequestAsync: async <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => await send<T>('GET', url, options, timeout),
		sendPostRequestAsync: async <T>(url: string, options?: NetworkRequestOptions) => await send<T>('POST', url, options),
	};
}
