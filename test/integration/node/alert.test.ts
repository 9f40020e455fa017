/* Resource Alert (Graph alerts_v2) against the simulated cloud: requests sent, items out, alerts changed. */
import type { IDataObject } from 'n8n-workflow';

import { searchList } from '../../harness';
import { incidentLocator as locator, nodeType, resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	// 20 incidents with 1–3 alerts each; alert pages of 10 so Return All crosses several pages
	bed = await startTestBed({ alertPageSize: 10 });
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.id);
const evidenceOf = (alert: IDataObject, type: string) =>
	(alert.evidence as IDataObject[]).find((e) => e['@odata.type'] === `#microsoft.graph.security.${type}`) as IDataObject;

describe('Alert → Get Many', () => {
	test('filters combined: $filter sent exactly, $top = 2000 (Graph\'s alerts page), output = what Graph matched, with evidence', async () => {
		const out = await bed.run({
			resource: 'alert',
			operation: 'getAll',
			returnAll: true,
			filters: {
				status: ['new', 'inProgress'],
				severity: ['high', 'medium', 'low', 'informational'],
				serviceSource: ['microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity'],
				createdAfter: '2000-01-01T00:00:00Z',
				odataFilter: "classification eq 'unknown'",
			},
		});
		expect(out.error).toBeUndefined();
		const sent = bed.graphRequests();
		expect(sent[0].method).toBe('GET');
		expect(sent[0].path).toBe('/v1.0/security/alerts_v2');
		expect(sent[0].query).toEqual({
			$filter:
				"(status eq 'new' or status eq 'inProgress') and (severity eq 'high' or severity eq 'medium' or severity eq 'low' or severity eq 'informational')" +
				" and (serviceSource eq 'microsoftDefenderForEndpoint' or serviceSource eq 'microsoftDefenderForIdentity')" +
				" and createdDateTime ge 2000-01-01T00:00:00.000Z and (classification eq 'unknown')",
			$top: '2000',
		});
		const expected = bed.cloud.alerts.filter(
			(a) =>
				['new', 'inProgress'].includes(a.status) &&
				a.severity !== 'unknown' &&
				['microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity'].includes(a.serviceSource) &&
				a.classification === 'unknown',
		);
		expect(expected.length).toBeGreaterThan(3);
		expect(ids(out.items)).toEqual(expected.map((a) => a.id));
		const first = out.items[0].json;
		expect(evidenceOf(first, 'deviceEvidence').mdeDeviceId).toMatch(/^[0-9a-f]{40}$/);
		const file = evidenceOf(first, 'fileEvidence').fileDetails as IDataObject;
		expect(file.sha1).toMatch(/^[0-9a-f]{40}$/);
		expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(evidenceOf(first, 'userEvidence').userAccount).toEqual(expect.objectContaining({ userPrincipalName: expect.any(String) }));
		expect(evidenceOf(first, 'ipEvidence').ipAddress).toBeDefined();
		expect(evidenceOf(first, 'urlEvidence').url).toMatch(/^https:\/\//);
		expect(out.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('assignedTo, createdBefore and lastUpdatedAfter are sent as OData', async () => {
		const out = await bed.run({
			resource: 'alert',
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
		const expected = bed.cloud.alerts.filter((a) => a.assignedTo === 'kai.carter@contoso.com');
		expect(expected.length).toBeGreaterThan(0);
		expect(ids(out.items)).toEqual(expected.map((a) => a.id));
	});

	test('Return All follows @odata.nextLink over every page (≥ 3 pages of 10)', async () => {
		const all = bed.cloud.alerts;
		expect(all.length).toBeGreaterThan(20);
		const out = await bed.run({ resource: 'alert', operation: 'getAll', returnAll: true });
		expect(out.error).toBeUndefined();
		expect(ids(out.items)).toEqual(all.map((a) => a.id));
		const sent = bed.graphRequests();
		expect(sent.length).toBe(Math.ceil(all.length / 10));
		expect(sent.length).toBeGreaterThanOrEqual(3);
		expect(sent.map((r) => r.query.$skip)).toEqual(sent.map((_, page) => (page === 0 ? undefined : String(page * 10))));
		expect(sent.every((r) => r.query.$top === '2000')).toBe(true);
	});

	test('Limit: asks $top = limit, stops as soon as it has enough', async () => {
		const out = await bed.run({ resource: 'alert', operation: 'getAll', limit: 3 });
		expect(ids(out.items)).toEqual(bed.cloud.alerts.slice(0, 3).map((a) => a.id));
		expect(bed.graphRequests().map((r) => r.query.$top)).toEqual(['3']);
	});

	test('Incident ID: the incident read with $expand=alerts, the other filters applied by the node; agrees with Get Incident + Include Alerts', async () => {
		const incident = bed.cloud.createIncident({ alertsCount: 0, severity: 'high' });
		const a = bed.cloud.createAlert({ incidentId: incident.id, severity: 'high', status: 'new', serviceSource: 'microsoftDefenderForEndpoint' });
		const b = bed.cloud.createAlert({ incidentId: incident.id, severity: 'low', status: 'new', serviceSource: 'microsoftDefenderForEndpoint' });
		const c = bed.cloud.createAlert({ incidentId: incident.id, severity: 'high', status: 'resolved', serviceSource: 'microsoftDefenderForOffice365' });

		const all = await bed.run({ resource: 'alert', operation: 'getAll', returnAll: true, filters: { incidentId: incident.id } });
		const viaIncident = await bed.run({
			resource: 'incident',
			operation: 'get',
			incidentId: locator(incident.id),
			options: { includeAlerts: true },
		});
		expect(all.error).toBeUndefined();
		expect(new Set(ids(all.items))).toEqual(new Set([a.id, b.id, c.id]));
		expect([...all.items.map((item) => item.json)].sort((x, y) => String(x.id).localeCompare(String(y.id)))).toEqual(
			[...(viaIncident.items[0].json.alerts as IDataObject[])].sort((x, y) => String(x.id).localeCompare(String(y.id))),
		);
		bed.cloud.clearRequests();

		const filtered = await bed.run({
			resource: 'alert',
			operation: 'getAll',
			returnAll: true,
			filters: {
				incidentId: `https://security.microsoft.com/incidents/${incident.id}?tid=x`,
				severity: ['high'],
				status: ['new', 'resolved'],
				serviceSource: ['microsoftDefenderForEndpoint'],
			},
		});
		expect(ids(filtered.items)).toEqual([a.id]);
		expect(bed.graphRequests().map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', `/v1.0/security/incidents/${incident.id}`, { $expand: 'alerts' }],
		]);
	});

	test('Incident ID with an OData Filter, or a bad service source, is refused before any request', async () => {
		const both = await bed.run({
			resource: 'alert',
			operation: 'getAll',
			filters: { incidentId: '1001', odataFilter: "classification eq 'unknown'" },
		});
		expect(both.error?.message).toMatch(/^"OData Filter" cannot be combined with "Incident ID"/);
		const source = await bed.run({ resource: 'alert', operation: 'getAll', filters: { serviceSource: ['defender'] } });
		expect(source.error?.message).toMatch(/^"Service Source" has the unknown value "defender"; allowed: .*microsoftDefenderForEndpoint/);
		const status = await bed.run({ resource: 'alert', operation: 'getAll', filters: { status: ['active'] } });
		expect(status.error?.message).toBe('"Status" has the unknown value "active"; allowed: inProgress, new, resolved, unknown');
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('an evolvable service source (microsoftSentinel) is seen and filterable: every alerts_v2 request sends the Prefer header', async () => {
		const sentinel = bed.cloud.createAlert({ serviceSource: 'microsoftSentinel', detectionSource: 'scheduledAlerts' });
		const out = await bed.run({ resource: 'alert', operation: 'getAll', returnAll: true, filters: { serviceSource: ['microsoftSentinel'] } });
		expect(out.error).toBeUndefined();
		expect(ids(out.items)).toEqual([sentinel.id]);
		expect(out.items[0].json).toEqual(expect.objectContaining({ serviceSource: 'microsoftSentinel', detectionSource: 'scheduledAlerts' }));
		const got = await bed.run({ resource: 'alert', operation: 'get', alertId: locator(sentinel.id) });
		expect(got.items[0].json.serviceSource).toBe('microsoftSentinel');
		expect(bed.graphRequests().every((r) => r.headers.prefer === 'include-unknown-enum-members')).toBe(true);
		// what a client without the header would see
		const raw = await fetch(`${bed.cloud.graphEndpoint}/v1.0/security/alerts_v2/${sentinel.id}`, {
			headers: { authorization: bed.graphRequests()[0].headers.authorization as string },
		});
		expect(((await raw.json()) as IDataObject).serviceSource).toBe('unknownFutureValue');
	});

	test('429 with Retry-After is retried; the list completes', async () => {
		bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/alerts_v2', retryAfter: '2', times: 1 });
		const out = await bed.run({ resource: 'alert', operation: 'getAll', limit: 5 });
		expect(out.error).toBeUndefined();
		expect(out.items).toHaveLength(5);
		expect(bed.waits).toEqual([2000]);
		expect(bed.graphRequests().map((r) => r.status)).toEqual([429, 200]);
	});
});

describe('Alert → Get', () => {
	test('by id, by portal URL and from the list mode; output is Graph\'s alert without @odata.context', async () => {
		const [first, second, third] = bed.cloud.alerts;
		const out = await bed.run(
			{ resource: 'alert', operation: 'get', alertId: '={{ $json.locator }}' },
			{
				items: [
					{ json: { locator: locator(first.id) } },
					{ json: { locator: locator(second.alertWebUrl, 'url') } },
					{ json: { locator: locator(third.id, 'list') } },
				],
			},
		);
		expect(out.error).toBeUndefined();
		expect(ids(out.items)).toEqual([first.id, second.id, third.id]);
		expect(out.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(bed.graphRequests().map((r) => r.path)).toEqual([first, second, third].map((a) => `/v1.0/security/alerts_v2/${a.id}`));
		expect(out.items[0].json).toEqual(bed.cloud.getAlert(first.id));
	});

	test('404 → "Alert <id> not found"; Continue On Fail pairs the error with its item', async () => {
		const good = bed.cloud.alerts[0];
		const out = await bed.run(
			{ resource: 'alert', operation: 'get', alertId: locator('={{ $json.id }}') },
			{ items: [{ json: { id: 'da_missing_1' } }, { json: { id: good.id } }], continueOnFail: true },
		);
		expect(out.error).toBeUndefined();
		expect(out.items).toEqual([
			{ json: { error: 'Alert da_missing_1 not found (HTTP 404, NotFound)' }, pairedItem: { item: 0 } },
			expect.objectContaining({ pairedItem: { item: 1 } }),
		]);
		expect(out.items[1].json.id).toBe(good.id);
		const failing = await bed.run(
			{ resource: 'alert', operation: 'get', alertId: locator('={{ $json.id }}') },
			{ items: [{ json: { id: good.id } }, { json: { id: 'da_missing_1' } }] },
		);
		expect(failing.error?.message).toBe('Alert da_missing_1 not found (HTTP 404, NotFound)');
		expect((failing.error as { context?: IDataObject }).context?.itemIndex).toBe(1);
	});

	test.each([['../../users'], ['x?$filter=1'], ['https://security.microsoft.com/incidents/12'], ['']])(
		'an id that is neither an alert id nor an alert link (%s) is refused before any request',
		async (value) => {
			const out = await bed.run(
				{ resource: 'alert', operation: 'get', alertId: locator('={{ $json.id }}') },
				{ items: [{ json: { id: value } }] },
			);
			expect(out.error?.message).toMatch(/^"Alert" (must be an alert id|is empty)/);
			expect(bed.graphRequests()).toHaveLength(0);
		},
	);
});

describe('Alert → Update', () => {
	test('every field: PATCH body, comment POST, output is the alert after the update', async () => {
		const target = bed.cloud.createAlert({ status: 'new', assignedTo: null });
		const out = await bed.run({
			resource: 'alert',
			operation: 'update',
			alertId: locator(target.id),
			updateFields: {
				status: 'resolved',
				assignedTo: 'megan.bowen@contoso.com',
				classification: 'truePositive',
				determination: 'malware',
				comment: 'Device isolated by n8n',
			},
		});
		expect(out.error).toBeUndefined();
		const path = `/v1.0/security/alerts_v2/${target.id}`;
		const sent = bed.graphRequests();
		expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH ${path}`, `POST ${path}/comments`, `GET ${path}`]);
		expect(JSON.parse(sent[0].body)).toEqual({
			status: 'resolved',
			assignedTo: 'megan.bowen@contoso.com',
			classification: 'truePositive',
			determination: 'malware',
		});
		expect(JSON.parse(sent[1].body)).toEqual({ '@odata.type': 'microsoft.graph.security.alertComment', comment: 'Device isolated by n8n' });
		const now = bed.cloud.getAlert(target.id)!;
		expect(now).toEqual(expect.objectContaining({ status: 'resolved', assignedTo: 'megan.bowen@contoso.com', classification: 'truePositive', determination: 'malware' }));
		expect(now.comments.map((c) => c.comment)).toEqual(['Device isolated by n8n']);
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json).toEqual(now);
	});

	test('a comment alone: POST then GET, no PATCH', async () => {
		const target = bed.cloud.createAlert();
		const out = await bed.run({ resource: 'alert', operation: 'update', alertId: locator(target.id), updateFields: { comment: 'seen' } });
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests().map((r) => r.method)).toEqual(['POST', 'GET']);
		expect((out.items[0].json.comments as IDataObject[]).map((c) => c.comment)).toEqual(['seen']);
	});

	test('a determination that does not fit the classification is refused with zero PATCH requests', async () => {
		const target = bed.cloud.createAlert();
		const out = await bed.run({
			resource: 'alert',
			operation: 'update',
			alertId: locator(target.id),
			updateFields: { classification: 'falsePositive', determination: 'malware' },
		});
		expect(out.error?.message).toMatch(/^Determination "malware" does not fit classification "falsePositive"; allowed with "falsePositive": /);
		const alone = await bed.run({
			resource: 'alert',
			operation: 'update',
			alertId: locator(target.id),
			updateFields: { determination: 'malware' },
		});
		expect(alone.error?.message).toMatch(/^"Determination" needs "Classification" in the same update/);
		const status = await bed.run({ resource: 'alert', operation: 'update', alertId: locator(target.id), updateFields: { status: 'active' } });
		expect(status.error?.message).toBe('"Status" has the unknown value "active"; allowed: inProgress, new, resolved');
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('an old determination name (compromisedUser) is refused with Graph\'s name, zero PATCH requests', async () => {
		const target = bed.cloud.createAlert();
		const out = await bed.run({
			resource: 'alert',
			operation: 'update',
			alertId: locator(target.id),
			updateFields: { classification: 'truePositive', determination: 'compromisedUser' },
		});
		expect(out.error?.message).toContain('compromisedAccount');
		expect(bed.graphRequests().filter((r) => r.method === 'PATCH')).toHaveLength(0);
	});

	test('403 names SecurityAlert.ReadWrite.All; the alert is unchanged', async () => {
		const target = bed.cloud.createAlert({ status: 'new' });
		const out = await bed.run(
			{ resource: 'alert', operation: 'update', alertId: locator(target.id), updateFields: { status: 'inProgress' } },
			{ credentials: { microsoft365DefenderClientCredentialsApi: bed.readOnlyApp } },
		);
		expect((out.error as { httpCode?: string }).httpCode).toBe('403');
		expect(out.error?.message).toContain('(HTTP 403, Forbidden)');
		expect((out.error as { description?: string }).description).toMatch(/^Missing permission\? This needs the Microsoft Graph permission SecurityAlert\.ReadWrite\.All /);
		expect(bed.cloud.getAlert(target.id)?.status).toBe('new');
	});

	test('reading alerts without SecurityAlert.Read.All: 403 names it', async () => {
		const app = bed.cloud.registerApp({ roles: ['SecurityIncident.ReadWrite.All'], secret: true });
		const credential = bed.store.add('microsoft365DefenderClientCredentialsApi', {
			cloud: 'custom',
			authorityHost: bed.cloud.authorityHost,
			graphEndpoint: bed.cloud.graphEndpoint,
			tenantId: bed.cloud.tenantId,
			clientId: app.clientId,
			authMethod: 'clientSecret',
			clientSecret: app.clientSecret ?? '',
		});
		const out = await bed.run(
			{ resource: 'alert', operation: 'getAll', limit: 1 },
			{ credentials: { microsoft365DefenderClientCredentialsApi: credential } },
		);
		expect((out.error as { description?: string }).description).toMatch(/^Missing permission\? This needs the Microsoft Graph permission SecurityAlert\.Read\.All /);
	});

	test('Continue On Fail: a bad pairing on one item, the other item updated', async () => {
		const target = bed.cloud.createAlert({ status: 'new' });
		const out = await bed.run(
			{
				resource: 'alert',
				operation: 'update',
				alertId: locator(target.id),
				updateFields: { classification: '={{ $json.c }}', determination: '={{ $json.d }}' },
			},
			{
				items: [{ json: { c: 'falsePositive', d: 'malware' } }, { json: { c: 'truePositive', d: 'malware' } }],
				continueOnFail: true,
			},
		);
		expect(out.error).toBeUndefined();
		expect(out.items[0]).toEqual({ json: { error: expect.stringMatching(/does not fit classification "falsePositive"/) }, pairedItem: { item: 0 } });
		expect(out.items[1].pairedItem).toEqual({ item: 1 });
		expect(out.items[1].json.classification).toBe('truePositive');
		expect(bed.graphRequests().map((r) => r.method)).toEqual(['PATCH']);
	});
});

describe('Alert resource locator: searchAlerts', () => {
	const search = async (filter?: string, paginationToken?: string) =>
		await searchList(nodeType, 'searchAlerts', {
			store: bed.store,
			credentials: { microsoft365DefenderClientCredentialsApi: bed.app },
			parameters: { resource: 'alert', operation: 'get' },
			path: 'parameters.alertId',
			filter,
			paginationToken,
		});

	test('recent alerts "<title> (<severity>, <status>) <id>" with portal link; filter by title; an id not on the page is looked up', async () => {
		const first = await search();
		const newest = bed.cloud.alerts;
		expect(bed.graphRequests()[0].query).toEqual({ $top: '50' });
		expect(first.results[0]).toEqual({
			name: `${newest[0].title} (${newest[0].severity}, ${newest[0].status}) ${newest[0].id}`,
			value: newest[0].id,
			url: newest[0].alertWebUrl,
		});
		expect(first.results.map((r) => r.value)).toEqual(newest.slice(0, 10).map((a) => a.id));
		expect(first.paginationToken).toMatch(/\/v1\.0\/security\/alerts_v2\?/);

		const byTitle = await search('powershell');
		expect(byTitle.results.every((r) => r.name.toLowerCase().includes('powershell'))).toBe(true);

		const oldest = newest[newest.length - 1];
		bed.cloud.clearRequests();
		const byId = await search(oldest.id);
		expect(byId.results.map((r) => r.value)).toEqual([oldest.id]);
		expect(bed.graphRequests().map((r) => r.path)).toEqual(['/v1.0/security/alerts_v2', `/v1.0/security/alerts_v2/${oldest.id}`]);
	});
});
