import type { IDataObject } from 'n8n-workflow';

import { incidentLocator, resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	bed = await startTestBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.id);

describe('Incident → Get Many', () => {
	test('filters combined: $filter sent exactly, output = what Graph matched', async () => {
		const out = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			returnAll: true,
			filters: {
				status: ['active', 'inProgress'],
				severity: ['high', 'medium', 'low'],
				createdAfter: '2000-01-01T00:00:00Z',
				odataFilter: "classification eq 'unknown'",
			},
		});
		expect(out.error).toBeUndefined();
		const sent = bed.graphRequests();
		expect(sent[0].method).toBe('GET');
		expect(sent[0].path).toBe('/v1.0/security/incidents');
		expect(sent[0].query).toEqual({
			$filter:
				"(status eq 'active' or status eq 'inProgress') and (severity eq 'high' or severity eq 'medium' or severity eq 'low')" +
				" and createdDateTime ge 2000-01-01T00:00:00.000Z and (classification eq 'unknown')",
			$top: '50',
		});
		const expected = bed.cloud.incidents.filter(
			(i) =>
				['active', 'inProgress'].includes(i.status as string) &&
				['high', 'medium', 'low'].includes(i.severity as string) &&
				i.classification === 'unknown',
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(ids(out.items)).toEqual(expected.map((i) => i.id));
		expect(out.items[0].json.alerts).toBeUndefined();
		expect(out.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('assignedTo, createdBefore and lastUpdatedAfter are sent as OData', async () => {
		const out = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			limit: 50,
			filters: {
				assignedTo: 'kai.carter@contoso.com',
				createdBefore: '2100-01-01T00:00:00Z',
				lastUpdatedAfter: '2001-02-03T04:05:06Z',
			},
		});
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests()[0].query.$filter).toBe(
			"assignedTo eq 'kai.carter@contoso.com' and createdDateTime lt 2100-01-01T00:00:00.000Z and lastUpdateDateTime ge 2001-02-03T04:05:06.000Z",
		);
		expect(ids(out.items)).toEqual(
			bed.cloud.incidents.filter((i) => i.assignedTo === 'kai.carter@contoso.com').map((i) => i.id),
		);
	});

	test('Return All follows @odata.nextLink over every page (20 incidents, pages of 5)', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'getAll', returnAll: true });
		expect(out.error).toBeUndefined();
		expect(ids(out.items)).toEqual(bed.cloud.incidents.map((i) => i.id));
		const sent = bed.graphRequests();
		expect(sent).toHaveLength(4);
		expect(sent.map((r) => r.query.$skip)).toEqual([undefined, '5', '10', '15']);
	});

	test('Limit smaller than a page: one request asking $top=3', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'getAll', limit: 3 });
		expect(ids(out.items)).toEqual(bed.cloud.incidents.slice(0, 3).map((i) => i.id));
		const sent = bed.graphRequests();
		expect(sent).toHaveLength(1);
		expect(sent[0].query.$top).toBe('3');
	});

	test('Limit across pages: asks only what is still needed, no extra page', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'getAll', limit: 12 });
		expect(ids(out.items)).toEqual(bed.cloud.incidents.slice(0, 12).map((i) => i.id));
		const sent = bed.graphRequests();
		expect(sent.map((r) => [r.query.$top, r.query.$skip])).toEqual([
			['12', undefined],
			['7', '5'],
			['2', '10'],
		]);
	});

	test('Limit equal to a page boundary stops without requesting the next page', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'getAll', limit: 10 });
		expect(out.items).toHaveLength(10);
		expect(bed.graphRequests()).toHaveLength(2);
	});

	test('a huge limit asks Graph for a normal page size and returns everything', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'getAll', limit: 1e12 });
		expect(out.items).toHaveLength(20);
		expect(bed.graphRequests()[0].query.$top).toBe('50');
	});

	test('Include Alerts adds $expand=alerts', async () => {
		const out = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			limit: 2,
			options: { includeAlerts: true },
		});
		expect(bed.graphRequests()[0].query.$expand).toBe('alerts');
		expect(Array.isArray(out.items[0].json.alerts)).toBe(true);
		expect((out.items[0].json.alerts as IDataObject[]).length).toBeGreaterThan(0);
	});

	test('a Graph 400 on $filter shows the filter that was sent', async () => {
		const out = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			limit: 5,
			filters: { status: ['active'], odataFilter: 'displayName eq 1' },
		});
		expect(out.error?.constructor.name).toBe('NodeApiError');
		expect((out.error as { httpCode?: string }).httpCode).toBe('400');
		// the statement once in the message; what was sent in the description
		expect(out.error?.message).toMatch(/^Invalid filter clause: .* \(HTTP 400, BadRequest\)$/);
		expect((out.error as { description?: string }).description).toMatch(
			/^Filter sent: status eq 'active' and \(displayName eq 1\); request-id [0-9a-f-]{36}$/,
		);
	});

	test('bad input is refused before any request: limit 0, unknown status from an expression', async () => {
		const zero = await bed.run({ resource: 'incident', operation: 'getAll', limit: 0 });
		expect(zero.error?.message).toMatch(/"Limit" must be a whole number of at least 1/);
		const unknown = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			filters: { status: '={{ ["active", "open"] }}' },
		});
		expect(unknown.error?.message).toBe(
			'"Status" has the unknown value "open"; allowed: active, awaitingAction, inProgress, redirected, resolved',
		);
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('a next-page link to another host is refused and nothing is sent there', async () => {
		const stolenPath = '/steal-the-token';
		bed.cloud.injectFault({
			server: 'graph',
			method: 'GET',
			path: '/v1.0/security/incidents',
			status: 200,
			body: { value: [{ id: '1' }], '@odata.nextLink': `${bed.cloud.authorityHost}${stolenPath}?$skip=1` },
		});
		const out = await bed.run({ resource: 'incident', operation: 'getAll', returnAll: true });
		expect(out.error?.message).toContain(
			`returned a next-page link to ${bed.cloud.authorityHost}, which is not the configured Graph host`,
		);
		expect(bed.cloud.requests.filter((r) => r.path === stolenPath)).toHaveLength(0);
		expect(bed.graphRequests()).toHaveLength(1);
	});
});

describe('Incident → Get', () => {
	test('by id, by portal URL and from the list mode; Include Alerts', async () => {
		const [first, second, third] = bed.cloud.incidents;
		const out = await bed.run(
			{ resource: 'incident', operation: 'get', incidentId: '={{ $json.locator }}', options: { includeAlerts: '={{ $json.alerts }}' } },
			{
				items: [
					{ json: { locator: incidentLocator(first.id as string), alerts: false } },
					{ json: { locator: incidentLocator(`${second.incidentWebUrl as string}`, 'url'), alerts: true } },
					{ json: { locator: incidentLocator(third.id as string, 'list'), alerts: false } },
				],
			},
		);
		expect(out.error).toBeUndefined();
		expect(ids(out.items)).toEqual([first.id, second.id, third.id]);
		expect(out.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const sent = bed.graphRequests();
		expect(sent.map((r) => [r.path, r.query])).toEqual([
			[`/v1.0/security/incidents/${first.id as string}`, {}],
			[`/v1.0/security/incidents/${second.id as string}`, { $expand: 'alerts' }],
			[`/v1.0/security/incidents/${third.id as string}`, {}],
		]);
		expect(out.items[0].json['@odata.context']).toBeUndefined();
		expect(out.items[0].json.alerts).toBeUndefined();
		expect(Array.isArray(out.items[1].json.alerts)).toBe(true);
		const { alerts: _alerts, ...firstWithoutAlerts } = bed.cloud.getIncident(first.id as string)!;
		expect(out.items[0].json).toEqual(firstWithoutAlerts);
	});

	test('three items use one token (credentials and token are not fetched per item)', async () => {
		const [a, b, c] = bed.cloud.incidents;
		const { resetTokenCaches: resetTokenCachesForTests } = await import('../auth/resetTokenCaches');
		resetTokenCachesForTests();
		const loadsBefore = bed.store.loads;
		const out = await bed.run(
			{ resource: 'incident', operation: 'get', incidentId: incidentLocator('={{ $json.id }}') },
			{ items: [a, b, c].map((incident) => ({ json: { id: incident.id } })) },
		);
		expect(out.items).toHaveLength(3);
		expect(bed.cloud.counts().token).toBe(1);
		// n8n reads (and decrypts) the credential once for the execution, not once per request
		expect(bed.store.loads - loadsBefore).toBe(1);
		const bearers = new Set(bed.graphRequests().map((r) => r.headers.authorization));
		expect(bearers.size).toBe(1);
	});

	test('404 → "Incident <id> not found", said once (the description does not repeat Graph\'s same words)', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'get', incidentId: incidentLocator('999999') });
		expect(out.error?.constructor.name).toBe('NodeApiError');
		expect(out.error?.message).toBe('Incident 999999 not found (HTTP 404, NotFound)');
		expect((out.error as { description?: string }).description).toMatch(/^request-id [0-9a-f-]{36}$/);
		expect((out.error as { httpCode?: string }).httpCode).toBe('404');
	});

	test.each([
		['1/../../users'],
		['1?$filter=id eq 1'],
		['https://security.microsoft.com/incidents/1/../../../users'],
		['abc'],
	])('an id from an expression that is not a number nor a portal link (%s) is refused before any request', async (value) => {
		const out = await bed.run(
			{ resource: 'incident', operation: 'get', incidentId: incidentLocator('={{ $json.id }}') },
			{ items: [{ json: { id: value } }] },
		);
		expect(out.error?.constructor.name).toBe('NodeOperationError');
		expect(out.error?.message).toMatch(/^"Incident" must be a numeric incident id/);
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('a fixed id that fails the "By ID" mode\'s validation is refused by n8n itself, no request', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'get', incidentId: incidentLocator('1/../../users') });
		expect(out.error).toBeDefined();
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('an expression that yields an object for the id is refused', async () => {
		const out = await bed.run(
			{ resource: 'incident', operation: 'get', incidentId: incidentLocator('={{ $json.incident }}') },
			{ items: [{ json: { incident: { id: 5 } } }] },
		);
		expect(out.error?.message).toBe('"Incident" must be text, but the expression gave an object: {"id":5}');
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('Continue On Fail: two items, one failing → {error} paired with its item, the other succeeds', async () => {
		const good = bed.cloud.incidents[0];
		const out = await bed.run(
			{ resource: 'incident', operation: 'get', incidentId: incidentLocator('={{ $json.id }}') },
			{ items: [{ json: { id: '424242' } }, { json: { id: good.id } }], continueOnFail: true },
		);
		expect(out.error).toBeUndefined();
		expect(out.items).toEqual([
			{ json: { error: 'Incident 424242 not found (HTTP 404, NotFound)' }, pairedItem: { item: 0 } },
			expect.objectContaining({ pairedItem: { item: 1 } }),
		]);
		expect(out.items[1].json.id).toBe(good.id);
		expect(bed.graphRequests().map((r) => r.path)).toEqual([
			'/v1.0/security/incidents/424242',
			`/v1.0/security/incidents/${good.id as string}`,
		]);
	});

	test('without Continue On Fail the error names the failing item', async () => {
		const good = bed.cloud.incidents[0];
		const out = await bed.run(
			{ resource: 'incident', operation: 'get', incidentId: incidentLocator('={{ $json.id }}') },
			{ items: [{ json: { id: good.id } }, { json: { id: 'x' } }] },
		);
		expect((out.error as { context?: IDataObject }).context?.itemIndex).toBe(1);
		expect(bed.graphRequests()).toHaveLength(1);
	});
});

describe('Incident → Update', () => {
	test('every field: PATCH body, comment POST, output is the incident after the update', async () => {
		const target = bed.cloud.createIncident({ status: 'active', assignedTo: null, customTags: ['old'] });
		const out = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: {
				status: 'resolved',
				assignedTo: 'megan.bowen@contoso.com',
				classification: 'truePositive',
				determination: 'phishing',
				customTags: 'campaign-42, vip ,,',
				comment: 'Closed by n8n',
			},
		});
		expect(out.error).toBeUndefined();
		const sent = bed.graphRequests();
		expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
			`PATCH /v1.0/security/incidents/${target.id as string}`,
			`POST /v1.0/security/incidents/${target.id as string}/comments`,
			`GET /v1.0/security/incidents/${target.id as string}`,
		]);
		expect(JSON.parse(sent[0].body)).toEqual({
			status: 'resolved',
			assignedTo: 'megan.bowen@contoso.com',
			classification: 'truePositive',
			determination: 'phishing',
			customTags: ['campaign-42', 'vip'],
		});
		expect(JSON.parse(sent[1].body)).toEqual({
			'@odata.type': 'microsoft.graph.security.alertComment',
			comment: 'Closed by n8n',
		});
		const after = out.items[0].json;
		expect(after).toMatchObject({
			id: target.id,
			status: 'resolved',
			assignedTo: 'megan.bowen@contoso.com',
			classification: 'truePositive',
			determination: 'phishing',
			customTags: ['campaign-42', 'vip'],
		});
		expect((after.comments as IDataObject[]).map((c) => c.comment)).toEqual(['Closed by n8n']);
		expect(bed.cloud.getIncident(target.id as string)?.status).toBe('resolved');
	});

	test('empty Assigned To unassigns; empty Custom Tags clears them; no comment → no POST, PATCH answer is the output', async () => {
		const target = bed.cloud.createIncident({ assignedTo: 'kai.carter@contoso.com', customTags: ['a'] });
		const out = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { assignedTo: '', customTags: '' },
		});
		expect(out.error).toBeUndefined();
		const sent = bed.graphRequests();
		expect(sent).toHaveLength(1);
		// Graph's assignedTo is "owner, or null if none"
		expect(JSON.parse(sent[0].body)).toEqual({ assignedTo: null, customTags: [] });
		expect(out.items[0].json).toMatchObject({ id: target.id, assignedTo: null, customTags: [] });
		expect(bed.cloud.getIncident(target.id as string)?.assignedTo).toBeNull();
	});

	test('PATCH applied, comment refused (403): the error says the update was applied and the comment was not (issue 11 item 12)', async () => {
		const target = bed.cloud.incidents[1];
		bed.cloud.injectFault({ server: 'graph', method: 'POST', path: /\/comments$/, status: 403, times: 1 });
		const out = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { status: 'inProgress', comment: 'Looking into it' },
		});
		expect(out.error?.message).toMatch(new RegExp(`^Incident ${target.id as string} was updated \\(status\\), but adding the comment failed: .*403`));
		expect((out.error as Error & { description?: string }).description).toMatch(/SecurityIncident\.ReadWrite\.All.*Add the comment again/);
		expect(bed.cloud.getIncident(target.id as string)!.status).toBe('inProgress');
	});

	test('comment only: POST then GET, no PATCH', async () => {
		const target = bed.cloud.createIncident();
		const out = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.incidentWebUrl as string, 'url'),
			updateFields: { comment: 'Looking into it' },
		});
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests().map((r) => r.method)).toEqual(['POST', 'GET']);
		expect((out.items[0].json.comments as IDataObject[]).at(-1)?.comment).toBe('Looking into it');
	});

	test('a determination that does not fit the classification is refused with the allowed values, zero PATCH', async () => {
		const target = bed.cloud.incidents[0];
		const out = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { classification: 'falsePositive', determination: 'malware', comment: 'x' },
		});
		expect(out.error?.constructor.name).toBe('NodeOperationError');
		expect(out.error?.message).toBe(
			'Determination "malware" does not fit classification "falsePositive"; allowed with "falsePositive": notMalicious, notEnoughDataToValidate, other',
		);
		expect(bed.graphRequests().filter((r) => r.method === 'PATCH')).toHaveLength(0);
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('an unknown enum value from an expression names the parameter; empty update fields are refused', async () => {
		const target = bed.cloud.incidents[0];
		const bad = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { status: '={{ "closed" }}' },
		});
		expect(bad.error?.message).toBe(
			'"Status" has the unknown value "closed"; allowed: active, inProgress, redirected, resolved',
		);
		const empty = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: {},
		});
		expect(empty.error?.message).toMatch(/^"Update Fields" is empty/);
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('403 names the missing permission', async () => {
		const target = bed.cloud.incidents[0];
		const out = await bed.run(
			{
				resource: 'incident',
				operation: 'update',
				incidentId: incidentLocator(target.id as string),
				updateFields: { status: 'inProgress' },
			},
			{ credentials: { microsoft365DefenderClientCredentialsApi: bed.readOnlyApp } },
		);
		expect((out.error as { httpCode?: string }).httpCode).toBe('403');
		expect(out.error?.message).toContain('(HTTP 403, Forbidden)');
		expect(out.error?.message).toContain('SecurityIncident.ReadWrite.All');
		expect(bed.cloud.getIncident(target.id as string)?.status).toBe(target.status);
	});

	test('a 503 on PATCH is retried (idempotent); a 503 on the comment POST is not (it may have been applied)', async () => {
		const target = bed.cloud.createIncident({ status: 'active' });
		const path = `/v1.0/security/incidents/${target.id as string}`;
		bed.cloud.injectFault({ server: 'graph', method: 'PATCH', path, status: 503, times: 1 });
		const patched = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { status: 'inProgress' },
		});
		expect(patched.error).toBeUndefined();
		expect(bed.graphRequests().map((r) => [r.method, r.status])).toEqual([
			['PATCH', 503],
			['PATCH', 200],
		]);

		resetTestBed(bed);
		bed.cloud.injectFault({ server: 'graph', method: 'POST', path: `${path}/comments`, status: 503, times: 1 });
		const commented = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { comment: 'once only' },
		});
		expect(commented.error?.message).toMatch(/\(HTTP 503, ServiceUnavailable\)$/);
		expect((commented.error as { description?: string }).description).toMatch(/^Not retried automatically/);
		expect(bed.graphRequests().map((r) => [r.method, r.status])).toEqual([['POST', 503]]);
		expect(bed.cloud.getIncident(target.id as string)?.comments).toEqual([]);
	});
});
