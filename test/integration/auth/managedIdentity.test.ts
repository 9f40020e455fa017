/**
 * Managed identity through @azure/identity's ManagedIdentityCredential against the simulated App Service
 * identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, the way App Service / Functions expose it).
 */
import { resetTokenCaches as resetTokenCachesForTests } from './resetTokenCaches';
import { testCredential } from '../../harness';
import { IDENTITY, expectNoSecrets, newStore, nodeType, runNode, startCloud, visibleText, watchLogs, type SimCloud } from './authTestBed';

const ENV_KEYS = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'IMDS_ENDPOINT', 'AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IDENTITY_SERVER_THUMBPRINT'];
const savedEnv: Record<string, string | undefined> = {};
let cloud: SimCloud;
let logs: ReturnType<typeof watchLogs>;

beforeAll(async () => {
	logs = watchLogs();
	cloud = await startCloud();
	for (const key of ENV_KEYS) {
		savedEnv[key] = process.env[key];
		delete process.env[key];
	}
	process.env.IDENTITY_ENDPOINT = cloud.identityEndpoint;
	process.env.IDENTITY_HEADER = cloud.identityHeader;
});

afterAll(async () => {
	logs.restore();
	for (const key of ENV_KEYS) {
		if (savedEnv[key] === undefined) delete process.env[key];
		else process.env[key] = savedEnv[key];
	}
	await cloud.stop();
	// nothing the tests made n8n, the libraries or the node log carries a secret or token
	expectNoSecrets(logs.text(), cloud);
});

beforeEach(() => {
	resetTokenCachesForTests();
	cloud.clearRequests();
});

const identityData = (clientId: string) => ({ cloud: 'custom', graphEndpoint: cloud.graphEndpoint, clientId });
const identityRequests = () => cloud.requests.filter((r) => r.server === 'identity');

it('system-assigned identity (empty client id) gets a token and lists incidents', async () => {
	const store = newStore();
	const ref = store.add(IDENTITY, identityData(''));
	const result = await runNode(store, IDENTITY, ref);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(3);
	const [tokenRequest] = identityRequests();
	expect(tokenRequest.query.resource).toBe(cloud.graphEndpoint);
	expect(tokenRequest.query.client_id).toBeUndefined();
	// the identity header is a secret of the platform: sent to the identity endpoint only
	expect(cloud.requests.filter((r) => JSON.stringify(r).includes(cloud.identityHeader)).map((r) => r.server)).toEqual(['identity']);
	expectNoSecrets(visibleText(result), cloud);
});

it('user-assigned identity (client id) gets a token and lists incidents', async () => {
	const store = newStore();
	const ref = store.add(IDENTITY, identityData(cloud.identities.userAssigned.clientId));
	const result = await runNode(store, IDENTITY, ref);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(3);
	expect(identityRequests()).toHaveLength(1);
	expect(identityRequests()[0].query.client_id).toBe(cloud.identities.userAssigned.clientId);
});

it('reuses the token across runs, and gets a new one after Graph refuses it (401)', async () => {
	const store = newStore();
	const ref = store.add(IDENTITY, identityData(''));
	for (let run = 0; run < 4; run++) expect((await runNode(store, IDENTITY, ref)).error).toBeUndefined();
	expect(identityRequests()).toHaveLength(1);
	cloud.expireAccessTokens();
	const result = await runNode(store, IDENTITY, ref);
	expect(result.error).toBeUndefined();
	expect(identityRequests()).toHaveLength(2);
});

it('an unknown user-assigned identity reports the endpoint\'s error', async () => {
	const store = newStore();
	const ref = store.add(IDENTITY, identityData('12345678-1234-1234-1234-123456789012'));
	const result = await runNode(store, IDENTITY, ref);
	expect(result.error?.message).toMatch(/managed identity could not get a token.*Unable to load the proper Managed Identity/i);
});

it('a malformed client id fails before any request, naming the field', async () => {
	const store = newStore();
	const ref = store.add(IDENTITY, identityData('my-identity'));
	const result = await runNode(store, IDENTITY, ref);
	expect(result.error?.message).toMatch(/"clientId".*GUID/);
	expect(cloud.requests).toHaveLength(0);
});

it('the credential test gets a token from the identity endpoint and reads Graph', async () => {
	const result = await testCredential(nodeType, IDENTITY, { store: newStore(), data: identityData(cloud.identities.userAssigned.clientId) });
	expect(result).toEqual({ status: 'OK', message: 'Connection successful' });
	expect(identityRequests()).toHaveLength(1);
	expect(cloud.requests.filter((r) => r.server === 'graph').map((r) => r.path)).toEqual(['/v1.0/security/incidents']);
});
