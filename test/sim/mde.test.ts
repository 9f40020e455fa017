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
	/** A delegated MDE token: device-code sign-in for Graph, then the refresh token redeemed for MDE. */
	async function userMdeToken(): Promise<string> {
		const base = `${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0`;
		const post = async (path: string, form: Record<string, string>) =>
			(await (await fetch(`${base}/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) })).json()) as any;
		const start = await post('devicecode', { client_id: cloud.mdePublicClientId, scope: `${cloud.graphEndpoint}/SecurityIncident.ReadWrite.All offline_access` });
		cloud.approveDeviceCode(start.user_code);
		const signedIn = await post('token', { grant_type: 'device_code', client_id: cloud.mdePublicClientId, device_code: start.device_code });
		return (await post('token', { grant_type: 'refresh_token', client_id: cloud.mdePublicClientId, refresh_token: signedIn.refresh_token, scope: `${cloud.mdeEndpoint}/.default` })).access_token;
	}
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
	afterAll(() => cloud.stop());
	beforeEach(() => {
		cloud.clearRequests();
		cloud.mde.setRateLimit(null, null);
	});

	describe('tokens for the MDE audience', () => {
		it('client secret: aud is the MDE origin and roles are the MDE ones only; the Graph token has none of them', () => {
			expect(claims(mdeToken)).toMatchObject({ aud: cloud.mdeEndpoint, idtyp: 'app' });
			expect(claims(mdeToken).roles).toEqual(expect.arrayContaining(['Machine.Isolate', 'Machine.Read.All', 'Ti.ReadWrite.All']));
			expect(claims(mdeToken).roles).not.toContain('SecurityIncident.ReadWrite.All');
			expect(claims(graphToken).roles).toEqual(['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All']);
		});

		it('client certificate and managed identity get MDE tokens too', async () => {
			const cert = cloud.apps.certificate;
			const viaCert = await new ClientCertificateCredential(cloud.tenantId, cert.clientId, { certificate: cert.certificatePem! }, identityOptions()).getToken(`${cloud.mdeEndpoint}/.default`);
			expect(claims(viaCert.token)).toMatchObject({ aud: cloud.mdeEndpoint, appid: cert.clientId });
			process.env.IDENTITY_ENDPOINT = cloud.identityEndpoint;
			process.env.IDENTITY_HEADER = cloud.identityHeader;
			const viaMi = await new ManagedIdentityCredential().getToken(cloud.mdeEndpoint).finally(() => {
				delete process.env.IDENTITY_ENDPOINT;
				delete process.env.IDENTITY_HEADER;
			});
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

		it('finds machines by tag (exact, or starts-with when asked); tag is required', async () => {
			const exact = await mde('GET', '/api/machines/findbytag?tag=LAPTOP');
			expect(exact.body.value.map((m: any) => m.id)).toEqual([machine(0), machine(1), machine(4)]);
			expect((await mde('GET', '/api/machines/findbytag?tag=fin')).body.value).toEqual([]);
			expect((await mde('GET', '/api/machines/findbytag?tag=fin&useStartsWithFilter=true')).body.value.map((m: any) => m.id)).toEqual([machine(0)]);
			expectError(await mde('GET', '/api/machines/findbytag'), 400, 'MissingRequiredParameter', /tag/);
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

	describe('machine actions', () => {
		beforeEach(() => {
			cloud.mde.actions.setTiming({ pendingMs: 1000, inProgressMs: 4000 });
			// Whatever an earlier test left running ends now.
			cloud.mde.advanceTime(3600000);
		});

		it.each([
			['isolate', { Comment: 'ransomware alert 1234', IsolationType: 'Selective' }, 'Isolate', 'Selective'],
			['isolate', { Comment: 'default type' }, 'Isolate', 'Full'],
			['unisolate', { Comment: 'clean again' }, 'Unisolate', null],
			['runAntiVirusScan', { Comment: 'scan', ScanType: 'Full' }, 'RunAntiVirusScan', 'Full'],
			['collectInvestigationPackage', { Comment: 'evidence' }, 'CollectInvestigationPackage', null],
			['restrictCodeExecution', { Comment: 'restrict' }, 'RestrictCodeExecution', null],
			['unrestrictCodeExecution', { Comment: 'unrestrict' }, 'UnrestrictCodeExecution', null],
			['StopAndQuarantineFile', { Comment: 'quarantine', Sha1: SHA1 }, 'StopAndQuarantineFile', null],
		])('POST %s -> 201 MachineAction', async (segment, body, type, scope) => {
			const r = await mde('POST', `/api/machines/${machine(0)}/${segment}`, body);
			expect(r.status).toBe(201);
			expect(r.body).toMatchObject({ type, scope, status: 'Pending', machineId: machine(0), computerDnsName: 'ws-finance-01.simcontoso.com', requestorComment: (body as any).Comment, requestor: cloud.apps.secret.clientId });
			expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
			if (type === 'StopAndQuarantineFile') expect(r.body.relatedFileInfo).toEqual({ fileIdentifier: SHA1, fileIdentifierType: 'Sha1' });
			const logged = cloud.requests.filter((x) => x.server === 'mde');
			expect(logged.map((x) => `${x.method} ${x.path} ${x.status}`)).toEqual([`POST /api/machines/${machine(0)}/${segment} 201`]);
		});

		it.each([
			['isolate', { comment: 'lower-case name' }, 'MissingRequiredParameter', /Comment/],
			['isolate', { Comment: '' }, 'MissingRequiredParameter', /Comment/],
			['isolate', { Comment: 'x', IsolationType: 'Partial' }, 'InvalidInput', /IsolationType.*Full, Selective, UnManagedDevice/],
			['runAntiVirusScan', { Comment: 'x' }, 'MissingRequiredParameter', /ScanType/],
			['runAntiVirusScan', { Comment: 'x', ScanType: 'Deep' }, 'InvalidInput', /ScanType/],
			['StopAndQuarantineFile', { Comment: 'x' }, 'MissingRequiredParameter', /Sha1/],
			['StopAndQuarantineFile', { Comment: 'x', Sha1: SHA256 }, 'InvalidHashValue', /is invalid/],
			['unisolate', 'not json', 'InvalidRequestBody', /incorrect/],
		])('POST %s %j -> 400 %s', async (segment, body, code, message) => {
			expectError(await mde('POST', `/api/machines/${machine(1)}/${segment}`, body), 400, code as string, message as RegExp);
			expect(cloud.mde.actions.list().filter((a) => a.machineId === machine(1) && a.status === 'Pending')).toHaveLength(0);
		});

		it('refuses Selective isolation on a non-Windows machine and an unknown machine', async () => {
			expectError(await mde('POST', `/api/machines/${machine(3)}/isolate`, { Comment: 'x', IsolationType: 'Selective' }), 400, 'OsPlatformNotSupported', /Linux/);
			expectError(await mde('POST', '/api/machines/ffffffffffffffffffffffffffffffffffffffff/isolate', { Comment: 'x' }), 404, 'ResourceNotFound');
		});

		it('moves Pending -> InProgress -> Succeeded on the MDE clock', async () => {
			const created = (await mde('POST', `/api/machines/${machine(2)}/runAntiVirusScan`, { Comment: 'scan', ScanType: 'Quick' })).body;
			const status = async () => (await mde('GET', `/api/machineactions/${created.id}`)).body;
			expect((await status()).status).toBe('Pending');
			cloud.mde.advanceTime(1000);
			const running = await status();
			expect(running.status).toBe('InProgress');
			expect(running.lastUpdateDateTimeUtc > created.lastUpdateDateTimeUtc).toBe(true);
			cloud.mde.advanceTime(4000);
			expect(await status()).toMatchObject({ status: 'Succeeded', errorHResult: 0 });
		});

		it.each(['Failed', 'TimeOut'] as const)('ends %s when the test asks', async (outcome) => {
			cloud.mde.actions.setOutcome({ outcome, type: 'Isolate', machineId: machine(1) });
			const created = (await mde('POST', `/api/machines/${machine(1)}/isolate`, { Comment: 'x' })).body;
			cloud.mde.advanceTime(5000);
			expect((await mde('GET', `/api/machineactions/${created.id}`)).body.status).toBe(outcome);
			// The rule was used once: the next isolation succeeds.
			const next = (await mde('POST', `/api/machines/${machine(1)}/isolate`, { Comment: 'x' })).body;
			cloud.mde.advanceTime(5000);
			expect((await mde('GET', `/api/machineactions/${next.id}`)).body.status).toBe('Succeeded');
		});

		it('refuses the same action while one is pending or in progress ("Action is already in progress"), not another type', async () => {
			const first = await mde('POST', `/api/machines/${machine(0)}/restrictCodeExecution`, { Comment: 'one' });
			expect(first.status).toBe(201);
			expectError(await mde('POST', `/api/machines/${machine(0)}/restrictCodeExecution`, { Comment: 'two' }), 400, 'ActiveRequestAlreadyExists', /^Action is already in progress$/);
			cloud.mde.advanceTime(1500);
			expectError(await mde('POST', `/api/machines/${machine(0)}/restrictCodeExecution`, { Comment: 'three' }), 400, 'ActiveRequestAlreadyExists');
			expect((await mde('POST', `/api/machines/${machine(0)}/collectInvestigationPackage`, { Comment: 'other type' })).status).toBe(201);
			expect((await mde('POST', `/api/machines/${machine(1)}/restrictCodeExecution`, { Comment: 'other machine' })).status).toBe(201);
			cloud.mde.advanceTime(5000);
			expect((await mde('POST', `/api/machines/${machine(0)}/restrictCodeExecution`, { Comment: 'after' })).status).toBe(201);
			// The pending action can be found with the documented filter.
			const pending = await mde('GET', `/api/machineactions?$filter=${encodeURIComponent(`machineId eq '${machine(0)}' and type eq 'RestrictCodeExecution' and status eq 'Pending'`)}`);
			expect(pending.body.value).toHaveLength(1);
			expect(pending.body.value[0].requestorComment).toBe('after');
		});

		it('lists actions newest first with the documented $filter; get 404 for an unknown id', async () => {
			const a = (await mde('POST', `/api/machines/${machine(4)}/unisolate`, { Comment: 'a' })).body;
			const list = await mde('GET', `/api/machineactions?$filter=${encodeURIComponent(`machineId eq '${machine(4)}'`)}`);
			expect(list.body['@odata.context']).toBe(`${cloud.mdeEndpoint}/api/$metadata#MachineActions`);
			expect(list.body.value[0].id).toBe(a.id);
			expectError(await mde('GET', `/api/machineactions?$filter=${encodeURIComponent("requestorComment eq 'a'")}`), 400, 'ODataError');
			expectError(await mde('GET', '/api/machineactions/00000000-0000-0000-0000-000000000000'), 404, 'ResourceNotFound');
		});

		it('cancels a pending action (Comment required); a finished one cannot be cancelled', async () => {
			const a = (await mde('POST', `/api/machines/${machine(3)}/runAntiVirusScan`, { Comment: 'x', ScanType: 'Quick' })).body;
			expectError(await mde('POST', `/api/machineactions/${a.id}/cancel`, {}), 400, 'MissingRequiredParameter', /Comment/);
			const cancelled = await mde('POST', `/api/machineactions/${a.id}/cancel`, { Comment: 'mistake' });
			expect(cancelled.status).toBe(200);
			expect(cancelled.body).toMatchObject({ status: 'Cancelled', cancellationComment: 'mistake', cancellationRequestor: cloud.apps.secret.clientId });
			cloud.mde.advanceTime(10000);
			expect((await mde('GET', `/api/machineactions/${a.id}`)).body.status).toBe('Cancelled');
			expectError(await mde('POST', `/api/machineactions/${a.id}/cancel`, { Comment: 'again' }), 400, 'BadRequest', /Cancelled/);
		});

		it('GetPackageUri: 404 until the collection succeeded, then a short-lived link that downloads; 2 calls a minute', async () => {
			cloud.mde.setRateLimit(null, [{ requests: 2, windowMs: 60000 }]);
			const a = (await mde('POST', `/api/machines/${machine(2)}/collectInvestigationPackage`, { Comment: 'evidence' })).body;
			expectError(await mde('GET', `/api/machineactions/${a.id}/GetPackageUri`), 404, 'ResourceNotFound');
			cloud.mde.advanceTime(5000);
			const link = await mde('GET', `/api/machineactions/${a.id}/GetPackageUri`);
			expect(link.status).toBe(200);
			expect(link.body.value).toMatch(new RegExp(`^${cloud.mdeEndpoint}/packages/${a.id}\\.zip\\?se=\\d+&sig=[0-9a-f]{64}$`));
			const download = await fetch(link.body.value);
			expect(download.status).toBe(200);
			expect((await fetch(link.body.value.replace(/sig=[0-9a-f]+/, `sig=${'x'.repeat(64)}`))).status).toBe(403);
			const third = await mde('GET', `/api/machineactions/${a.id}/GetPackageUri`);
			expectError(third, 429, 'TooManyRequests');
			expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			// Other endpoints keep their own budget.
			expect((await mde('GET', `/api/machineactions/${a.id}`)).status).toBe(200);
		});
	});

	describe('indicators', () => {
		const base = { title: 'C2 of incident 42', description: 'seen in alert da637', action: 'Block', severity: 'High' };

		it.each([
			['FileSha1', SHA1],
			['FileSha256', SHA256],
			['FileMd5', MD5],
			['CertificateThumbprint', '1f0b2bd2b8b8e6b6c7e4c0e3d1a8b8f6b6c7e4c0'],
			['IpAddress', '203.0.113.7'],
			['IpAddress', '2001:db8::7'],
			['DomainName', 'c2.example.net'],
			['Url', 'https://c2.example.net/beacon'],
		])('submits %s %s -> 200 entity', async (indicatorType, indicatorValue) => {
			const r = await mde('POST', '/api/indicators', { ...base, indicatorType, indicatorValue });
			expect(r.status).toBe(200);
			expect(r.body).toMatchObject({ indicatorType, indicatorValue, action: 'Block', sourceType: 'AadApp', createdBy: cloud.apps.secret.clientId, generateAlert: false });
		});

		it.each([
			[{ indicatorType: 'IpAddress', indicatorValue: '10.0.0.0/8' }, 'InvalidIpAddress'],
			[{ indicatorType: 'IpAddress', indicatorValue: '300.1.1.1' }, 'InvalidIpAddress'],
			[{ indicatorType: 'FileSha1', indicatorValue: SHA256 }, 'InvalidHashValue'],
			[{ indicatorType: 'FileSha256', indicatorValue: 'zz' }, 'InvalidHashValue'],
			[{ indicatorType: 'FileMd5', indicatorValue: SHA1 }, 'InvalidHashValue'],
			[{ indicatorType: 'DomainName', indicatorValue: 'not a domain' }, 'InvalidDomainName'],
			[{ indicatorType: 'Url', indicatorValue: 'ftp://x y' }, 'InvalidUrl'],
			[{ indicatorType: 'Registry', indicatorValue: 'x' }, 'InvalidInput'],
			[{ indicatorType: 'DomainName', indicatorValue: 'a.example.com', action: 'Alert' }, 'InvalidInput'],
			[{ indicatorType: 'DomainName', indicatorValue: 'a.example.com', action: 'AlertAndBlock' }, 'InvalidInput'],
			[{ indicatorType: 'DomainName', indicatorValue: 'a.example.com', action: 'Audit' }, 'InvalidInput'],
			[{ indicatorType: 'DomainName', indicatorValue: 'a.example.com', severity: 'Critical' }, 'InvalidInput'],
			[{ indicatorType: 'DomainName', indicatorValue: 'a.example.com', title: undefined }, 'MissingRequiredParameter'],
			[{ indicatorType: 'DomainName', indicatorValue: 'a.example.com', description: '' }, 'MissingRequiredParameter'],
			[{ IndicatorType: 'DomainName', indicatorValue: 'a.example.com' }, 'MissingRequiredParameter'],
		])('refuses %j with %s', async (fields, code) => {
			const before = cloud.mde.indicators.items.length;
			expectError(await mde('POST', '/api/indicators', { ...base, ...fields }), 400, code as string);
			expect(cloud.mde.indicators.items.length).toBe(before);
		});

		it('Audit with generateAlert true is accepted; Warn is accepted (the docs list it, for Defender for Cloud Apps)', async () => {
			expect((await mde('POST', '/api/indicators', { ...base, indicatorType: 'DomainName', indicatorValue: 'audit.example.com', action: 'Audit', generateAlert: true })).body).toMatchObject({ action: 'Audit', generateAlert: true });
			expect((await mde('POST', '/api/indicators', { ...base, indicatorType: 'Url', indicatorValue: 'https://warn.example.com/', action: 'Warn' })).status).toBe(200);
		});

		it('a second submit with the same value and type updates that indicator (application only on create)', async () => {
			const first = (await mde('POST', '/api/indicators', { ...base, indicatorType: 'DomainName', indicatorValue: 'update.example.com', application: 'first' })).body;
			const second = await mde('POST', '/api/indicators', { ...base, indicatorType: 'DomainName', indicatorValue: 'UPDATE.example.com', action: 'Allowed', title: 'benign', application: 'second' });
			expect(second.body).toMatchObject({ id: first.id, action: 'Allowed', title: 'benign', application: 'first', lastUpdatedBy: cloud.apps.secret.clientId });
			expect(cloud.mde.indicators.items.filter((i) => i.indicatorValue.toLowerCase() === 'update.example.com')).toHaveLength(1);
			const otherType = await mde('POST', '/api/indicators', { ...base, indicatorType: 'Url', indicatorValue: 'update.example.com' });
			expect(otherType.body.id).not.toBe(first.id);
		});

		it('lists with $filter; an app without Ti.ReadWrite.All sees only its own', async () => {
			cloud.mde.addIndicator({ ...base, indicatorType: 'FileSha1', indicatorValue: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
			const all = await mde('GET', `/api/indicators?$filter=${encodeURIComponent("indicatorType eq 'FileSha1'")}`);
			expect(all.body.value.map((i: any) => i.indicatorValue)).toEqual(expect.arrayContaining([SHA1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']));
			expect(all.body.value.every((i: any) => i.indicatorType === 'FileSha1')).toBe(true);
			const limited = cloud.registerApp({ roles: ['Ti.ReadWrite'], secret: true });
			const token = await appToken(limited.clientId, limited.clientSecret!);
			expect((await mde('POST', '/api/indicators', { ...base, indicatorType: 'DomainName', indicatorValue: 'own.example.com' }, token)).status).toBe(200);
			const own = await mde('GET', '/api/indicators', undefined, token);
			expect(own.body.value.map((i: any) => i.indicatorValue)).toEqual(['own.example.com']);
			expectError(await mde('GET', `/api/indicators?$filter=${encodeURIComponent("action eq 'Deny'")}`), 400, 'ODataError');
		});

		it('filters on generateAlert (a boolean: true / false literals only)', async () => {
			const audit = cloud.mde.addIndicator({ ...base, indicatorType: 'DomainName', indicatorValue: 'audit.example.com', action: 'Audit', generateAlert: true });
			const alerting = await mde('GET', `/api/indicators?$filter=${encodeURIComponent('generateAlert eq true')}`);
			expect(alerting.status).toBe(200);
			expect(alerting.body.value.map((i: any) => i.id)).toContain(audit.id);
			expect(alerting.body.value.every((i: any) => i.generateAlert === true)).toBe(true);
			const quiet = await mde('GET', `/api/indicators?$filter=${encodeURIComponent('generateAlert eq false')}`);
			expect(quiet.body.value.length).toBeGreaterThan(0);
			expect(quiet.body.value.every((i: any) => i.generateAlert === false)).toBe(true);
			expectError(await mde('GET', `/api/indicators?$filter=${encodeURIComponent("generateAlert eq 'true'")}`), 400, 'ODataError', /Edm\.Boolean/);
		});

		it('deletes: 204, then 404; a delegated token is refused (application permissions only)', async () => {
			const made = cloud.mde.addIndicator({ ...base, indicatorType: 'DomainName', indicatorValue: 'delete.example.com' });
			const r = await mde('DELETE', `/api/indicators/${made.id}`);
			expect(r.status).toBe(204);
			expectError(await mde('DELETE', `/api/indicators/${made.id}`), 404, 'ResourceNotFound');
			const delegated = await userMdeToken();
			const again = cloud.mde.addIndicator({ ...base, indicatorType: 'DomainName', indicatorValue: 'delete2.example.com' });
			expectError(await mde('DELETE', `/api/indicators/${again.id}`, undefined, delegated), 403, 'Forbidden', /application permission/);
			expect((await mde('GET', '/api/indicators', undefined, delegated)).status).toBe(200);
		});
	});

	describe('rate limit, faults, log and controls', () => {
		it('answers 429 with Retry-After above the limit; refused calls do not count', async () => {
			cloud.mde.setRateLimit([{ requests: 3, windowMs: 60000 }, { requests: 5, windowMs: 3600000 }]);
			const statuses = [];
			for (let k = 0; k < 5; k++) statuses.push((await mde('GET', `/api/machines/${machine()}`)).status);
			expect(statuses).toEqual([200, 200, 200, 429, 429]);
			const refused = await mde('GET', `/api/machines/${machine()}`);
			expectError(refused, 429, 'TooManyRequests');
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
			cloud.mde.setRateLimit([{ requests: 3, windowMs: 200 }]);
			expect((await mde('GET', `/api/machines/${machine()}`)).status).toBe(200);
		});

		it('the limit is per API, as each API page states it ("Rate limitations for this API"): another API has its own budget', async () => {
			cloud.mde.setRateLimit([{ requests: 2, windowMs: 60000 }]);
			const statuses = async (path: string) => {
				const out = [];
				for (let k = 0; k < 3; k++) out.push((await mde('GET', path)).status);
				return out;
			};
			expect(await statuses(`/api/machines/${machine()}`)).toEqual([200, 200, 429]);
			// another machine's id is the same API
			expect((await mde('GET', `/api/machines/${SEED_MACHINE_IDS[1]}`)).status).toBe(429);
			expect(await statuses('/api/machines')).toEqual([200, 200, 429]);
			expect(await statuses('/api/machineactions')).toEqual([200, 200, 429]);
		});

		it('the limiter: each window counts the calls it allowed, refused calls do not count, the hour window holds after the minute one frees', () => {
			// The sim's own limiter on a fake clock (no waiting): 3 a minute, 5 an hour.
			const { RateLimiter } = require('../../sim/mde/rateLimit') as { RateLimiter: new (w: Array<{ requests: number; windowMs: number }>) => { take(now: number): number } };
			const limiter = new RateLimiter([{ requests: 3, windowMs: 60000 }, { requests: 5, windowMs: 3600000 }]);
			expect([0, 1, 2, 3, 4].map((k) => limiter.take(k * 1000))).toEqual([0, 0, 0, 57, 56]);
			// A minute after the first call one place is free again, although two calls were refused meanwhile.
			expect(limiter.take(60001)).toBe(0);
			expect(limiter.take(61001)).toBe(0);
			// Five calls allowed this hour: the hour window refuses until the first call is an hour old.
			expect(limiter.take(130000)).toBe(3470);
			expect(limiter.take(3600001)).toBe(0);
		});

		it('logs requests as server "mde" and takes faults in Defender\'s error shape', async () => {
			cloud.injectFault({ server: 'mde', path: '/api/machines', status: 503 });
			const r = await mde('GET', '/api/machines');
			expect(r.status).toBe(503);
			expect(r.body.error).toMatchObject({ code: 'InternalServerError', target: expect.any(String) });
			expect((await mde('GET', '/api/machines')).status).toBe(200);
			expect(cloud.counts()).toMatchObject({ mde: 2, graph: 0 });
			expect(cloud.requests.every((x) => x.server === 'mde' && x.path === '/api/machines')).toBe(true);
		});

		it('HTTP controls on the MDE origin: machines, timing, outcome, advance, indicators', async () => {
			const control = async (method: string, path: string, body?: unknown) => {
				const r = await fetch(`${cloud.mdeEndpoint}/_sim/mde/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
				return { status: r.status, body: (await r.json()) as any };
			};
			const added = await control('POST', 'machines', { computerDnsName: 'kiosk-09.simcontoso.com', riskScore: 'Medium' });
			expect(added.status).toBe(201);
			expect(added.body.id).toMatch(/^[0-9a-f]{40}$/);
			expect((await control('POST', 'machines', { riskScore: 'Extreme' })).status).toBe(400);
			expect((await control('POST', 'machine-actions/timing', { pendingMs: 0, inProgressMs: 100 })).body).toEqual({ pendingMs: 0, inProgressMs: 100 });
			expect((await control('POST', 'machine-actions/outcome', { outcome: 'Failed', machineId: added.body.id })).status).toBe(200);
			const action = (await mde('POST', `/api/machines/${added.body.id}/isolate`, { Comment: 'x' })).body;
			await control('POST', 'advance', { ms: 100 });
			expect((await control('GET', 'machine-actions')).body.value.find((a: any) => a.id === action.id).status).toBe('Failed');
			expect((await control('POST', 'indicators', { ...{ title: 't', description: 'd', action: 'Block' }, indicatorType: 'IpAddress', indicatorValue: '198.51.100.9' })).status).toBe(201);
			expect((await control('POST', 'indicators', { title: 't', description: 'd', action: 'Block', indicatorType: 'IpAddress', indicatorValue: '198.51.100.0/24' })).status).toBe(400);
			expect(cloud.requests.filter((x) => x.path.startsWith('/_sim'))).toHaveLength(0);
		});
	});

});
