/**
 * withDeadline(ms, run, onTimeout, signal?): runs `run(signal)` with an AbortSignal that fires after `ms`
 * (or when the caller's `signal` does) and rejects with `onTimeout()` at the deadline itself, even when
 * the HTTP helper ignores the signal or the server trickles its body: an overall deadline, headers and
 * body, not an idle timeout. Used by the Graph transport and the token HTTP client.
 */
export async function withDeadline<T>(
	ms: number,
	run: (signal: AbortSignal) => Promise<T>,
	onTimeout: () => Error,
	signal?: AbortSignal,
): Promise<T> {
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	let onAbort: (() => void) | undefined;
	try {
		return await Promise.race([
			run(controller.signal),
			new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => {
					reject(onTimeout());
					controller.abort();
				}, ms);
				onAbort = () => {
					reject(new Error('The request was cancelled'));
					controller.abort(signal?.reason);
				};
				if (signal?.aborted) onAbort();
				else signal?.addEventListener('abort', onAbort, { once: true });
			}),
		]);
	} finally {
		clearTimeout(timer);
		if (onAbort) signal?.removeEventListener('abort', onAbort);
	}
}
