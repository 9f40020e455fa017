/**
 * Issue 11, item 6: every token request has a deadline. A hung token endpoint fails the run with
 * "timed out" (not network_error), the shared in-flight request is dropped, so the next run (or a
 * concurrent one) is not stuck behind it; the device-code start and poll requests too.
 */
import { tokenRequestPolicy } from '../../../nodes/Microsoft365Defender/auth';
import { CLIENT, DEVICE, customCloud, newStore, runNode, secretApp, useCloud } from '../auth/authTestBed';

const bed = useCloud();
const cloud = () => bed.cloud as unknown as { injectFault(spec: object): void; clearFaults(): void };
const original = { ...tokenRequestPolicy };

beforeAll(() => Object.assign(tokenRequestPolicy, { timeoutMs: 1500, totalMs: 4000 }));
afterAll(() => Object.assign(tokenRequestPolicy, original));
afterEach(() => cloud().clearFaults());

it('client secret: a hung token endpoint -> "timed out"; the next run gets a token', async () => {
	cloud().injectFault({ server: 'login', path: /\/oauth2\/v2\.0\/token/, hang: true, times: 100 });
	const store = newStore();
	const ref = store.add(CLIENT, secretApp(bed.cloud));
	const [first, concurrent] = await Promise.all([runNode(store, CLIENT, ref), runNode(store, CLIENT, ref)]);
	for (const result of [first, concurrent]) {
		expect(result.error?.message).toMatch(/timed out/);
		expect(result.error?.message).not.toMatch(/network_error/);
	}
	cloud().clearFaults();
	const next = await runNode(store, CLIENT, ref);
	expect(next.error).toBeUndefined();
	expect(next.items?.length).toBeGreaterThan(0);
});

it('device code: a hung device-code endpoint -> "timed out"', async () => {
	cloud().injectFault({ server: 'login', path: /\/oauth2\/v2\.0\/devicecode/, hang: true, times: 100 });
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const result = await runNode(store, DEVICE, ref);
	expect(result.error?.message).toMatch(/timed out/);
});

it('device code: a hung poll of the pending code -> "timed out"; the code is kept for the next run', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const first = await runNode(store, DEVICE, ref);
	const code = /code ([A-Z]{4}-[A-Z]{4})/.exec(first.error!.message)![1];
	bed.cloud.approveDeviceCode(code);
	cloud().injectFault({ server: 'login', path: /\/oauth2\/v2\.0\/token/, hang: true, times: 100 });
	const hung = await runNode(store, DEVICE, ref);
	expect(hung.error?.message).toMatch(/timed out/);
	cloud().clearFaults();
	expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
});
