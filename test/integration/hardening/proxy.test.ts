/**
 * Issue 11, item 4: with n8n's proxy configured (HTTPS_PROXY), every sign-in request tunnels through it:
 * msal-node's metadata GET and refresh-token POST included (msal's own client uses Node's fetch, which
 * ignores HTTPS_PROXY). The proxy is a CONNECT proxy on 127.0.0.1 that logs each tunnel.
 */
import { startConnectProxy } from '../../../sim';
import { CLIENT, DEVICE, customCloud, newStore, runNode, secretApp, useCloud } from '../auth/authTestBed';

const bed = useCloud();
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

beforeAll(async () => {
	proxy = await startConnectProxy();
	process.env.HTTPS_PROXY = proxy.url;
	delete process.env.NO_PROXY;
});
afterAll(async () => {
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	await proxy.stop();
});
beforeEach(() => {
	proxy.tunnels.length = 0;
});

const loginHost = () => new URL(bed.cloud.authorityHost).host;

/** every request the sim's Entra got arrived through a tunnel to its host */
function expectAllLoginTraffic(tunnelled: number) {
	const login = bed.cloud.requests.filter((r) => r.server === 'login');
	expect(login.length).toBeGreaterThan(0);
	expect(proxy.tunnels.filter((t) => t === loginHost()).length).toBeGreaterThanOrEqual(tunnelled);
	expect(proxy.tunnels.filter((t) => t === loginHost()).length).toBeGreaterThanOrEqual(login.length);
}

it('client credentials: the token request tunnels through the proxy', async () => {
	const store = newStore();
	const result = await runNode(store, CLIENT, store.add(CLIENT, secretApp(bed.cloud)));
	expect(result.error).toBeUndefined();
	expectAllLoginTraffic(1);
	expect(proxy.plainRequests).toHaveLength(0);
});

it('device code: start, approve, msal metadata and refresh-token requests all tunnel through the proxy', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const first = await runNode(store, DEVICE, ref);
	bed.cloud.approveDeviceCode(/code ([A-Z]{4}-[A-Z]{4})/.exec(first.error!.message)![1]);
	expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
	// a refresh: msal's refresh_token POST
	bed.cloud.expireAccessTokens();
	bed.cloud.clearRequests();
	proxy.tunnels.length = 0;
	expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
	const refreshes = bed.cloud.requests.filter((r) => r.server === 'login' && r.body.includes('grant_type=refresh_token'));
	expect(refreshes.length).toBeGreaterThanOrEqual(1);
	expectAllLoginTraffic(1);
	expect(proxy.plainRequests).toHaveLength(0);
});
