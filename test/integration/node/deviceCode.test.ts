import { resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	// access tokens that live less than the transport's 5-minute refresh margin
	bed = await startTestBed({ deviceCodeIntervalSec: 0, accessTokenLifetimeSec: 120 });
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const tokenGrants = () =>
	bed.cloud.requests
		.filter((r) => r.server === 'login' && r.path.endsWith('/oauth2/v2.0/token'))
		.map((r) => new URLSearchParams(r.body).get('grant_type'));

test('device code: sign-in message, then requests; a token near expiry is refreshed once per run and persisted', async () => {
	const ref = bed.store.add('microsoft365DefenderDeviceCodeApi', {
		cloud: 'custom',
		authorityHost: bed.cloud.authorityHost,
		graphEndpoint: bed.cloud.graphEndpoint,
		tenantId: bed.cloud.tenantId,
		clientId: bed.cloud.publicClientId,
	});
	const [a, b, c] = bed.cloud.incidents;
	const run = async (ids: string[]) =>
		await bed.run(
			{
				authentication: 'deviceCode',
				resource: 'incident',
				operation: 'get',
				incidentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			{
				credentials: { microsoft365DefenderDeviceCodeApi: ref },
				items: ids.map((id) => ({ json: { id } })),
			},
		);

	// 1. not signed in: the sign-in instructions, as a NodeOperationError; nothing sent to Graph
	const first = await run([a.id]);
	expect(first.error?.constructor.name).toBe('NodeOperationError');
	expect(first.error?.message).toMatch(/^To sign in, open https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [A-Z]{4}-[A-Z]{4}/);
	expect(bed.graphRequests()).toHaveLength(0);

	// 2. the user approves; the next run completes the sign-in and reads the incident
	bed.cloud.approveDeviceCode();
	const second = await run([a.id]);
	expect(second.error).toBeUndefined();
	expect(second.items[0].json.id).toBe(a.id);

	// 3. the stored token expires within 5 minutes: refreshed before the first request, once for 3 items
	resetTestBed(bed);
	bed.cloud.setAccessTokenLifetime(3600);
	const updatesBefore = bed.store.updates.length;
	const third = await run([a.id, b.id, c.id]);
	expect(third.error).toBeUndefined();
	expect(third.items.map((item) => item.json.id)).toEqual([a.id, b.id, c.id]);
	expect(tokenGrants()).toEqual(['refresh_token']);
	expect(bed.graphRequests().map((r) => r.status)).toEqual([200, 200, 200]);
	const persisted = bed.store.updates.slice(updatesBefore);
	expect(persisted).toHaveLength(1);
	expect(persisted[0].keys).toEqual(expect.arrayContaining(['tokenCache', 'session']));

	// 4. now the stored token is good for an hour: no token request at all
	resetTestBed(bed);
	const fourth = await run([b.id]);
	expect(fourth.error).toBeUndefined();
	expect(tokenGrants()).toEqual([]);
});

test('Device Code Sign-In resource through the node: runs once per execution, then incidents can be read', async () => {
	const ref = bed.store.add('microsoft365DefenderDeviceCodeApi', {
		cloud: 'custom',
		authorityHost: bed.cloud.authorityHost,
		graphEndpoint: bed.cloud.graphEndpoint,
		tenantId: bed.cloud.tenantId,
		clientId: bed.cloud.publicClientId,
	});
	const options = { credentials: { microsoft365DefenderDeviceCodeApi: ref } };
	const signIn = async (operation: string) =>
		await bed.run(
			{ authentication: 'deviceCode', resource: 'deviceSignIn', operation },
			{ ...options, items: [{ json: {} }, { json: {} }] },
		);

	const started = await signIn('start');
	expect(started.error).toBeUndefined();
	expect(started.items).toHaveLength(1);
	expect(started.items[0].pairedItem).toEqual({ item: 0 });
	expect(started.items[0].json.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
	expect(bed.cloud.counts().deviceCode).toBe(1);

	bed.cloud.approveDeviceCode(started.items[0].json.userCode as string);
	const completed = await signIn('complete');
	expect(completed.error).toBeUndefined();
	expect(completed.items[0].json).toMatchObject({ signedIn: true, account: bed.cloud.user.userPrincipalName });

	resetTestBed(bed);
	// resource defaults to incident with device code too
	const incident = bed.cloud.incidents[0];
	const out = await bed.run(
		{ authentication: 'deviceCode', operation: 'get', incidentId: { __rl: true, mode: 'id', value: incident.id } },
		options,
	);
	expect(out.error).toBeUndefined();
	expect(out.items[0].json.id).toBe(incident.id);
	expect(bed.graphRequests()).toHaveLength(1);
});
