/*
 * The transport's Defender for Endpoint configuration against the sim's MDE origin: base URL per cloud,
 * $top/$skip paging, next links guarded on the MDE path, emptyOn404, MDE's error shape said once with
 * "Defender for Endpoint", 429 + Retry-After, microsoftErrorOf.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { Microsoft365DefenderClientCredentialsApi } from '../../../credentials/Microsoft365DefenderClientCredentialsApi.credentials';
import { resetTokenCaches as resetTokenCachesForTests } from '../auth/resetTokenCaches';
import {
	mdeApiRequest,
	mdeApiRequestAllItems,
	microsoftErrorOf,
	type RetryPolicy,
	DEFAULT_RETRY_POLICY,
	applyTransportOptions,
} from '../../../nodes/Microsoft365Defender/transport';
import { startSimulatedCloud, type SimApp, type SimCloud } from '../../../sim';
import { CredentialStore, executeNode, type CredentialRef } from '../../harness';

const waits: number[] = [];
const policy: RetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	maxRetries: 3,
	baseDelayMs: 10,
	maxDelayMs: 40,
	maxTotalWaitMs: 10_000,
	sleep: async (ms: number) => {
		waits.push(ms);
	},
};

type Probe = (ctx: IExecuteFunctions) => Promise<unknown>;
let probe: Probe = async () => undefined;

/** A node that runs `probe` with its execute context (the transport's callers are the node's operations). */
class MdeProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MDE Probe',
		name: 'mdeProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls the transport',
		defaults: { name: 'MDE Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'microsoft365DefenderClientCredentialsApi', required: true }],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [{ name: 'Client Credentials', value: 'clientCredentials' }],
				default: 'clientCredentials',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		applyTransportOptions(this, { retryPolicy: policy });
		return [[{ json: { out: (await probe(this)) as IDataObject } }]];
	}
}

let cloud: SimCloud;
let store: CredentialStore;
let app: CredentialRef;
let readOnlyApp: CredentialRef;
let noMdeHost: CredentialRef;

beforeAll(async () => {
	cloud = await startSimulatedCloud({ trustCa: true });
	resetTokenCachesForTests();
	store = new CredentialStore([new Microsoft365DefenderClientCredentialsApi()]);
	const data = (of: SimApp, mdeEndpoint: string) => ({
		cloud: 'custom',
		authorityHost: cloud.authorityHost,
		// until the credential chooses the token by host (MILESTONE mde-tokens), a Graph host equal to the
		// MDE host makes its token one of the MDE audience
		graphEndpoint: cloud.mdeEndpoint,
		mdeEndpoint,
		tenantId: cloud.tenantId,
		clientId: of.clientId,
		authMethod: 'clientSecret',
		clientSecret: of.clientSecret ?? '',
	});
	app = store.add('microsoft365DefenderClientCredentialsApi', data(cloud.apps.secret, cloud.mdeEndpoint));
	readOnlyApp = store.add('microsoft365DefenderClientCredentialsApi', data(cloud.apps.readOnly, cloud.mdeEndpoint));
	noMdeHost = store.add('microsoft365DefenderClientCredentialsApi', data(cloud.apps.secret, ''));
});
afterAll(async () => await cloud.stop());
beforeEach(() => {
	cloud.clearFaults();
	cloud.mde.setRateLimit(null);
	cloud.clearRequests();
	waits.length = 0;
});

async function run(fn: Probe, credential: CredentialRef = app) {
	probe = fn;
	const result = await executeNode(new MdeProbe(), {
		store,
		credentials: { microsoft365DefenderClientCredentialsApi: credential },
		parameters: {},
	});
	return { out: result.items[0]?.json.out as unknown, error: result.error as (Error & { description?: string; httpCode?: string }) | undefined };
}

const mdeRequests = () => cloud.requests.filter((r) => r.server === 'mde');
const queryOf = (i: number) => mdeRequests()[i].query;
const pathAndQuery = () => mdeRequests().map((r) => `${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query).toString().replace(/%24/g, '$')}` : ''}`);

describe('mdeApiRequestAllItems', () => {
	test('pages with $top and $skip while a page comes back full', async () => {
		const total = cloud.mde.machines.length;
		expect(total).toBeGreaterThanOrEqual(5);
		const { out, error } = await run(async (ctx) => await mdeApiRequestAllItems.call(ctx, '/api/machines', {}, { pageSize: 2 }));
		expect(error).toBeUndefined();
		expect((out as IDataObject[]).map((m) => m.id)).toEqual(cloud.mde.machines.map((m) => m.id));
		const pages = Math.floor(total / 2) + 1;
		expect(mdeRequests()).toHaveLength(pages);
		for (let i = 0; i < pages; i++) {
			expect(queryOf(i).$top).toBe('2');
			expect(queryOf(i).$skip).toBe(i === 0 ? undefined : String(2 * i));
		}
	});

	test('with a limit: $top = min(limit, pageSize), the last page asks only what is missing', async () => {
		const { out } = await run(async (ctx) => await mdeApiRequestAllItems.call(ctx, '/api/machines', {}, { pageSize: 2, limit: 3 }));
		expect(out).toHaveLength(3);
		expect(pathAndQuery()).toEqual(['/api/machines?$top=2', '/api/machines?$top=1&$skip=2']);
	});

	test('the default page size is Defender\'s $top maximum, 10,000: one request', async () => {
		const { out } = await run(async (ctx) => await mdeApiRequestAllItems.call(ctx, '/api/machines', { $filter: "osPlatform eq 'Windows11'" }));
		expect((out as IDataObject[]).length).toBeGreaterThan(0);
		expect(mdeRequests()).toHaveLength(1);
		expect(queryOf(0).$top).toBe('10000');
		expect(queryOf(0).$filter).toBe("osPlatform eq 'Windows11'");
	});

	test('emptyOn404: "no machines" (404) is an empty list; without it, the 404 is an error', async () => {
		const saved = cloud.mde.machines.map((m) => ({ ...m }));
		cloud.mde.clearMachines();
		try {
			const empty = await run(async (ctx) => await mdeApiRequestAllItems.call(ctx, '/api/machines', {}, { emptyOn404: true }));
			expect(empty.error).toBeUndefined();
			expect(empty.out).toEqual([]);
			const failed = await run(async (ctx) => await mdeApiRequestAllItems.call(ctx, '/api/machines'));
			expect(failed.error?.message).toBe('No machines found (HTTP 404, ResourceNotFound)');
		} finally {
			for (const m of saved) cloud.mde.addMachine(m);
		}
	});

	test('a next link Defender sends is followed on exactly the listed path, not elsewhere on its host', async () => {
		// $skip=3, not the 2 that $skip paging would ask: the link is what was followed
		const next = `${cloud.mdeEndpoint}/api/machines?$top=2&$skip=3`;
		cloud.injectFault({ server: 'mde', path: /^\/api\/machines\?\$top=2$/, status: 200, body: { value: [{ id: 'a' }, { id: 'b' }], '@odata.nextLink': next } });
		const { out } = await run(async (ctx) => await mdeApiRequestAllItems.call(ctx, '/api/machines', {}, { pageSize: 2, limit: 3 }));
		expect((out as IDataObject[]).map((m) => m.id)).toEqual(['a', 'b', cloud.mde.machines[3].id]);
		expect(pathAndQuery()).toEqual(['/api/machines?$top=2', '/api/machines?$top=1&$skip=3']);

		cloud.clearRequests();
		cloud.injectFault({ server: 'mde', path: /^\/api\/machines\?\$top=2$/, status: 200, body: { value: [{ id: 'a' }, { id: 'b' }], '@odata.nextLink': `${cloud.mdeEndpoint}/api/indicators?$top=2` } });
		const refused = await run(async (ctx) => await mdeApiRequestAllItems.call(ctx, '/api/machines', {}, { pageSize: 2 }));
		expect(refused.error?.message).toBe(
			`Defender for Endpoint returned a next-page link to ${cloud.mdeEndpoint}/api/indicators, which is not ${cloud.mdeEndpoint}/api/machines; it was not followed, so the access token is not sent elsewhere`,
		);
		expect(mdeRequests()).toHaveLength(1);
	});
});

describe('mdeApiRequest', () => {
	test('GET one machine by id on <mde host> (no version segment)', async () => {
		const machine = cloud.mde.machines[0];
		const { out } = await run(async (ctx) => await mdeApiRequest.call(ctx, 'GET', `/api/machines/${machine.id}`));
		expect((out as IDataObject).computerDnsName).toBe(machine.computerDnsName);
		expect(mdeRequests().map((r) => r.path)).toEqual([`/api/machines/${machine.id}`]);
	});

	test('404: the operation\'s headline, Defender\'s code; microsoftErrorOf gives status, code, message, target', async () => {
		let caught: unknown;
		const { error } = await run(async (ctx) => {
			try {
				return await mdeApiRequest.call(ctx, 'GET', '/api/machines/nope', { hints: { notFound: 'Device nope not found' } });
			} catch (e) {
				caught = e;
				throw e;
			}
		});
		expect(error?.message).toBe('Device nope not found (HTTP 404, ResourceNotFound)');
		expect(error?.description).toMatch(/^target \S+$/);
		expect(microsoftErrorOf(caught)).toEqual({
			status: 404,
			code: 'ResourceNotFound',
			message: 'Machine nope was not found',
			target: expect.any(String),
		});
		expect(microsoftErrorOf(new Error('other'))).toBeUndefined();
	});

	test('403: Defender\'s message once, the permission the operation names, "Defender for Endpoint" not "Microsoft Graph"', async () => {
		const machine = cloud.mde.machines[0];
		const { error } = await run(
			async (ctx) =>
				await mdeApiRequest.call(ctx, 'POST', `/api/machines/${machine.id}/isolate`, {
					body: { Comment: 'test', IsolationType: 'Full' },
					hints: { permission: 'Machine.Isolate (application and delegated)' },
				}),
			readOnlyApp,
		);
		expect(error?.message).toMatch(/^The application does not have any of the required application roles \(.*Machine\.Isolate.*\) to access the resource\. \(HTTP 403, Forbidden\)$/);
		expect(error?.description).toMatch(
			/^Missing permission\? This needs the Defender for Endpoint permission Machine\.Isolate \(application and delegated\) of the WindowsDefenderATP API .*; target \S+$/,
		);
		expect(`${error?.message} ${error?.description}`).not.toContain('Microsoft Graph');
		expect(cloud.mde.actions.list().filter((a) => a.machineId === machine.id)).toHaveLength(0);
	});

	test('429 with Retry-After is waited out, for a POST too (Defender did not process it)', async () => {
		const machine = cloud.mde.machines[1];
		cloud.injectFault({ server: 'mde', method: 'POST', status: 429, retryAfter: 4, times: 1, body: { error: { code: 'TooManyRequests', message: 'Too many requests' } } });
		const { out, error } = await run(
			async (ctx) =>
				await mdeApiRequest.call(ctx, 'POST', `/api/machines/${machine.id}/runAntiVirusScan`, { body: { Comment: 'scan', ScanType: 'Quick' } }),
		);
		expect(error).toBeUndefined();
		expect((out as IDataObject).type).toBe('RunAntiVirusScan');
		expect(waits).toEqual([4000]);
		expect(mdeRequests().map((r) => r.status)).toEqual([429, 201]);
	});

	test('the sim\'s own rate limit (Defender\'s 429 + Retry-After) gives up saying "Defender for Endpoint throttled"', async () => {
		cloud.mde.setRateLimit([{ requests: 1, windowMs: 60_000 }]);
		const { error } = await run(async (ctx) => {
			await mdeApiRequest.call(ctx, 'GET', '/api/machines/nope-1', { hints: { notFound: 'x' } }).catch(() => undefined);
			return await mdeApiRequest.call(ctx, 'GET', `/api/machines/${cloud.mde.machines[0].id}`);
		});
		expect(error?.message).toMatch(/^Defender for Endpoint throttled the request and it still failed after \d+ retr(y|ies) and [\d.]+ s of waiting.* \(HTTP 429/);
		expect(mdeRequests().every((r) => r.status === 404 || r.status === 429)).toBe(true);
	});

	test('a custom cloud without a Defender for Endpoint URL: an error naming mdeEndpoint, nothing sent', async () => {
		const { error } = await run(async (ctx) => await mdeApiRequest.call(ctx, 'GET', '/api/machines'), noMdeHost);
		expect(error?.message).toMatch(/^Credential field "mdeEndpoint": is empty; this custom cloud has no Defender for Endpoint API URL/);
		expect(mdeRequests()).toHaveLength(0);
	});
});
