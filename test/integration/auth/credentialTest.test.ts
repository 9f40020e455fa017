/**
 * The credential editor's "Test" button (node `testedBy` -> methods.credentialTest), run like n8n's
 * CredentialsTester with only the legacy `helpers.request`, against the simulated cloud.
 */
import { resetTokenCaches as resetTokenCachesForTests } from './resetTokenCaches';
import { testCredential } from '../../harness';
import {
	CLIENT,
	DEVICE,
	certificateApp,
	customCloud,
	expectNoSecrets,
	newStore,
	nodeType,
	runNode,
	secretApp,
	startCloud,
	tokenRequests,
	watchLogs,
	type SimCloud,
} from './authTestBed';

const testedNode = nodeType;

let cloud: SimCloud & { registerApp(o: { roles: string[]; secret: boolean }): { clientId: string; clientSecret: string } };
let logs: ReturnType<typeof watchLogs>;

beforeAll(async () => {
	logs = watchLogs();
	cloud = (await startCloud()) as typeof cloud;
});

afterAll(async () => {
	logs.restore();
	await cloud.stop();
	// nothing the tests made n8n, the libraries or the node log carries a secret or token
	expectNoSecrets(logs.text(), cloud);
});

beforeEach(() => {
	resetTokenCachesForTests();
	cloud.clearRequests();
});

it('client secret: OK after a real token request and Graph call', async () => {
	const result = await testCredential(testedNode, CLIENT, { store: newStore(), data: secretApp(cloud) });
	expect(result).toEqual({ status: 'OK', message: 'Connection successful' });
	expect(tokenRequests(cloud)).toHaveLength(1);
	expect(cloud.requests.filter((r) => r.server === 'graph').map((r) => r.path)).toEqual(['/v1.0/security/incidents']);
});

it('certificate: OK', async () => {
	const result = await testCredential(testedNode, CLIENT, { store: newStore(), data: certificateApp(cloud) });
	expect(result.status).toBe('OK');
});

it('wrong secret: Entra\'s AADSTS text, not a generic failure, and not the secret', async () => {
	const wrong = 'xyz8Q~wrongwrongwrongwrongwrongwrongwrong';
	const result = await testCredential(testedNode, CLIENT, { store: newStore(), data: secretApp(cloud, { clientSecret: wrong }) });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/AADSTS7000215/);
	expect(result.message).not.toContain(wrong);
});

it('wrong tenant: says the tenant was not found', async () => {
	const result = await testCredential(testedNode, CLIENT, {
		store: newStore(),
		data: secretApp(cloud, { tenantId: 'nosuchtenant.onmicrosoft.com' }),
	});
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/AADSTS90002/);
});

it('missing permission (no admin consent for the app roles): names the permission', async () => {
	const bare = cloud.registerApp({ roles: [], secret: true });
	const result = await testCredential(testedNode, CLIENT, {
		store: newStore(),
		data: secretApp(cloud, { clientId: bare.clientId, clientSecret: bare.clientSecret }),
	});
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/403/);
	expect(result.message).toMatch(/SecurityIncident\.Read(Write)?\.All/);
	expect(result.message).toMatch(/consent/);
	expect(result.message).not.toContain(bare.clientSecret);
});

it('a Graph host that never answers: the Test button ends after its 30 s deadline, saying so', async () => {
	(cloud as unknown as { injectFault(f: object): void; clearFaults(): void }).injectFault({ server: 'graph', path: '/v1.0/security/incidents', hang: true, times: 5 });
	try {
		const started = Date.now();
		const result = await testCredential(testedNode, CLIENT, { store: newStore(), data: secretApp(cloud) });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Microsoft Graph at https:\/\/127\.0\.0\.1:\d+ did not answer within 30 s\. Check the cloud \/ Graph URL/) });
		expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
		expect(cloud.requests.filter((r) => r.server === 'graph')).toHaveLength(1);
	} finally {
		(cloud as unknown as { clearFaults(): void }).clearFaults();
	}
}, 60_000);

it('bad input: names the field, no request', async () => {
	const result = await testCredential(testedNode, CLIENT, { store: newStore(), data: secretApp(cloud, { clientId: 'abc' }) });
	expect(result).toMatchObject({ status: 'Error' });
	expect(result.message).toMatch(/"clientId"/);
	expect(cloud.requests).toHaveLength(0);
});

describe('device code', () => {
	it('not signed in: reports it with the sign-in instructions; the next run continues with that code', async () => {
		const store = newStore();
		const ref = store.add(DEVICE, { ...customCloud(cloud), tenantId: 'organizations', clientId: cloud.publicClientId });
		const result = await testCredential(testedNode, DEVICE, { store, ref });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Not signed in yet\. To sign in, open \S+ and enter the code ([A-Z]{4}-[A-Z]{4}), then press Retry\. The code expires at \d\d:\d\d UTC\.$/);
		const code = /code ([A-Z]{4}-[A-Z]{4})/.exec(result.message)![1];

		cloud.approveDeviceCode(code);
		const run = await runNode(store, DEVICE, ref);
		expect(run.error).toBeUndefined();
		expect(cloud.counts().deviceCode).toBe(1);
	});

	it('signed in: OK with the account name', async () => {
		const store = newStore();
		const ref = store.add(DEVICE, { ...customCloud(cloud), tenantId: 'organizations', clientId: cloud.publicClientId });
		const first = await runNode(store, DEVICE, ref);
		cloud.approveDeviceCode(/code ([A-Z]{4}-[A-Z]{4})/.exec(first.error!.message)![1]);
		expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
		const result = await testCredential(testedNode, DEVICE, { store, ref });
		expect(result).toEqual({ status: 'OK', message: `Connection successful, signed in as ${cloud.user.userPrincipalName}` });
	});
});
