/**
 * Issue 11, item 1: no token follows a redirect. The credential test's Graph call (legacy helpers.request)
 * and every node request answer a 3xx from the Graph host with an error; the other origin gets nothing.
 */
import { startCaptureServer } from '../../../sim';
import { testCredential } from '../../harness';
import { CLIENT, newStore, nodeType, runNode, secretApp, useCloud } from '../auth/authTestBed';

const bed = useCloud();
let target: Awaited<ReturnType<typeof startCaptureServer>>;

beforeAll(async () => {
	target = await startCaptureServer();
});
afterAll(async () => {
	await target.stop();
});
beforeEach(() => {
	target.requests.length = 0;
	(bed.cloud as unknown as { clearFaults(): void }).clearFaults();
});

const redirectGraph = (status: number) =>
	(bed.cloud as unknown as { injectFault(spec: object): void }).injectFault({
		server: 'graph',
		path: '/v1.0/security/incidents',
		status,
		headers: { location: `${target.url}/v1.0/security/incidents` },
		body: '',
		times: 5,
	});

describe.each([302, 307])('Graph answers %i to another origin', (status) => {
	it('credential test: an error naming the redirect; the other origin is never contacted', async () => {
		redirectGraph(status);
		const result = await testCredential(nodeType, CLIENT, { store: newStore(), data: secretApp(bed.cloud) });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`redirect.*\\(${status}\\)|\\(${status}\\).*redirect`, 'i'));
		expect(target.requests).toHaveLength(0);
	});

	it('node run: fails, the other origin is never contacted', async () => {
		redirectGraph(status);
		const store = newStore();
		const result = await runNode(store, CLIENT, store.add(CLIENT, secretApp(bed.cloud)));
		expect(result.error).toBeDefined();
		expect(target.requests).toHaveLength(0);
	});
});
