/**
 * Which retry policy a context's requests follow: the default, or one injected through the node type's
 * constructor (`new Microsoft365Defender({ retryPolicy })`; tests pass their own, with short waits).
 */
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export interface TransportOptions {
	retryPolicy?: RetryPolicy;
}

const policies = new WeakMap<object, RetryPolicy>();

/** Makes `ctx`'s requests follow `options.retryPolicy` (no-op without one). */
export function applyTransportOptions(ctx: object, options: TransportOptions | undefined): void {
	if (options?.retryPolicy) policies.set(ctx, options.retryPolicy);
}

export function retryPolicyOf(ctx: object): RetryPolicy {
	return policies.get(ctx) ?? retryPolicy;
}

/** @deprecated mutable for the tests until they inject their own policy */
export const retryPolicy = { ...DEFAULT_RETRY_POLICY };
