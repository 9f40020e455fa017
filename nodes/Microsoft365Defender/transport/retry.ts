/**
 * When a request is retried and how long the transport waits (the same rules for Graph and Defender for
 * Endpoint): 429 always (Microsoft did not process it), 503/504 and transient network errors only when
 * the request is idempotent; Retry-After (seconds or HTTP date) is honoured, else capped exponential
 * backoff with jitter; waits and requests together stay within one call's budget.
 */
import { sleep } from 'n8n-workflow';

export interface RetryPolicy {
	readonly maxRetries: number;
	readonly baseDelayMs: number;
	readonly maxDelayMs: number;
	/** the waits between retries of one call, together */
	readonly maxTotalWaitMs: number;
	/**
	 * One request's overall deadline, headers and body (Graph's own gateway gives up after about 100 s);
	 * a request past it is retried like a network error while the budget lasts.
	 */
	readonly requestTimeoutMs: number;
	/** One call's total budget: its requests and the waits between retries together. */
	readonly maxTotalMs: number;
	/** waits `ms`; rejects when `signal` fires (a cancelled execution stops waiting) */
	readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
	maxRetries: 5,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxTotalWaitMs: 120_000,
	requestTimeoutMs: 100_000,
	maxTotalMs: 180_000,
	sleep: async (ms: number, signal?: AbortSignal): Promise<void> => await abortableSleep(ms, signal),
});

/** `code` of the error a request past its deadline fails with */
export const DEADLINE_CODE = 'REQUEST_DEADLINE';

export const TRANSIENT_NETWORK_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', DEADLINE_CODE];

/** The error of a cancelled execution (n8n's abort signal fired). */
export class RequestCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'RequestCancelledError';
	}
}

async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal === undefined) return await sleep(ms);
	if (signal.aborted) throw new RequestCancelledError();
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(new RequestCancelledError());
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** Retry-After in ms (seconds or HTTP date), undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelay(policy: RetryPolicy, retry: number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	// "Equal jitter": half fixed, half random, so concurrent executions spread out.
	return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}
