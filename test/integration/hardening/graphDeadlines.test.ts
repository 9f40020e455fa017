/**
 * Issue 11, item 7: one overall deadline per Graph request (headers and body), and a total budget per
 * call that counts the time spent in requests as well as the waits between retries. A hung GET and a
 * body trickling in one byte at a time both end with "timed out", after at most the budget.
 */
import { resetTestBed, startTestBed, type TestBed } from '../node/setup';

let bed: TestBed;

beforeAll(async () => {
	bed = await startTestBed();
});
afterAll(async () => {
	await bed.stop();
});
beforeEach(() => {
	resetTestBed(bed);
	// the bed's short retry waits; a request deadline of 1 s and a budget of 2.5 s for the whole call
	Object.assign(bed.policy, { requestTimeoutMs: 1000, maxTotalMs: 2500 });
});

const list = { authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', returnAll: false, limit: 5 };
const incidentGets = () => bed.graphRequests().filter((r) => r.method === 'GET' && r.path === '/v1.0/security/incidents');

it('a hung GET: "timed out", retried only while the call\'s budget lasts (not 1 + maxRetries times the deadline)', async () => {
	bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/incidents', hang: true, times: 100 });
	const result = await bed.run(list);
	expect(result.error?.message).toMatch(/timed out: GET \/security\/incidents got no complete answer within [\d.]+ s/);
	// 2.5 s budget, 1 s per attempt: 2 or 3 attempts, never the 4 (1 + maxRetries 3) the retry count alone allows
	expect(incidentGets().length).toBeGreaterThanOrEqual(2);
	expect(incidentGets().length).toBeLessThanOrEqual(3);
});

it('a body trickling in byte by byte: the deadline covers the body too', async () => {
	bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/incidents', trickleMs: 50, times: 100 });
	const result = await bed.run(list);
	expect(result.error?.message).toMatch(/timed out: GET \/security\/incidents got no complete answer/);
	expect(incidentGets().length).toBeLessThanOrEqual(3);
});

it('a request that answers in time is unaffected', async () => {
	const result = await bed.run(list);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(5);
});
