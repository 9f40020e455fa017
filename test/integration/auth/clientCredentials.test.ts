/**
 * Client credentials (secret and certificate) against the simulated Entra ID and Graph, through the real
 * node, n8n-core's ExecuteContext and the harness CredentialsHelper.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resetTokenCachesForTests } from '../../../nodes/Microsoft365Defender/auth';
import {
	CLIENT,
	certificateApp,
	expectNoSecrets,
	newStore,
	runNode,
	secretApp,
	startCloud,
	tokenRequests,
	visibleText,
	watchLogs,
	type SimCloud,
} from './authTestBed';

let cloud: SimCloud;
let logs: ReturnType<typeof watchLogs>;

beforeAll(async () => {
	logs = watchLogs();
	cloud = await startCloud();
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

describe('client secret', () => {
	it('gets a token and lists incidents; the secret is sent to the token endpoint only', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(cloud));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toHaveProperty('id');

		const secret = cloud.apps.secret.clientSecret;
		const carrying = cloud.requests.filter((r) => JSON.stringify(r).includes(secret));
		expect(carrying.length).toBe(1);
		expect(carrying[0].server).toBe('login');
		expect(carrying[0].path).toBe(`/${cloud.tenantId}/oauth2/v2.0/token`);
		const graph = cloud.requests.filter((r) => r.server === 'graph');
		expect(graph.length).toBeGreaterThan(0);
		expect(graph.every((r) => String(r.headers.authorization).startsWith('Bearer '))).toBe(true);
		expectNoSecrets(visibleText(result), cloud);
	});

	it('reuses the token: N runs within its lifetime cause one token grant', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(cloud));
		for (let run = 0; run < 5; run++) {
			const result = await runNode(store, CLIENT, ref);
			expect(result.error).toBeUndefined();
		}
		expect(tokenRequests(cloud)).toHaveLength(1);
		expect(cloud.requests.filter((r) => r.server === 'graph').length).toBeGreaterThanOrEqual(5);
	});

	it('concurrent runs share one token request', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(cloud));
		const results = await Promise.all([1, 2, 3, 4].map(async () => await runNode(store, CLIENT, ref)));
		expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
		expect(tokenRequests(cloud)).toHaveLength(1);
	});

	it('after Graph refuses the token (401) it gets a new one and the run succeeds', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(cloud));
		expect((await runNode(store, CLIENT, ref)).error).toBeUndefined();
		cloud.expireAccessTokens();
		const result = await runNode(store, CLIENT, ref);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(tokenRequests(cloud)).toHaveLength(2);
		expect(cloud.requests.filter((r) => r.server === 'graph' && r.status === 401)).toHaveLength(1);
	});

	it('a wrong secret reports Entra\'s error and what to check, without the secret', async () => {
		const store = newStore();
		const wrongSecret = 'abc8Q~thisIsNotTheRightSecretValue000000';
		const ref = store.add(CLIENT, secretApp(cloud, { clientSecret: wrongSecret }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/AADSTS7000215/);
		expect(result.error?.message).toMatch(/Client Secret/);
		expect(visibleText(result)).not.toContain(wrongSecret);
		expectNoSecrets(visibleText(result), cloud);
	});

	it('a wrong tenant reports that the tenant does not exist', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(cloud, { tenantId: '11111111-2222-3333-4444-555555555555' }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/AADSTS90002/);
		expect(result.error?.message).toMatch(/Tenant ID/);
	});

	it('an app unknown in the tenant reports AADSTS700016', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(cloud, { clientId: '99999999-8888-7777-6666-555555555555' }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/AADSTS700016/);
	});
});

describe('certificate', () => {
	it('gets a token with a signed client_assertion and lists incidents', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, certificateApp(cloud));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		const [grant] = tokenRequests(cloud);
		const form = new URLSearchParams(grant.body);
		expect(form.get('grant_type')).toBe('client_credentials');
		expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
		expect(form.get('client_assertion')).toMatch(/^eyJ/);
		expect(form.get('client_secret')).toBeNull();
		// the private key never leaves n8n
		const keyBody = /-----BEGIN PRIVATE KEY-----\n([^\n]+)/.exec(cloud.apps.certificate.certificatePem)?.[1] ?? 'none';
		expect(JSON.stringify(cloud.requests)).not.toContain(keyBody);
		expectNoSecrets(visibleText(result), cloud);
	});

	it('a certificate Entra does not know is refused with Entra\'s text', async () => {
		const store = newStore();
		// the secret app has no certificate registered: its assertion is refused
		const ref = store.add(CLIENT, certificateApp(cloud, { clientId: cloud.apps.secret.clientId }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/AADSTS\d+/);
	});
});

describe('bad input fails before any network call, naming the field', () => {
	const cases: Array<[string, ICredentialDataDecryptedObject, RegExp]> = [
		['empty tenant', { tenantId: '' }, /"tenantId".*empty/],
		['malformed tenant', { tenantId: 'not a tenant!' }, /"tenantId"/],
		['multi-tenant alias for an app', { tenantId: 'organizations' }, /"tenantId".*single tenant/],
		['malformed client id', { clientId: '1234' }, /"clientId".*GUID/],
		['empty secret', { clientSecret: '' }, /"clientSecret".*empty/],
		['certificate that is not PEM', { authMethod: 'certificate', certificate: 'hello' }, /"certificate".*not PEM/],
		['http authority', { authorityHost: 'http://127.0.0.1:1' }, /"authorityHost".*https/],
		['http graph endpoint', { graphEndpoint: 'http://127.0.0.1:1' }, /"graphEndpoint".*https/],
		['unknown cloud', { cloud: 'mars' }, /"cloud".*unknown.*global, usGov, usGovDoD, custom/],
	];
	it.each(cases)('%s', async (_name, overrides, expected) => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(cloud, overrides));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(expected);
		expect(cloud.requests).toHaveLength(0);
	});

	it('a certificate without its private key', async () => {
		const certOnly = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(cloud.apps.certificate.certificatePem)![0];
		const store = newStore();
		const ref = store.add(CLIENT, certificateApp(cloud, { certificate: certOnly }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/"certificate".*lacks the private key/);
		expect(cloud.requests).toHaveLength(0);
	});
});
