/**
 * Every credential type reaches Defender for Endpoint with a token for the MDE audience and Graph with a Graph
 * token, never the reverse (asserted from the sim's request log); device code with "Defender for Endpoint
 * Access" off is refused before any MDE request.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SEED_MACHINE_IDS } from '../../../sim';
import type { CredentialRef } from '../../harness';
import { certificateApp, customCloud } from '../simBed';
import { CLIENT_CREDENTIALS, DEVICE_CODE, MANAGED_IDENTITY, deviceLocator, resetMdeBed, startMdeBed, tokenPayload, type MdeBed } from './setup';

const ENV_KEYS = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'IMDS_ENDPOINT'];
const savedEnv: Record<string, string | undefined> = {};
let bed: MdeBed;
beforeAll(async () => {
	bed = await startMdeBed({ deviceCodeIntervalSec: 0 });
	for (const key of ENV_KEYS) {
		savedEnv[key] = process.env[key];
		delete process.env[key];
	}
	process.env.IDENTITY_ENDPOINT = bed.cloud.identityEndpoint;
	process.env.IDENTITY_HEADER = bed.cloud.identityHeader;
});
afterAll(async () => {
	for (const key of ENV_KEYS) {
		if (savedEnv[key] === undefined) delete process.env[key];
		else process.env[key] = savedEnv[key];
	}
	await bed.stop();
});
beforeEach(() => resetMdeBed(bed));

const listDevices: INodeParameters = { resource: 'device', operation: 'getAll', limit: 2 };
const listIncidents: INodeParameters = { resource: 'incident', operation: 'getAll', limit: 2 };

/** Runs a Graph and an MDE operation with one credential; asserts each host got only its own audience. */
async function bothHosts(authentication: string, type: string, ref: CredentialRef) {
	const options = { credentials: { [type]: ref } };
	const graph = await bed.run({ authentication, ...listIncidents }, options);
	expect(graph.error).toBeUndefined();
	const devices = await bed.run({ authentication, ...listDevices }, options);
	expect(devices.error).toBeUndefined();
	expect(devices.items.map((item) => item.json.id)).toEqual(SEED_MACHINE_IDS.slice(0, 2));
	const isolate = await bed.run({ authentication, resource: 'device', operation: 'getAction', actionId: '00000000-0000-4000-8000-000000000000' }, options);
	expect(isolate.error?.message).toMatch(/not found/);
	assertAudiences();
}

function assertAudiences() {
	const mde = bed.cloud.requests.filter((r) => r.server === 'mde');
	const graph = bed.cloud.requests.filter((r) => r.server === 'graph');
	expect(mde.length).toBeGreaterThanOrEqual(2);
	expect(graph.length).toBeGreaterThanOrEqual(1);
	expect(mde.map((r) => tokenPayload(r)?.aud)).toEqual(mde.map(() => bed.cloud.mdeEndpoint));
	expect(graph.map((r) => tokenPayload(r)?.aud)).toEqual(graph.map(() => bed.cloud.graphEndpoint));
	// the exact tokens: none sent to both hosts
	const bearer = (r: { headers: IDataObject }) => String(r.headers.authorization);
	const graphTokens = new Set(graph.map(bearer));
	expect(mde.filter((r) => graphTokens.has(bearer(r)))).toEqual([]);
	// and no token goes to the identity or sign-in servers
	expect(bed.cloud.requests.filter((r) => r.server !== 'mde' && r.server !== 'graph' && /^Bearer /.test(String(r.headers.authorization ?? '')))).toEqual([]);
}

const custom = () => ({ ...customCloud(bed.cloud), mdeEndpoint: bed.cloud.mdeEndpoint, tenantId: bed.cloud.tenantId });

test('client credentials with a secret', async () => {
	await bothHosts('clientCredentials', CLIENT_CREDENTIALS, bed.mdeApp);
	const scopes = bed.cloud.requests.filter((r) => r.server === 'login' && r.path.endsWith('/token')).map((r) => new URLSearchParams(r.body).get('scope'));
	expect(scopes.sort()).toEqual([`${bed.cloud.graphEndpoint}/.default`, `${bed.cloud.mdeEndpoint}/.default`].sort());
});

test('client credentials with a certificate', async () => {
	const ref = bed.store.add(CLIENT_CREDENTIALS, certificateApp(bed.cloud, { mdeEndpoint: bed.cloud.mdeEndpoint }));
	await bothHosts('clientCredentials', CLIENT_CREDENTIALS, ref);
});

test('managed identity: a token for resource <mde host>', async () => {
	const ref = bed.store.add(MANAGED_IDENTITY, { cloud: 'custom', graphEndpoint: bed.cloud.graphEndpoint, mdeEndpoint: bed.cloud.mdeEndpoint, clientId: '' });
	await bothHosts('managedIdentity', MANAGED_IDENTITY, ref);
	const resources = bed.cloud.requests.filter((r) => r.server === 'identity').map((r) => r.query.resource);
	expect(resources).toEqual(expect.arrayContaining([bed.cloud.graphEndpoint, bed.cloud.mdeEndpoint]));
});

async function signedInDeviceCode(mdeAccess: boolean): Promise<CredentialRef> {
	const ref = bed.store.add(DEVICE_CODE, { ...custom(), clientId: bed.cloud.mdePublicClientId, mdeAccess });
	const options = { credentials: { [DEVICE_CODE]: ref } };
	const first = await bed.run({ authentication: 'deviceCode', ...listIncidents }, options);
	expect(first.error?.message).toMatch(/^To sign in, open /);
	bed.cloud.approveDeviceCode();
	const second = await bed.run({ authentication: 'deviceCode', ...listIncidents }, options);
	expect(second.error).toBeUndefined();
	resetMdeBed(bed);
	return ref;
}

test('device code with Defender for Endpoint Access on: an MDE token from the same sign-in', async () => {
	const ref = await signedInDeviceCode(true);
	await bothHosts('deviceCode', DEVICE_CODE, ref);
	// no second sign-in: the MDE token came from the refresh token
	expect(bed.cloud.requests.filter((r) => r.server === 'login' && r.path.endsWith('/devicecode'))).toEqual([]);
	const mde = bed.cloud.requests.filter((r) => r.server === 'mde');
	expect(tokenPayload(mde[0])?.scp).toEqual(expect.stringContaining('Machine.Read'));
});

// KNOWN BUG (auth area, reported): the token module's message starts 'Credential field "mdeAccess": …', and
// n8n-workflow's NodeOperationError replaces any message containing "EACCES" (here: "mdEACCESs") with
// "Forbidden by access permissions, make sure you have the right permissions". Marked failing until the
// message no longer carries the field name; jest then reports this test, and `test.failing` goes.
test.failing('device code with Defender for Endpoint Access off: a clear error, and no request to MDE', async () => {
	const ref = await signedInDeviceCode(false);
	const out = await bed.run({ authentication: 'deviceCode', resource: 'device', operation: 'get', deviceId: deviceLocator(SEED_MACHINE_IDS[0]) }, { credentials: { [DEVICE_CODE]: ref } });
	expect(bed.cloud.requests.filter((r) => r.server === 'mde')).toEqual([]);
	expect(out.error?.message).toMatch(/Defender for Endpoint Access/);
});

test('device code with Defender for Endpoint Access off: no request reaches MDE', async () => {
	const ref = await signedInDeviceCode(false);
	const out = await bed.run({ authentication: 'deviceCode', resource: 'device', operation: 'getAll' }, { credentials: { [DEVICE_CODE]: ref } });
	expect(out.error).toBeDefined();
	expect(bed.cloud.requests.filter((r) => r.server === 'mde')).toEqual([]);
});
