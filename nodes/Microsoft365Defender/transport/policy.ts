/**
 * What a context's requests and waits follow: the defaults, or what the node type's constructor was given
 * (`new Microsoft365Defender({ retryPolicy, waitClock })`; tests pass their own, with short or virtual waits).
 */
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

/** The clock Wait For Completion (device actions) reads and sleeps on. */
export interface WaitClock {
	now(): number;
	/** waits `ms`; rejects when `signal` fires (a cancelled execution stops waiting) */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_WAIT_CLOCK: WaitClock = Object.freeze({
	now: (): number => Date.now(),
	sleep: DEFAULT_RETRY_POLICY.sleep,
});

export interface TransportOptions {
	retryPolicy?: RetryPolicy;
	waitClock?: WaitClock;
}

const injected = new WeakMap<object, TransportOptions>();

/** Makes `ctx`'s requests and waits follow `options` (no-op without any). */
export function applyTransportOptions(ctx: object, options: TransportOptions | undefined): void {
	if (options) injected.set(ctx, options);
}

export function retryPolicyOf(ctx: object): RetryPolicy {
	return injected.get(ctx)?.retryPolicy ?? DEFAULT_RETRY_POLICY;
}

export function waitClockOf(ctx: object): WaitClock {
	return injected.get(ctx)?.waitClock ?? SYSTEM_WAIT_CLOCK;
}
