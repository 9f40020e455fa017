import { ManagedIdentityCredential } from '@azure/identity';

import { startSimulatedCloud, type SimCloud } from '../../sim';

// A file of its own: msal-node picks the managed-identity source (App Service, IMDS, ...) once per loaded module.
describe('simulated IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST) through @azure/identity ManagedIdentityCredential', () => {
	let cloud: SimCloud;
	let scope: string;
	const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

	beforeAll(async () => {
		cloud = await startSimulatedCloud({ incidents: 0 });
		scope = `${cloud.graphEndpoint}/.default`;
		delete process.env.IDENTITY_ENDPOINT;
		delete process.env.IDENTITY_HEADER;
		process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = cloud.imdsHost;
	});
	afterAll(async () => {
		delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
		await cloud.stop();
	});

	it('gets tokens for the system- and user-assigned identities, and refuses an unknown one', async () => {
		const system = await new ManagedIdentityCredential().getToken(scope);
		expect(claims(system.token)).toMatchObject({ appid: cloud.identities.system.clientId, aud: cloud.graphEndpoint });
		const request = cloud.requests.find((r) => r.server === 'identity')!;
		expect(request).toMatchObject({ path: expect.stringMatching(/^\/metadata\/identity\/oauth2\/token\/?$/), query: { 'api-version': '2018-02-01', resource: cloud.graphEndpoint } });
		expect(request.headers.metadata).toBe('true');
		const user = await new ManagedIdentityCredential({ clientId: cloud.identities.userAssigned.clientId }).getToken(scope);
		expect(claims(user.token).appid).toBe(cloud.identities.userAssigned.clientId);
		await expect(new ManagedIdentityCredential({ clientId: '12345678-0000-0000-0000-000000000000' }).getToken(scope)).rejects.toThrow(/Identity not found/);
	});

	it('requires the Metadata header, as IMDS does', async () => {
		const r = await fetch(`${cloud.imdsHost}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(cloud.graphEndpoint)}`);
		expect(r.status).toBe(400);
		expect(await r.json()).toEqual({ error: 'invalid_request', error_description: 'Required metadata header not specified' });
	});
});
