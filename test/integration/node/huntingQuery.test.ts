import { resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	bed = await startTestBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

describe('Hunting Query → Run', () => {
	test('KQL and timespan are sent as query/timespan (the $metadata names); one item per row', async () => {
		const query = 'DeviceProcessEvents | where FileName == "powershell.exe" | project DeviceName, FileName | take 4';
		const out = await bed.run({ resource: 'huntingQuery', operation: 'run', query, options: { timespan: 'P30D' } });
		expect(out.error).toBeUndefined();
		const sent = bed.graphRequests();
		expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/security/runHuntingQuery']);
		expect(JSON.parse(sent[0].body)).toEqual({ query, timespan: 'P30D' });
		expect(out.items.length).toBeGreaterThan(0);
		expect(out.items.length).toBeLessThanOrEqual(4);
		for (const item of out.items) {
			expect(Object.keys(item.json).sort()).toEqual(['DeviceName', 'FileName']);
			expect(item.json.FileName).toBe('powershell.exe');
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	test('per item: the query comes from each item, rows are paired with their item', async () => {
		const out = await bed.run(
			{ resource: 'huntingQuery', operation: 'run', query: '={{ $json.kql }}' },
			{
				items: [
					{ json: { kql: 'AlertInfo | take 2' } },
					{ json: { kql: 'EmailEvents | take 3' } },
				],
			},
		);
		expect(out.error).toBeUndefined();
		expect(out.items.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 1 },
		]);
		expect(bed.graphRequests().map((r) => JSON.parse(r.body))).toEqual([
			{ query: 'AlertInfo | take 2' },
			{ query: 'EmailEvents | take 3' },
		]);
	});

	test.each([
		['NoSuchTable | take 1', "Semantic error: Failed to resolve table or column expression named 'NoSuchTable'"],
		['DeviceProcessEvents | where NoSuchColumn == 1', "Failed to resolve scalar expression named 'NoSuchColumn'"],
		['DeviceProcessEvents | where (', 'Syntax error: Query could not be parsed'],
	])("Graph's KQL error reaches the user verbatim (%s)", async (query, graphText) => {
		const out = await bed.run({ resource: 'huntingQuery', operation: 'run', query });
		expect(out.error?.constructor.name).toBe('NodeApiError');
		expect(out.error?.message).toContain(graphText);
		expect(out.error?.message).toMatch(/\(HTTP 400, BadRequest\)$/);
		expect(bed.graphRequests()).toHaveLength(1);
	});

	test('a quota error from Graph is shown as Graph wrote it', async () => {
		const quota =
			'Query execution has exceeded the allowed limits. The query has used too many resources. Try optimizing the query.';
		bed.cloud.injectFault({
			server: 'graph',
			path: '/v1.0/security/runHuntingQuery',
			status: 400,
			body: { error: { code: 'BadRequest', message: quota } },
		});
		const out = await bed.run({ resource: 'huntingQuery', operation: 'run', query: 'AlertInfo' });
		expect(out.error?.message).toBe(`${quota} (HTTP 400, BadRequest)`);
	});

	test('bad input before any request: empty query, object query, non-ISO timespan', async () => {
		const empty = await bed.run({ resource: 'huntingQuery', operation: 'run', query: '   ' });
		expect(empty.error?.message).toBe('"Query" is empty; enter a value');
		const object = await bed.run({ resource: 'huntingQuery', operation: 'run', query: '={{ { kql: "x" } }}' });
		expect(object.error?.message).toBe('"Query" must be text, but the expression gave an object: {"kql":"x"}');
		const timespan = await bed.run({
			resource: 'huntingQuery',
			operation: 'run',
			query: 'AlertInfo',
			options: { timespan: '7 days' },
		});
		expect(timespan.error?.message).toMatch(/^"Timespan" is not an ISO-8601 duration: "7 days"; use for example P7D/);
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('a 1 MB query is sent whole and Graph\'s answer comes back as a clear error or rows, never a crash', async () => {
		const query = `AlertInfo | where Title == "${'x'.repeat(1024 * 1024)}" | take 1`;
		const out = await bed.run({ resource: 'huntingQuery', operation: 'run', query }, { continueOnFail: true });
		const sent = bed.graphRequests();
		expect(sent).toHaveLength(1);
		expect(JSON.parse(sent[0].body).query).toHaveLength(query.length);
		if (out.items[0]?.json.error !== undefined) {
			expect(out.items[0].json.error).toMatch(/\(HTTP \d{3}/);
		} else {
			expect(out.error).toBeUndefined();
		}
	});

	test('a 503 on the hunting POST is not retried: each run counts against the hunting quota (issue 11 item 12)', async () => {
		bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/runHuntingQuery', status: 503, times: 1 });
		const out = await bed.run({ resource: 'huntingQuery', operation: 'run', query: 'AlertInfo | take 1' });
		expect(out.error?.message).toMatch(/HTTP 503/);
		expect((out.error as Error & { description?: string }).description).toMatch(/Not retried automatically/);
		expect(bed.graphRequests().map((r) => r.status)).toEqual([503]);
	});

	test('a 429 on the hunting POST is retried (Graph did not run it)', async () => {
		bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/runHuntingQuery', status: 429, retryAfter: '0', times: 1 });
		const out = await bed.run({ resource: 'huntingQuery', operation: 'run', query: 'AlertInfo | take 1' });
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests().map((r) => r.status)).toEqual([429, 200]);
	});
});
