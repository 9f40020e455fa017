import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';

import { startSimulatedCloud, SEED_MACHINE_IDS, type SimCloud } from '../../sim';

/** The simulated Defender for Endpoint API, over real HTTPS, with tokens from the real @azure/identity. */

function claims(token: string): Record<string, any> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

const SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';
const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const MD5 = '44d88612fea8a8f36de82e1278abb02f';

describe('simulated Defender for Endpoint API', () => {
	let cloud: SimCloud;
	let mdeToken: string;
	let graphToken: string;
	const identityOptions = () => ({ authorityHost: cloud.authorityHost, disableInstanceDiscovery: true });

	async function appToken(clientId: string, clientSecret: string, scope = `${cloud.mdeEndpoint}/.default`): Promise<string> {
		return (await new ClientSecretCredential(cloud.tenantId, clientId, clientSecret, identityOptions()).getToken(scope)).token;
	}
	async function mde(method: string, path: string, body?: unknown, token = mdeToken): Promise<{ status: number; body: any; headers: Headers }> {
		const answer = await fetch(`${cloud.mdeEndpoint}${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await answer.text();
		let parsed: any = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON (package download)
		}
		return { status: answer.status, body: parsed, headers: answer.headers };
	}
	const machine = (k = 0) => SEED_MACHINE_IDS[k];
	const expectError = (r: { status: number; body: any }, status: number, code: string, message?: RegExp) => {
		expect(r.status).toBe(status);
		expect(r.body.error).toMatchObject({ code });
		expect(typeof r.body.error.target).toBe('string');
		if (message) expect(r.body.error.message).toMatch(message);
	};

	beforeAll(async () => {
		cloud = await startSimulatedCloud({ incidents: 1, trustCa: true });
		mdeToken = await appToken(cloud.apps.secret.clientId, cloud.apps.secret.clientSecret!);
		graphToken = await appToken(cloud.apps.secret.clientId, cloud.apps.secret.clientSecret!, `${cloud.graphEndpoint}/.default`);
	});
	afterAll(async () => {
		delete process.env.IDENTITY_ENDPOINT;
		delete process.env.IDENTITY_HEADER;
		await cloud.stop();
	});
	beforeEach(() => {
		cloud.clearRequests();
		cloud.mde.setRateLimit(null, null);
	});

	describe('tokens for the MDE audience', () => {
		it('client secret: aud is the MDE origin and roles are the MDE ones only; the Graph token has none of them', () => {
			expect(claims(mdeToken)).toMatchObject({ aud: cloud.mdeEndpoint, idtyp: 'app' });
			expect(claims(mdeToken).roles).toEqual(expect.arrayContaining(['Machine.Isolate', 'Machine.Read.All', 'Ti.ReadWrite.All']));
			expect(claims(mdeToken).roles).not.toContain('SecurityIncident.ReadWrite.All');
			expect(claims(graphToken).roles).toEqual(['SecurityIncident.ReadWrite.All', 'ThreatHunting.Read.All']);
		});

		it('client certificate and managed identity get MDE tokens too', async () => {
			const cert = cloud.apps.certificate;
			const viaCert = await new ClientCertificateCredential(cloud.tenantId, cert.clientId, { certificate: cert.certificatePem! }, identityOptions()).getToken(`${cloud.mdeEndpoint}/.default`);
			expect(claims(viaCert.token)).toMatchObject({ aud: cloud.mdeEndpoint, appid: cert.clientId });
			process.env.IDENTITY_ENDPOINT = cloud.identityEndpoint;
			process.env.IDENTITY_HEADER = cloud.identityHeader;
			const viaMi = await new ManagedIdentityCredential().getToken(cloud.mdeEndpoint);
			expect(claims(viaMi.token)).toMatchObject({ aud: cloud.mdeEndpoint, appid: cloud.identities.system.clientId });
			expect(claims(viaMi.token).roles).toContain('Machine.Isolate');
			const mi = cloud.requests.find((r) => r.server === 'identity')!;
			expect(mi.query.resource).toBe(cloud.mdeEndpoint);
			expect((await mde('GET', '/api/machines', undefined, viaMi.token)).status).toBe(200);
		});

		it('delegated: the same refresh token gives an MDE token (consented public client), and still a Graph one', async () => {
			const tokenUrl = `${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0`;
			const post = async (path: string, form: Record<string, string>) => {
				const r = await fetch(`${tokenUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
				return { status: r.status, body: (await r.json()) as any };
			};
			const signIn = async (clientId: string) => {
				const start = await post('devicecode', { client_id: clientId, scope: `${cloud.graphEndpoint}/SecurityIncident.ReadWrite.All offline_access` });
				cloud.approveDeviceCode(start.body.user_code);
				return (await post('token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: clientId, device_code: start.body.device_code })).body;
			};
			const first = await signIn(cloud.mdePublicClientId);
			const forMde = await post('token', { grant_type: 'refresh_token', client_id: cloud.mdePublicClientId, refresh_token: first.refresh_token, scope: `${cloud.mdeEndpoint}/.default offline_access` });
			expect(forMde.status).toBe(200);
			expect(claims(forMde.body.access_token)).toMatchObject({ aud: cloud.mdeEndpoint, scp: expect.stringContaining('Machine.Isolate') });
			expect((await mde('GET', '/api/machines', undefined, forMde.body.access_token)).status).toBe(200);
			const backToGraph = await post('token', { grant_type: 'refresh_token', client_id: cloud.mdePublicClientId, refresh_token: forMde.body.refresh_token, scope: `${cloud.graphEndpoint}/SecurityIncident.ReadWrite.All offline_access` });
			expect(claims(backToGraph.body.access_token)).toMatchObject({ aud: cloud.graphEndpoint, scp: 'SecurityIncident.ReadWrite.All' });

			// The default (Graph Command Line Tools) client has no MDE consent: Entra's AADSTS65001.
			const noConsent = await signIn(cloud.publicClientId);
			const refused = await post('token', { grant_type: 'refresh_token', client_id: cloud.publicClientId, refresh_token: noConsent.refresh_token, scope: `${cloud.mdeEndpoint}/.default` });
			expect(refused.status).toBe(400);
			expect(refused.body).toMatchObject({ error: 'invalid_grant', error_codes: [65001] });
			// One request, one resource (AADSTS28000).
			const both = await post('token', { grant_type: 'refresh_token', client_id: cloud.mdePublicClientId, refresh_token: first.refresh_token, scope: `${cloud.mdeEndpoint}/.default ${cloud.graphEndpoint}/SecurityIncident.ReadWrite.All` });
			expect(both.body).toMatchObject({ error: 'invalid_scope', error_codes: [28000] });
		});

		it('a Graph token is refused by MDE and an MDE token by Graph (401)', async () => {
			expectError(await mde('GET', '/api/machines', undefined, graphToken), 401, 'Unauthorized', /audience/);
			const atGraph = await fetch(`${cloud.graphEndpoint}/v1.0/security/incidents`, { headers: { authorization: `Bearer ${mdeToken}` } });
			expect(atGraph.status).toBe(401);
			expect(((await atGraph.json()) as any).error.code).toBe('InvalidAuthenticationToken');
			expectError(await mde('GET', '/api/machines', undefined, 'not-a-token'), 401, 'Unauthorized');
		});

		it('checks roles per endpoint (403 naming the permission, never the token)', async () => {
			const reader = cloud.registerApp({ roles: ['Machine.Read.All'], secret: true });
			const readerToken = await appToken(reader.clientId, reader.clientSecret!);
			expect((await mde('GET', '/api/machines', undefined, readerToken)).status).toBe(200);
			const refused = await mde('POST', `/api/machines/${machine()}/isolate`, { Comment: 'x', IsolationType: 'Full' }, readerToken);
			expectError(refused, 403, 'Forbidden', /Machine\.Isolate/);
			expect(JSON.stringify(refused.body)).not.toContain(readerToken);
			expectError(await mde('POST', '/api/indicators', { indicatorValue: SHA1 }, readerToken), 403, 'Forbidden', /Ti\.ReadWrite/);
			const noMde = await appToken(cloud.apps.readOnly.clientId, cloud.apps.readOnly.clientSecret!);
			expectError(await mde('GET', '/api/machines', undefined, noMde), 403, 'Forbidden', /Machine\.Read\.All/);
		});
	});

	describe('machines', () => {
		it('lists the seeded machines with Defender\'s shape', async () => {
			const r = await mde('GET', '/api/machines');
			expect(r.status).toBe(200);
			expect(r.body['@odata.context']).toBe(`${cloud.mdeEndpoint}/api/$metadata#Machines`);
			expect(r.body.value.map((m: any) => m.id)).toEqual([...SEED_MACHINE_IDS]);
			for (const m of r.body.value) expect(m.id).toMatch(/^[0-9a-f]{40}$/);
			expect(r.body['@odata.nextLink']).toBeUndefined();
		});

		it.each([
			["startswith(computerDnsName,'ws-')", [0, 1]],
			["riskScore eq 'High'", [0]],
			["healthStatus eq 'Inactive'", [4]],
			["machineTags/any(tag: tag eq 'laptop')", [0, 1, 4]],
			['rbacGroupId eq 141', [1, 3]],
			["osPlatform eq 'Linux' or exposureLevel eq 'High'", [0, 3]],
			['lastSeen gt 2018-08-01Z', [0, 1, 2, 3, 4]],
		])('$filter %s', async (filter, expected) => {
			const r = await mde('GET', `/api/machines?$filter=${encodeURIComponent(filter)}`);
			expect(r.status).toBe(200);
			expect(r.body.value.map((m: any) => m.id)).toEqual((expected as number[]).map((k) => machine(k)));
		});

		it('refuses undocumented filter properties, enum values and $top above 10,000 (ODataError)', async () => {
			expectError(await mde('GET', `/api/machines?$filter=${encodeURIComponent("osProcessor eq 'x64'")}`), 400, 'ODataError', /osProcessor/);
			expectError(await mde('GET', `/api/machines?$filter=${encodeURIComponent("riskScore eq 'Severe'")}`), 400, 'ODataError', /Severe/);
			expectError(await mde('GET', '/api/machines?$top=10001'), 400, 'ODataError', /10000/);
			expectError(await mde('GET', '/api/machines?$orderby=lastSeen'), 400, 'ODataError');
		});

		it('pages with $top and $skip', async () => {
			const a = await mde('GET', '/api/machines?$top=2');
			const b = await mde('GET', '/api/machines?$top=2&$skip=2');
			const c = await mde('GET', '/api/machines?$top=2&$skip=4');
			expect([...a.body.value, ...b.body.value, ...c.body.value].map((m: any) => m.id)).toEqual([...SEED_MACHINE_IDS]);
			expect(c.body.value).toHaveLength(1);
		});

		it('gets one machine by id or by computer name; 404 ResourceNotFound otherwise', async () => {
			expect((await mde('GET', `/api/machines/${machine(2)}`)).body.computerDnsName).toBe('srv-sql-02.simcontoso.com');
			expect((await mde('GET', '/api/machines/SRV-SQL-02.simcontoso.com')).body.id).toBe(machine(2));
			expectError(await mde('GET', '/api/machines/0000000000000000000000000000000000000000'), 404, 'ResourceNotFound', /0000000000000000000000000000000000000000 was not found/);
		});

		it('a tenant without machines answers the list with 404', async () => {
			const empty = await startSimulatedCloud({ incidents: 0, mdeMachines: false, trustCa: true });
			try {
				const token = (await new ClientSecretCredential(empty.tenantId, empty.apps.secret.clientId, empty.apps.secret.clientSecret!, { authorityHost: empty.authorityHost, disableInstanceDiscovery: true }).getToken(`${empty.mdeEndpoint}/.default`)).token;
				const r = await fetch(`${empty.mdeEndpoint}/api/machines`, { headers: { authorization: `Bearer ${token}` } });
				expect(r.status).toBe(404);
				expect(((await r.json()) as any).error.code).toBe('ResourceNotFound');
				const added = empty.mde.addMachine({ computerDnsName: 'new-01.simcontoso.com' });
				const again = await fetch(`${empty.mdeEndpoint}/api/machines`, { headers: { authorization: `Bearer ${token}` } });
				expect(((await again.json()) as any).value.map((m: any) => m.id)).toEqual([added.id]);
			} finally {
				await empty.stop();
			}
		});
	});
});
