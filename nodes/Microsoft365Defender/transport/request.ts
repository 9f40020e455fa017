/**
 * One call to a Microsoft API: sends the request through n8n (the credential's authenticate attaches the
 * token for the URL's host), retries what retry.ts allows, and turns failures into errors.ts' errors.
 * Device code: when the stored access token expires within 5 minutes, the request carries
 * credentialsDecrypted with session '' so n8n runs preAuthentication (refresh, persisted) first.
 * A 401 is n8n's to retry (preAuthentication, a new token, once); n8n 1.x ignores `except: [401]` and
 * hands it back as a response, and then the transport does the same retry once itself.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { DEVICE_CODE_CREDENTIAL, forgetAppToken, needsDeviceCodeRefresh } from '../auth';
import { withDeadline } from '../helpers/deadline';
import type { Connection, GraphContext } from './connection';
import { type ApiResponse, type RequestSummary, apiError, errorChain, header, notJsonError } from './errors';
import {
	DEADLINE_CODE,
	RequestCancelledError,
	TRANSIENT_NETWORK_CODES,
	backoffDelay,
	parseRetryAfter,
	seconds,
	type RetryPolicy,
} from './retry';
import { retryPolicyOf } from './policy';

export interface ApiRequest extends RequestSummary {
	/** the full URL (base URL, path and query) */
	url: string;
	body?: IDataObject | IDataObject[];
	/** whether sending it twice is harmless: a 5xx or timeout of a non-idempotent request is not retried */
	idempotent: boolean;
}

/** The auth module's errors, whose own message is what the user needs to read. */
export const AUTH_ERROR_NAMES = ['CredentialInputError', 'SignInRequiredError', 'TokenRequestError'];

/** n8n's execution abort signal (absent on older n8n and outside executions). */
function cancelSignalOf(ctx: GraphContext): AbortSignal | undefined {
	const get = (ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal;
	return typeof get === 'function' ? get.call(ctx) : undefined;
}

async function send(
	ctx: GraphContext,
	connection: Connection,
	request: ApiRequest,
	timeoutMs: number,
	abortSignal: AbortSignal,
): Promise<ApiResponse> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: connection.api.headers(request.path),
		json: true,
		returnFullResponse: true,
		// Status errors come back as responses (we read Retry-After and Microsoft's error body);
		// 401 still throws so n8n runs its preAuthentication-and-retry-once path.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: timeoutMs,
		abortSignal,
	};
	if (request.body !== undefined) options.body = request.body;

	const { session } = connection;
	if (session.credentialType === DEVICE_CODE_CREDENTIAL && needsDeviceCodeRefresh(session.credentials)) {
		// n8n runs preAuthentication only when the expirable `session` is ''.
		session.credentials = { ...session.credentials, session: '' };
	}
	// Handing n8n the credential this context read once spares a database read and decryption per
	// request (about 20 % of a 10,000-incident List in real n8n). n8n merges what preAuthentication
	// returns into this very object (and persists it), so later requests see the refreshed sign-in.
	const details = ctx.getNode().credentials?.[session.credentialType];
	return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, session.credentialType, options, {
		credentialsDecrypted: {
			id: details?.id ?? '',
			name: details?.name ?? '',
			type: session.credentialType,
			data: session.credentials,
		},
	})) as ApiResponse;
}

function parseBody(ctx: GraphContext, connection: Connection, response: ApiResponse, request: ApiRequest): IDataObject {
	let { body } = response;
	if (body === undefined || body === null || body === '') return {};
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			throw notJsonError(ctx.getNode(), connection.api, response, request);
		}
	}
	if (typeof body !== 'object' || body === null) throw notJsonError(ctx.getNode(), connection.api, response, request);
	return body as IDataObject;
}

/** The error of a request past its deadline (retried like a network error while the budget lasts). */
function deadlineError(timeoutMs: number): Error {
	return Object.assign(new Error(`no complete answer within ${seconds(timeoutMs)}`), { code: DEADLINE_CODE });
}

interface Attempts {
	readonly policy: RetryPolicy;
	readonly started: number;
	readonly signal: AbortSignal | undefined;
	retry: number;
	waitedMs: number;
}

/** what is left of the call's budget (requests and waits) */
const remaining = (attempts: Attempts) => attempts.policy.maxTotalMs - (Date.now() - attempts.started);

/** Sends one attempt; a failure without an HTTP answer is either retried (returns undefined) or thrown. */
async function attempt(
	ctx: GraphContext,
	connection: Connection,
	request: ApiRequest,
	attempts: Attempts,
): Promise<ApiResponse | undefined> {
	const { policy } = attempts;
	const timeoutMs = Math.max(1, Math.min(policy.requestTimeoutMs, remaining(attempts)));
	try {
		return await withDeadline(
			timeoutMs,
			async (abortSignal) => await send(ctx, connection, request, timeoutMs, abortSignal),
			() => deadlineError(timeoutMs),
			attempts.signal,
		);
	} catch (error) {
		if (attempts.signal?.aborted) throw cancelled(ctx, connection, request);
		const chain = errorChain(error);
		const authError = chain.find((e) => AUTH_ERROR_NAMES.includes(e.name));
		if (authError) throw new NodeOperationError(ctx.getNode(), authError.message, { itemIndex: request.itemIndex });
		const withResponse = chain.find(
			(e) => typeof (e as { response?: { status?: unknown } }).response?.status === 'number',
		) as (Error & { response: { status: number; headers: Record<string, unknown>; data: unknown } }) | undefined;
		if (withResponse) {
			const { status, headers, data } = withResponse.response;
			throw apiError(ctx.getNode(), connection.api, { statusCode: status, headers: headers ?? {}, body: data }, request);
		}
		const innermost = chain[chain.length - 1] ?? (error as Error);
		const code = (innermost as { code?: string }).code;
		if (code && TRANSIENT_NETWORK_CODES.includes(code) && request.idempotent && attempts.retry < policy.maxRetries) {
			const delay = Math.min(backoffDelay(policy, attempts.retry), policy.maxTotalWaitMs - attempts.waitedMs);
			if (delay >= 0 && delay < remaining(attempts)) {
				await wait(ctx, connection, request, attempts, delay);
				return undefined;
			}
		}
		const { api, origin } = connection;
		if (code === DEADLINE_CODE) {
			const { retry } = attempts;
			throw new NodeOperationError(
				ctx.getNode(),
				`${api.name} at ${origin} timed out: ${request.method} ${request.path} got ${innermost.message}${retry ? ` (${retry + 1} attempts in ${seconds(Date.now() - attempts.started)})` : ''}${request.idempotent ? '' : '; not retried automatically: the request may have been applied; check before running it again'}`,
				{ itemIndex: request.itemIndex },
			);
		}
		throw new NodeOperationError(
			ctx.getNode(),
			`Could not reach ${api.name} at ${origin}: ${innermost?.message || String(error)}`,
			{ itemIndex: request.itemIndex },
		);
	}
}

function cancelled(ctx: GraphContext, connection: Connection, request: ApiRequest): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`The execution was cancelled while waiting for ${connection.api.name} (${request.method} ${request.path})`,
		{ itemIndex: request.itemIndex },
	);
}

async function wait(ctx: GraphContext, connection: Connection, request: ApiRequest, attempts: Attempts, ms: number) {
	attempts.waitedMs += ms;
	attempts.retry++;
	try {
		await attempts.policy.sleep(ms, attempts.signal);
	} catch (error) {
		if (error instanceof RequestCancelledError || attempts.signal?.aborted) throw cancelled(ctx, connection, request);
		throw error;
	}
}

/** Sends `request` until it succeeds, the policy stops retrying, or the execution is cancelled. */
export async function sendRequest(ctx: GraphContext, connection: Connection, request: ApiRequest): Promise<IDataObject> {
	const attempts: Attempts = {
		policy: retryPolicyOf(ctx),
		started: Date.now(),
		signal: cancelSignalOf(ctx),
		retry: 0,
		waitedMs: 0,
	};
	const { policy } = attempts;
	const node = ctx.getNode();
	let reauthenticated = false;
	for (;;) {
		if (attempts.signal?.aborted) throw cancelled(ctx, connection, request);
		const response = await attempt(ctx, connection, request, attempts);
		if (response === undefined) continue;

		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) return parseBody(ctx, connection, response, request);
		if (statusCode === 401 && !reauthenticated) {
			// n8n 1.x: what n8n 2.x does on a 401 (a new token, then the request once more)
			reauthenticated = true;
			const { session } = connection;
			if (session.credentialType === DEVICE_CODE_CREDENTIAL) session.credentials = { ...session.credentials, session: '' };
			else forgetAppToken(session.credentialType, session.credentials);
			continue;
		}

		const throttled = statusCode === 429;
		const unavailable = statusCode === 503 || statusCode === 504;
		if (!throttled && !unavailable) throw apiError(node, connection.api, response, request);
		if (unavailable && !request.idempotent) {
			throw apiError(node, connection.api, response, request, {
				hint: 'Not retried automatically: the request may have been applied; check before running it again',
			});
		}

		const retryAfter = parseRetryAfter(header(response.headers, 'retry-after'));
		const delay = retryAfter ?? backoffDelay(policy, attempts.retry);
		const budget = Math.min(policy.maxTotalWaitMs - attempts.waitedMs, remaining(attempts));
		if (attempts.retry >= policy.maxRetries || delay > budget) {
			const { retry, waitedMs } = attempts;
			const what = throttled ? 'throttled the request' : `was unavailable (HTTP ${statusCode})`;
			let summary = `${connection.api.name} ${what} and it still failed after ${retry} ${retry === 1 ? 'retry' : 'retries'} and ${seconds(waitedMs)} of waiting`;
			if (delay > budget && retryAfter !== undefined) {
				summary += `; it asked to wait ${seconds(retryAfter)} more, beyond the ${seconds(policy.maxTotalWaitMs)} this node waits in total`;
			}
			throw apiError(node, connection.api, response, request, { headline: summary, giveUp: true });
		}
		if ('logger' in ctx && ctx.logger) {
			ctx.logger.debug(`${connection.api.name} answered ${statusCode}; retrying in ${delay} ms`);
		}
		await wait(ctx, connection, request, attempts, delay);
	}
}
