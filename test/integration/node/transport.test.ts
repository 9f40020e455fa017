import { incidentLocator, resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	bed = await startTestBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const getFirst = async () =>
	await bed.run({ resource: 'incident', operation: 'get', incidentId: incidentLocator(bed.cloud.incidents[0].id as string) });
const incidentPath = () => `/v1.0/security/incidents/${bed.cloud.incidents[0].id as string}`;

describe('throttling and transient faults', () => {
	test('429 with Retry-After in seconds: waits that long, then succeeds', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 429, retryAfter: 7, times: 1 });
		const out = await getFirst();
		expect(out.error).toBeUndefined();
		expect(bed.waits).toEqual([7000]);
		expect(bed.graphRequests().map((r) => r.status)).toEqual([429, 200]);
	});

	test('429 with Retry-After as an HTTP date', async () => {
		const at = new Date(Date.now() + 8_000).toUTCString();
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 429, retryAfter: at, times: 1 });
		const out = await getFirst();
		expect(out.error).toBeUndefined();
		expect(bed.waits).toHaveLength(1);
		// HTTP dates have whole seconds
		expect(bed.waits[0]).toBeGreaterThan(6_000);
		expect(bed.waits[0]).toBeLessThanOrEqual(8_000);
	});

	test('503 and 504 without Retry-After: capped exponential backoff', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 503, times: 1 });
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 504, times: 1 });
		const out = await getFirst();
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests().map((r) => r.status)).toEqual([503, 504, 200]);
		// baseDelayMs 10: retry 0 waits 5..10 ms, retry 1 waits 10..20 ms (never above maxDelayMs 40)
		expect(bed.waits).toHaveLength(2);
		expect(bed.waits[0]).toBeGreaterThanOrEqual(5);
		expect(bed.waits[0]).toBeLessThanOrEqual(10);
		expect(bed.waits[1]).toBeGreaterThanOrEqual(10);
		expect(bed.waits[1]).toBeLessThanOrEqual(20);
	});

	test('the sim rate limit (real Retry-After from a sliding window) is ridden out', async () => {
		// a 3 s window: three pages come faster than that even on a busy CI machine (a 100 ms window did not,
		// and then nothing was throttled); each wait lasts what Retry-After asks (whole seconds), plus a margin
		bed.cloud.setRateLimit({ requests: 2, windowMs: 3000 });
		const saved = bed.policy.sleep;
		bed.policy.sleep = async (ms: number) => {
			bed.waits.push(ms);
			await new Promise((resolve) => setTimeout(resolve, ms + 100));
		};
		try {
			const out = await bed.run({ resource: 'incident', operation: 'getAll', returnAll: true });
			expect(out.error).toBeUndefined();
			expect(out.items).toHaveLength(20);
			const statuses = bed.graphRequests().map((r) => r.status);
			expect(statuses.filter((s) => s === 200)).toHaveLength(4);
			expect(statuses).toContain(429);
			expect(bed.waits.length).toBeGreaterThan(0);
			for (const ms of bed.waits) expect({ ms, wholeSeconds: ms % 1000 === 0, inWindow: ms >= 1000 && ms <= 3000 }).toEqual({ ms, wholeSeconds: true, inWindow: true });
		} finally {
			bed.policy.sleep = saved;
		}
	});

	test('give-up: the error says it was throttled and how long it waited', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 429, retryAfter: 2, times: 99 });
		const out = await getFirst();
		expect(out.error?.constructor.name).toBe('NodeApiError');
		expect((out.error as { httpCode?: string }).httpCode).toBe('429');
		expect(out.error?.message).toBe(
			'Microsoft Graph throttled the request and it still failed after 3 retries and 6 s of waiting (HTTP 429, TooManyRequests)',
		);
		expect((out.error as { description?: string }).description).toContain('Microsoft Graph: Too many requests.');
		expect(bed.graphRequests()).toHaveLength(bed.policy.maxRetries + 1);
	});

	test('a Retry-After beyond the total wait budget gives up at once, saying so', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 429, retryAfter: 3600, times: 1 });
		const out = await getFirst();
		expect(out.error?.message).toBe(
			'Microsoft Graph throttled the request and it still failed after 0 retries and 0 s of waiting; it asked to wait 3600 s more, beyond the 10 s this node waits in total (HTTP 429, TooManyRequests)',
		);
		expect(bed.waits).toEqual([]);
		expect(bed.graphRequests()).toHaveLength(1);
	});

	test('503 that never recovers: gives up after maxRetries', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 503, times: 99 });
		const out = await getFirst();
		expect(out.error?.message).toMatch(
			/^Microsoft Graph was unavailable \(HTTP 503\) and it still failed after 3 retries and [\d.]+ s of waiting \(HTTP 503, ServiceUnavailable\)$/,
		);
		expect(bed.graphRequests()).toHaveLength(4);
	});
});

describe('requests that hang', () => {
	test('a GET that never gets an answer times out and is retried', async () => {
		const saved = bed.policy.requestTimeoutMs;
		bed.policy.requestTimeoutMs = 300;
		try {
			bed.cloud.injectFault({ server: 'graph', path: incidentPath(), hang: true, times: 1 });
			const out = await getFirst();
			expect(out.error).toBeUndefined();
			expect(bed.graphRequests().map((r) => r.status)).toEqual([-1, 200]);
		} finally {
			bed.policy.requestTimeoutMs = saved;
		}
	});

	test('a comment POST that hangs is not re-sent; the error says it timed out and may have been applied', async () => {
		const saved = bed.policy.requestTimeoutMs;
		bed.policy.requestTimeoutMs = 300;
		try {
			bed.cloud.injectFault({ server: 'graph', method: 'POST', hang: true, times: 1 });
			const out = await bed.run({
				resource: 'incident',
				operation: 'update',
				incidentId: incidentLocator(bed.cloud.incidents[0].id as string),
				updateFields: { comment: 'hello' },
			});
			expect(out.error?.message).toMatch(/^Microsoft Graph at https:\/\/127\.0\.0\.1:\d+ timed out: POST \/security\/incidents\/\d+\/comments got no complete answer within 0\.3 s; not retried automatically: the request may have been applied/);
			expect(bed.graphRequests()).toHaveLength(1);
		} finally {
			bed.policy.requestTimeoutMs = saved;
		}
	});
});

describe('bodies that are not Graph JSON', () => {
	test('an HTML error page gives a clear error (no retry for 502)', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 502, body: 'html' });
		const out = await getFirst();
		expect(out.error?.message).toBe(
			'HTTP 502 with a body that is not JSON (text/html): "502 Service Unavailable" (HTTP 502)',
		);
		expect(out.error?.message).not.toMatch(/object Object|<html/);
		expect(bed.graphRequests()).toHaveLength(1);
	});

	test('a 200 with a truncated JSON body gives a clear error', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 200, body: 'malformed' });
		const out = await getFirst();
		expect(out.error?.message).toBe(
			'Microsoft Graph answered HTTP 200 with a body that is not JSON (application/json): "{"error": {"code": "InternalServerError", "message": "trunc"',
		);
	});

	test('a 200 HTML page (captive portal / proxy) gives a clear error', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 200, body: 'html' });
		const out = await getFirst();
		expect(out.error?.message).toBe(
			'Microsoft Graph answered HTTP 200 with a body that is not JSON (text/html): "200 Service Unavailable"',
		);
	});

	test('an HTML 503 is retried and the retry succeeds', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 503, body: 'html', times: 1 });
		const out = await getFirst();
		expect(out.error).toBeUndefined();
		expect(out.items[0].json.id).toBe(bed.cloud.incidents[0].id);
	});
});

describe('errors never leak the token', () => {
	test('401 after n8n\'s single retry: Graph\'s message, no bearer token anywhere in the error', async () => {
		bed.cloud.injectFault({ server: 'graph', path: incidentPath(), status: 401, times: 2 });
		const out = await getFirst();
		expect((out.error as { httpCode?: string }).httpCode).toBe('401');
		expect(out.error?.message).toContain('(HTTP 401, InvalidAuthenticationToken)');
		const serialized = JSON.stringify(out.error) + String(out.error?.message) + String((out.error as { description?: string }).description);
		const bearer = String(bed.graphRequests()[0].headers.authorization).replace(/^Bearer /, '');
		expect(bearer.length).toBeGreaterThan(20);
		expect(serialized).not.toContain(bearer);
		expect(serialized).not.toMatch(/authorization/i);
		// the 401 made n8n fetch a new token and re-send exactly once
		expect(bed.graphRequests()).toHaveLength(2);
	});
});
