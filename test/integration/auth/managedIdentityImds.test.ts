/**
 * Managed identity on a VM / VM scale set / AKS: the IMDS shape of the simulated identity server, reached
 * through AZURE_POD_IDENTITY_AUTHORITY_HOST (never 169.254.169.254). Own file: msal-node picks its
 * managed-identity source once per module registry.
 */
import { resetTokenCaches as resetTokenCachesForTests } from './resetTokenCaches';
import { IDENTITY, expectNoSecrets, newStore, runNode, startCloud, visibleText, watchLogs, type SimCloud } from './authTestBed';

const ENV_KEYS = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'IMDS_ENDPOINT', 'AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IDENTITY_SERVER_THUMBPRINT'];
const savedEnv: Record<string, string | undefined> = {};
let cloud: SimCloud & { imdsHost: string };
let logs: ReturnType<typeof watchLogs>;

beforeAll(async () => {
	logs = watchLogs();
	cloud = (await startCloud()) as typeof cloud;
	for (const key of ENV_KEYS) {
		savedEnv[key] = process.env[key];
		delete process.env[key];
	}
	process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = cloud.imdsHost;
	resetTokenCachesForTests();
});

afterAll(async () => {
	logs.restore();
	for (const key of ENV_KEYS) {
		if (savedEnv[key] === undefined) delete process.env[key];
		else process.env[key] = savedEnv[key];
	}
	await cloud.stop();
	expectNoSecrets(logs.text(), cloud);
});

beforeEach(() => {
	resetTokenCachesForTests();
	cloud.clearRequests();
});

const identityData = (clientId: string) => ({ cloud: 'custom', graphEndpoint: cloud.graphEndpoint, clientId });
const imdsRequests = () => cloud.requests.filter((r) => r.server === 'identity' && r.path.startsWith('/metadata/identity/oauth2/token'));

it.each([
	['system-assigned', () => '', undefined],
	['user-assigned', () => cloud.identities.userAssigned.clientId, () => cloud.identities.userAssigned.clientId],
])('%s identity gets a token from IMDS and lists incidents', async (_kind, clientId, expectedClientId) => {
	const store = newStore();
	const ref = store.add(IDENTITY, identityData(clientId()));
	const result = await runNode(store, IDENTITY, ref);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(3);
	expect(imdsRequests()).toHaveLength(1);
	expect(imdsRequests()[0].headers.metadata).toBe('true');
	expect(imdsRequests()[0].query.resource).toBe(cloud.graphEndpoint);
	expect(imdsRequests()[0].query.client_id).toBe(expectedClientId?.());
	expectNoSecrets(visibleText(result), cloud);
});
