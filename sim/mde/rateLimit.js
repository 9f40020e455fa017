// @ts-check
'use strict';

/**
 * Sliding-window rate limits, several windows at once (Defender for Endpoint: 100 calls a minute and 1,500
 * an hour; GetPackageUri 2 a minute and 120 an hour). Windows are configurable so tests need not wait minutes.
 * Refused calls do not count. Defender's limits are per API: each API page says "Rate limitations for this
 * API are 100 calls per minute and 1500 calls per hour" (../shared/MDE-FACTS.md, api/common-errors and every
 * API page), so PerApiRateLimiter keeps one window set per API (route), not one for all of them.
 */

/** @typedef {{ requests: number, windowMs: number }} RateWindow */

class RateLimiter {
	/** @param {RateWindow[]} windows */
	constructor(windows) {
		/** @type {RateWindow[]} */
		this.windows = [];
		/** @type {number[]} call times, oldest first */
		this.calls = [];
		this.set(windows);
	}

	/** @param {RateWindow[] | null} windows null or [] = no limit */
	set(windows) {
		this.windows = (windows || []).map((w) => ({ requests: Number(w.requests), windowMs: Number(w.windowMs) }));
		this.calls = [];
	}

	/**
	 * Counts a call at `now`, or returns the seconds to wait (Retry-After) when a window is full.
	 * @param {number} now
	 * @returns {number} 0 when allowed
	 */
	take(now) {
		const longest = Math.max(0, ...this.windows.map((w) => w.windowMs));
		while (this.calls.length && this.calls[0] <= now - longest) this.calls.shift();
		let waitMs = 0;
		for (const w of this.windows) {
			const inWindow = this.calls.filter((t) => t > now - w.windowMs);
			if (inWindow.length >= w.requests) waitMs = Math.max(waitMs, inWindow[inWindow.length - w.requests] + w.windowMs - now);
		}
		if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
		this.calls.push(now);
		return 0;
	}
}

/** One RateLimiter per API, all with the same windows. */
class PerApiRateLimiter {
	/** @param {RateWindow[]} windows */
	constructor(windows) {
		/** @type {RateWindow[]} */
		this.windows = [];
		/** @type {Map<string, RateLimiter>} */
		this.limiters = new Map();
		this.set(windows);
	}

	/** @param {RateWindow[] | null} windows null or [] = no limit; forgets every API's calls */
	set(windows) {
		this.windows = windows || [];
		this.limiters = new Map();
	}

	/** @param {string} api e.g. 'POST machines/{id}/isolate' @param {number} now @returns {number} 0, or Retry-After seconds */
	take(api, now) {
		let limiter = this.limiters.get(api);
		if (!limiter) this.limiters.set(api, (limiter = new RateLimiter(this.windows)));
		return limiter.take(now);
	}
}

/**
 * The API (documentation page) a request belongs to: method and path with ids replaced,
 * e.g. 'GET machineactions/{id}', 'POST machines/{id}/isolate'.
 * @param {string} method @param {string} path
 */
function apiOf(method, path) {
	const segments = path.replace(/^\/api\/?/i, '').replace(/\/$/, '').toLowerCase().split('/');
	if (segments.length > 1 && segments[1] !== 'findbytag') segments[1] = '{id}';
	return `${method} ${segments.join('/')}`;
}

module.exports = { RateLimiter, PerApiRateLimiter, apiOf };
