/**
 * Client credentials (secret and certificate) against the simulated Entra ID and Graph, through the real
 * node, n8n-core's ExecuteContext and the harness CredentialsHelper.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	CLIENT,
	certificateApp,
	expectNoSecrets,
	newStore,
	runNode,
	secretApp,
	tokenRequests,
	visibleText,
	useCloud,
} from './authTestBed';

const bed = useCloud();

describe('client secret', () => {
	it('gets a token and lists incidents; the secret is sent to the token endpoint only', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(bed.cloud));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toHaveProperty('id');

		const secret = bed.cloud.apps.secret.clientSecret;
		const carrying = bed.cloud.requests.filter((r) => JSON.stringify(r).includes(secret));
		expect(carrying.length).toBe(1);
		expect(carrying[0].server).toBe('login');
		expect(carrying[0].path).toBe(`/${bed.cloud.tenantId}/oauth2/v2.0/token`);
		const graph = bed.cloud.requests.filter((r) => r.server === 'graph');
		expect(graph.length).toBeGreaterThan(0);
		expect(graph.every((r) => String(r.headers.authorization).startsWith('Bearer '))).toBe(true);
		expectNoSecrets(visibleText(result), bed.cloud);
	});

	it('reuses the token: N runs within its lifetime cause one token grant', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(bed.cloud));
		for (let run = 0; run < 5; run++) {
			const result = await runNode(store, CLIENT, ref);
			expect(result.error).toBeUndefined();
		}
		expect(tokenRequests(bed.cloud)).toHaveLength(1);
		expect(bed.cloud.requests.filter((r) => r.server === 'graph').length).toBeGreaterThanOrEqual(5);
	});

	it('concurrent runs share one token request', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(bed.cloud));
		const results = await Promise.all([1, 2, 3, 4].map(async () => await runNode(store, CLIENT, ref)));
		expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
		expect(tokenRequests(bed.cloud)).toHaveLength(1);
	});

	it('after Graph refuses the token (401) it gets a new one and the run succeeds', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(bed.cloud));
		expect((await runNode(store, CLIENT, ref)).error).toBeUndefined();
		bed.cloud.expireAccessTokens();
		const result = await runNode(store, CLIENT, ref);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(tokenRequests(bed.cloud)).toHaveLength(2);
		expect(bed.cloud.requests.filter((r) => r.server === 'graph' && r.status === 401)).toHaveLength(1);
	});

	it('a wrong secret reports Entra\'s error and what to check, without the secret', async () => {
		const store = newStore();
		const wrongSecret = 'abc8Q~thisIsNotTheRightSecretValue000000';
		const ref = store.add(CLIENT, secretApp(bed.cloud, { clientSecret: wrongSecret }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/AADSTS7000215/);
		expect(result.error?.message).toMatch(/Client Secret/);
		expect(visibleText(result)).not.toContain(wrongSecret);
		expectNoSecrets(visibleText(result), bed.cloud);
	});

	it('a wrong tenant reports that the tenant does not exist', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(bed.cloud, { tenantId: '11111111-2222-3333-4444-555555555555' }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/AADSTS90002/);
		expect(result.error?.message).toMatch(/Tenant ID/);
	});

	it('an app unknown in the tenant reports AADSTS700016', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(bed.cloud, { clientId: '99999999-8888-7777-6666-555555555555' }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/AADSTS700016/);
	});
});

describe('certificate', () => {
	it('gets a token with a signed client_assertion and lists incidents', async () => {
		const store = newStore();
		const ref = store.add(CLIENT, certificateApp(bed.cloud));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		const [grant] = tokenRequests(bed.cloud);
		const form = new URLSearchParams(grant.body);
		expect(form.get('grant_type')).toBe('client_credentials');
		expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
		expect(form.get('client_assertion')).toMatch(/^eyJ/);
		expect(form.get('client_secret')).toBeNull();
		// the private key never leaves n8n
		const keyBody = /-----BEGIN PRIVATE KEY-----\n([^\n]+)/.exec(bed.cloud.apps.certificate.certificatePem)?.[1] ?? 'none';
		expect(JSON.stringify(bed.cloud.requests)).not.toContain(keyBody);
		expectNoSecrets(visibleText(result), bed.cloud);
	});

	it('a certificate Entra does not know is refused with Entra\'s text', async () => {
		const store = newStore();
		// the secret app has no certificate registered: its assertion is refused
		const ref = store.add(CLIENT, certificateApp(bed.cloud, { clientId: bed.cloud.apps.secret.clientId }));
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
		['unknown cloud', { cloud: 'mars' }, /"cloud".*unknown.*global, usGcc, usGov, usGovDoD, custom/],
	];
	it.each(cases)('%s', async (_name, overrides, expected) => {
		const store = newStore();
		const ref = store.add(CLIENT, secretApp(bed.cloud, overrides));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(expected);
		expect(bed.cloud.requests).toHaveLength(0);
	});

	it('a certificate without its private key', async () => {
		const certOnly = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(bed.cloud.apps.certificate.certificatePem)![0];
		const store = newStore();
		const ref = store.add(CLIENT, certificateApp(bed.cloud, { certificate: certOnly }));
		const result = await runNode(store, CLIENT, ref);
		expect(result.error?.message).toMatch(/"certificate".*lacks the private key/);
		expect(bed.cloud.requests).toHaveLength(0);
	});
});
