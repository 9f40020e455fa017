import { searchList, testCredential } from '../../harness';
import { nodeType, resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	bed = await startTestBed({ pageSize: 50, incidents: 60 });
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const search = async (filter?: string, paginationToken?: string) =>
	await searchList(nodeType, 'searchIncidents', {
		store: bed.store,
		credentials: { microsoft365DefenderClientCredentialsApi: bed.app },
		parameters: { resource: 'incident', operation: 'get' },
		path: 'parameters.incidentId',
		filter,
		paginationToken,
	});

describe('Incident resource locator: searchIncidents', () => {
	test('newest first, "#<id> <name> (<severity>, <status>)", portal url; pages through Graph\'s nextLink', async () => {
		const first = await search();
		const newest = bed.cloud.incidents;
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({
			name: `#${newest[0].id as string} ${newest[0].displayName as string} (${newest[0].severity as string}, ${newest[0].status as string})`,
			value: newest[0].id,
			url: newest[0].incidentWebUrl,
		});
		expect(first.results.map((r) => r.value)).toEqual(newest.slice(0, 50).map((i) => i.id));
		expect(bed.graphRequests()[0].query).toEqual({ $top: '50' });
		expect(first.paginationToken).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/security\/incidents\?/);

		const second = await search(undefined, first.paginationToken as string);
		expect(second.results.map((r) => r.value)).toEqual(newest.slice(50).map((i) => i.id));
		expect(second.paginationToken).toBeUndefined();
		expect(bed.graphRequests()[1].query.$skip).toBe('50');
	});

	test('the filter matches text in the name, case-insensitively', async () => {
		const word = 'powershell';
		const out = await search('PowerShell');
		const expected = bed.cloud.incidents
			.slice(0, 50)
			.filter((i) => (i.displayName as string).toLowerCase().includes(word));
		expect(expected.length).toBeGreaterThan(0);
		expect(out.results.map((r) => r.value)).toEqual(expected.map((i) => i.id));
	});

	test('a numeric filter also finds an older incident by its id, with a direct GET', async () => {
		const oldest = bed.cloud.incidents.at(-1)!;
		const out = await search(`#${oldest.id as string}`);
		expect(out.results[0].value).toBe(oldest.id);
		expect(bed.graphRequests().map((r) => r.path)).toEqual([
			'/v1.0/security/incidents',
			`/v1.0/security/incidents/${oldest.id as string}`,
		]);
	});

	test('a pagination token pointing to another host is refused', async () => {
		await expect(search(undefined, `${bed.cloud.authorityHost}/v1.0/security/incidents?$skip=50`)).rejects.toThrow(
			/page token is not a next-page link of/,
		);
		expect(bed.cloud.requests).toHaveLength(0);
	});
});

describe('credential test wired through the node (testedBy)', () => {
	test('a working app passes; a wrong secret fails with Entra\'s error, no secret in it', async () => {
		const good = await testCredential(nodeType, 'microsoft365DefenderClientCredentialsApi', { store: bed.store, ref: bed.app });
		expect(good.status).toBe('OK');
		const data = { ...bed.store.get(bed.app.id), clientSecret: 'wrong-secret-value-123' };
		const bad = await testCredential(nodeType, 'microsoft365DefenderClientCredentialsApi', { store: bed.store, data });
		expect(bad.status).toBe('Error');
		expect(bad.message).toContain('AADSTS7000215');
		expect(bad.message).not.toContain('wrong-secret-value-123');
	});
});

describe('paginationToken comes from the browser (issue 11 item 8)', () => {
	const graphOrigin = () => new URL(bed.cloud.graphEndpoint).origin;
	test.each([
		['a relative path up the tree', () => '/../../users'],
		['dot segments out of the incident', () => '/security/incidents/1001/../../../me/messages'],
		['another Graph path on the same host', () => `${graphOrigin()}/v1.0/users?$top=5`],
		['dot segments in an absolute link', () => `${graphOrigin()}/v1.0/security/incidents/../../me/messages?$skip=50`],
		['escaped dot segments', () => `${graphOrigin()}/v1.0/security/incidents/%2e%2e/%2e%2e/me?$skip=50`],
		['a single incident instead of the list', () => `${graphOrigin()}/v1.0/security/incidents/1001`],
		['another origin', () => 'https://attacker.example/v1.0/security/incidents?$skip=50'],
		['a query that picks other objects', () => `${graphOrigin()}/v1.0/security/incidents?$expand=alerts&$skip=50`],
	])('%s: refused, no Graph request', async (_label, token) => {
		await expect(search(undefined, token())).rejects.toThrow(/page token is not a next-page link of https:\/\/127\.0\.0\.1:\d+\/v1\.0\/security\/incidents/);
		expect(bed.graphRequests()).toHaveLength(0);
	});
});
