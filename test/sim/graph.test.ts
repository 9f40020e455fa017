import { startSimulatedCloud, type GraphIncident, type SimApp, type SimCloud } from '../../sim';

type Json = Record<string, any>;

describe('simulated Microsoft Graph security v1.0', () => {
	let cloud: SimCloud;
	let token: string;

	async function appToken(app: SimApp): Promise<string> {
		const r = await fetch(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret!, scope: `${cloud.graphEndpoint}/.default` }),
		});
		expect(r.status).toBe(200);
		return ((await r.json()) as Json).access_token;
	}

	async function graph(method: string, path: string, body?: unknown, bearer: string | null = token, extraHeaders: Record<string, string> = {}) {
		const headers: Record<string, string> = { ...extraHeaders };
		if (bearer) headers.authorization = `Bearer ${bearer}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const url = path.startsWith('https://') ? path : `${cloud.graphEndpoint}/v1.0${path}`;
		const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await r.text();
		let json: Json = {};
		try {
			json = JSON.parse(text);
		} catch {
			json = { text };
		}
		return { status: r.status, headers: r.headers, body: json };
	}

	const list = (query: Record<string, string>) => graph('GET', `/security/incidents?${new URLSearchParams(query)}`);

	beforeAll(async () => {
		cloud = await startSimulatedCloud({ incidents: 0, pageSize: 4, trustCa: true });
		token = await appToken(cloud.apps.secret);
	});
	afterAll(async () => {
		await cloud.stop();
	});
	beforeEach(() => {
		cloud.clearRequests();
		cloud.clearFaults();
		cloud.setRateLimit(null);
	});

	describe('incidents list', () => {
		let seeded: GraphIncident[];
		beforeAll(() => {
			const base = Date.parse('2026-01-10T00:00:00Z');
			const at = (h: number) => new Date(base + h * 3600_000).toISOString();
			seeded = [
				cloud.createIncident({ createdDateTime: at(0), status: 'active', severity: 'high', assignedTo: 'kai@contoso.com' }),
				cloud.createIncident({ createdDateTime: at(1), status: 'resolved', severity: 'low', assignedTo: null, classification: 'falsePositive', determination: 'notMalicious' }),
				cloud.createIncident({ createdDateTime: at(2), status: 'inProgress', severity: 'medium', assignedTo: 'KAI@contoso.com' }),
				cloud.createIncident({ createdDateTime: at(3), status: 'active', severity: 'low', assignedTo: null }),
				cloud.createIncident({ createdDateTime: at(4), status: 'active', severity: 'informational', assignedTo: 'alex@contoso.com' }),
				cloud.createIncident({ createdDateTime: at(4), status: 'awaitingAction', severity: 'high', assignedTo: null }),
				cloud.createIncident({ createdDateTime: at(5), status: 'redirected', severity: 'medium', assignedTo: null }),
				cloud.createIncident({ createdDateTime: at(6), status: 'active', severity: 'high', assignedTo: null }),
				cloud.createIncident({ createdDateTime: at(7), status: 'resolved', severity: 'high', assignedTo: null }),
				cloud.createIncident({ createdDateTime: at(8), status: 'active', severity: 'medium', assignedTo: null }),
			];
		});
		const newestFirst = () => [...seeded].sort((a, b) => (a.createdDateTime === b.createdDateTime ? Number(b.id) - Number(a.id) : a.createdDateTime < b.createdDateTime ? 1 : -1));

		it('pages newest first with absolute @odata.nextLink across 3 pages', async () => {
			const ids: string[] = [];
			let page = await list({});
			let pages = 0;
			for (;;) {
				pages++;
				expect(page.status).toBe(200);
				expect(page.body['@odata.context']).toBe(`${cloud.graphEndpoint}/v1.0/$metadata#security/incidents`);
				ids.push(...page.body.value.map((i: Json) => i.id));
				const next = page.body['@odata.nextLink'];
				if (!next) break;
				expect(next.startsWith(`${cloud.graphEndpoint}/v1.0/security/incidents?`)).toBe(true);
				page = await graph('GET', next);
			}
			expect(pages).toBe(3);
			expect(ids).toEqual(newestFirst().map((i) => i.id));
			// Same createdDateTime: higher id first.
			expect(ids.indexOf(seeded[5].id)).toBeLessThan(ids.indexOf(seeded[4].id));
		});

		it('treats $top as the page size, capped at the page size, and keeps it in nextLink', async () => {
			const two = await list({ $top: '2' });
			expect(two.body.value).toHaveLength(2);
			expect(two.body['@odata.nextLink']).toContain('$top=2');
			expect(two.body['@odata.nextLink']).toContain('$skip=2');
			const capped = await list({ $top: '100' });
			expect(capped.body.value).toHaveLength(4);
		});

		it('filters with eq/ne, and/or, parentheses, datetimes and null', async () => {
			const ids = async (filter: string) => {
				const all: string[] = [];
				let page = await list({ $filter: filter });
				expect(page.status).toBe(200);
				for (;;) {
					all.push(...page.body.value.map((i: Json) => i.id));
					if (!page.body['@odata.nextLink']) return all;
					page = await graph('GET', page.body['@odata.nextLink']);
				}
			};
			const expected = (f: (i: GraphIncident) => boolean) => newestFirst().filter(f).map((i) => i.id);
			expect(await ids("status eq 'active' and (severity eq 'high' or severity eq 'medium')")).toEqual(
				expected((i) => i.status === 'active' && (i.severity === 'high' || i.severity === 'medium')),
			);
			expect(await ids("severity ne 'high'")).toEqual(expected((i) => i.severity !== 'high'));
			expect(await ids('createdDateTime ge 2026-01-10T04:00:00Z and createdDateTime lt 2026-01-10T06:00:00.0000000Z')).toEqual(
				expected((i) => i.createdDateTime >= '2026-01-10T04:00' && i.createdDateTime < '2026-01-10T06:00'),
			);
			// Graph compares strings case-insensitively.
			expect(await ids("assignedTo eq 'kai@contoso.com'")).toEqual([seeded[2].id, seeded[0].id]);
			expect(await ids('assignedTo eq null')).toEqual(expected((i) => i.assignedTo === null));
			expect(await ids("classification eq 'falsePositive' and determination eq 'notMalicious'")).toEqual([seeded[1].id]);
			const updatedSince = await ids(`lastUpdateDateTime gt ${seeded[8].lastUpdateDateTime}`);
			expect(updatedSince).toEqual([seeded[9].id]);
		});

		it('answers 400 with Graph error shape for bad filters and unsupported options', async () => {
			const cases: Array<[Record<string, string>, RegExp]> = [
				[{ $filter: "displayName eq 'x'" }, /displayName/],
				[{ $filter: "foo eq 'x'" }, /Could not find a property named 'foo'/],
				[{ $filter: "status eq 'open'" }, /'open'/],
				[{ $filter: "createdDateTime gt '2026-01-01T00:00:00Z'" }, /incompatible types.*Edm.DateTimeOffset.*Edm.String/],
				[{ $filter: "status eq 'active' and" }, /Syntax error/],
				[{ $filter: "contains(assignedTo, 'kai')" }, /unknown function/],
				[{ $orderby: 'createdDateTime desc' }, /\$orderby/],
				[{ $expand: 'comments' }, /comments/],
				[{ $top: '-1' }, /\$top/],
			];
			for (const [query, message] of cases) {
				const r = await list(query);
				expect({ query, status: r.status, code: r.body.error?.code }).toEqual({ query, status: 400, code: 'BadRequest' });
				expect(r.body.error.message).toMatch(message);
				expect(r.body.error.innerError).toEqual({ date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) });
			}
		});

		it('supports $count and $expand=alerts', async () => {
			const r = await list({ $count: 'true', $expand: 'alerts', $filter: "severity eq 'high'" });
			expect(r.body['@odata.count']).toBe(seeded.filter((i) => i.severity === 'high').length);
			expect(r.body.value[0].alerts.length).toBeGreaterThan(0);
			expect(r.body.value[0].alerts[0]).toMatchObject({ incidentId: r.body.value[0].id, '@odata.type': '#microsoft.graph.security.alert' });
			const without = await list({});
			expect(without.body.value[0].alerts).toBeUndefined();
		});

		it('shows an incident created with an older createdDateTime behind newer ones (becomes visible late)', async () => {
			const late = cloud.createIncident({ createdDateTime: '2026-01-10T03:30:00Z' });
			try {
				const r = await list({ $filter: 'createdDateTime ge 2026-01-10T03:00:00Z and createdDateTime le 2026-01-10T04:00:00Z' });
				expect(r.body.value.map((i: Json) => i.id)).toEqual([seeded[5].id, seeded[4].id, late.id, seeded[3].id]);
			} finally {
				// keep the other tests' expectations: retire it to a far past date
				cloud.getIncident(late.id)!.createdDateTime = '2000-01-01T00:00:00.0000000Z';
				seeded.push(cloud.getIncident(late.id)!);
			}
		});
	});

	describe('single incident, update, comments', () => {
		let incident: GraphIncident;
		beforeAll(() => {
			incident = cloud.createIncident({ status: 'active', severity: 'medium', customTags: ['a'] });
		});

		it('gets one incident (with alerts on request) and answers 404 NotFound', async () => {
			const r = await graph('GET', `/security/incidents/${incident.id}?$expand=alerts`);
			expect(r.status).toBe(200);
			expect(r.body).toMatchObject({ id: incident.id, incidentWebUrl: `https://security.microsoft.com/incidents/${incident.id}?tid=${cloud.tenantId}` });
			expect(Array.isArray(r.body.alerts)).toBe(true);
			const missing = await graph('GET', '/security/incidents/999999');
			expect(missing.status).toBe(404);
			expect(missing.body.error.code).toBe('NotFound');
		});

		it('updates the updatable properties, moves lastUpdateDateTime, validates enums', async () => {
			const before = cloud.getIncident(incident.id)!.lastUpdateDateTime;
			const r = await graph('PATCH', `/security/incidents/${incident.id}`, {
				status: 'resolved',
				classification: 'truePositive',
				determination: 'malware',
				assignedTo: 'kai@contoso.com',
				customTags: ['x', 'y'],
			});
			expect(r.status).toBe(200);
			expect(r.body).toMatchObject({ id: incident.id, status: 'resolved', classification: 'truePositive', determination: 'malware', customTags: ['x', 'y'] });
			expect(r.body.lastUpdateDateTime > before).toBe(true);
			expect(cloud.getIncident(incident.id)!.status).toBe('resolved');

			const badEnum = await graph('PATCH', `/security/incidents/${incident.id}`, { status: 'closed' });
			expect(badEnum.status).toBe(400);
			expect(badEnum.body.error.message).toMatch(/'closed'.*incidentStatus/);
			const readOnly = await graph('PATCH', `/security/incidents/${incident.id}`, { createdDateTime: '2020-01-01T00:00:00Z' });
			expect(readOnly.status).toBe(400);
			expect(cloud.getIncident(incident.id)!.status).toBe('resolved');
		});

		it('adds a comment and returns the comments collection', async () => {
			const before = cloud.getIncident(incident.id)!.lastUpdateDateTime;
			const body = { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'Contained by n8n' };
			const first = await graph('POST', `/security/incidents/${incident.id}/comments`, body);
			const second = await graph('POST', `/security/incidents/${incident.id}/comments`, { ...body, comment: 'Second' });
			expect(first.status).toBe(200);
			expect(second.body['@odata.context']).toMatch(/Collection\(microsoft\.graph\.security\.alertComment\)$/);
			expect(second.body.value.map((c: Json) => c.comment)).toEqual(['Contained by n8n', 'Second']);
			expect(second.body.value[0]).toEqual({
				'@odata.type': 'microsoft.graph.security.alertComment',
				comment: 'Contained by n8n',
				createdByDisplayName: expect.any(String),
				createdDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
			});
			expect(cloud.getIncident(incident.id)!.lastUpdateDateTime > before).toBe(true);
			const empty = await graph('POST', `/security/incidents/${incident.id}/comments`, { comment: '' });
			expect(empty.status).toBe(400);
		});

		it('moves lastUpdateDateTime on portal changes, every change distinct', () => {
			const a = cloud.updateIncidentAsPortal(incident.id, { severity: 'high' }).lastUpdateDateTime;
			const b = cloud.updateIncidentAsPortal(incident.id, { comment: 'from the portal' }).lastUpdateDateTime;
			expect(b > a).toBe(true);
			expect(cloud.getIncident(incident.id)!.comments.at(-1)!.comment).toBe('from the portal');
		});
	});

	describe("Graph's own rules, from its $metadata (schema/graph-security.json)", () => {
		const PREFER = { prefer: 'include-unknown-enum-members' };
		let target: GraphIncident;
		let waiting: GraphIncident;
		beforeAll(() => {
			target = cloud.createIncident({ status: 'active', severity: 'low', assignedTo: 'kai@contoso.com' });
			waiting = cloud.createIncident({ status: 'awaitingAction', severity: 'high', createdDateTime: '2001-01-01T00:00:00Z' });
		});
		const patch = (body: Json, headers: Record<string, string> = {}) =>
			graph('PATCH', `/security/incidents/${target.id}`, body, token, headers);

		it.each([
			[{ determination: 'clean' }, /Cannot convert the literal 'clean' to the expected type 'microsoft\.graph\.security\.alertDetermination'/],
			[{ determination: 'insufficientData' }, /'insufficientData'.*alertDetermination/],
			[{ determination: 'compromisedUser' }, /'compromisedUser'.*alertDetermination/],
			[{ determination: 'confirmedUserActivity' }, /'confirmedUserActivity'.*alertDetermination/],
			[{ classification: 'benign' }, /'benign'.*alertClassification/],
			[{ status: 'awaitingAction' }, /'awaitingAction'.*incidentStatus/],
			[{ status: null }, /null value to the non-nullable type 'microsoft\.graph\.security\.incidentStatus'/],
			[{ foo: 'x' }, /The property 'foo' does not exist on type 'microsoft\.graph\.security\.incident'/],
			[{ severity: 'high' }, /The property 'severity' of type 'microsoft\.graph\.security\.incident' cannot be updated/],
			[{ displayName: 'renamed' }, /'displayName'.*cannot be updated/],
			[{ customTags: 'a,b' }, /customTags.*Collection\(Edm\.String\)/],
			[{ assignedTo: 42 }, /Edm\.String.*assignedTo/],
		])('PATCH %j -> 400 BadRequest, nothing changed', async (body, message) => {
			const before = { ...cloud.getIncident(target.id)! };
			const r = await patch(body);
			expect({ status: r.status, code: r.body.error?.code }).toEqual({ status: 400, code: 'BadRequest' });
			expect(r.body.error.message).toMatch(message);
			expect(cloud.getIncident(target.id)).toMatchObject({ status: before.status, severity: before.severity, lastUpdateDateTime: before.lastUpdateDateTime });
		});

		it("accepts Graph's determinations and null for assignedTo (unassigned)", async () => {
			for (const [classification, determination] of [['falsePositive', 'notMalicious'], ['falsePositive', 'notEnoughDataToValidate'], ['truePositive', 'compromisedAccount'], ['informationalExpectedActivity', 'confirmedActivity']]) {
				const r = await patch({ classification, determination });
				expect(r.status).toBe(200);
				expect(r.body).toMatchObject({ classification, determination });
			}
			const unassigned = await patch({ assignedTo: null });
			expect(unassigned.status).toBe(200);
			expect(unassigned.body.assignedTo).toBeNull();
			expect(cloud.getIncident(target.id)!.assignedTo).toBeNull();
		});

		it('awaitingAction reads unknownFutureValue unless the request sends Prefer: include-unknown-enum-members', async () => {
			const plain = await graph('GET', `/security/incidents/${waiting.id}`);
			expect(plain.body.status).toBe('unknownFutureValue');
			const asked = await graph('GET', `/security/incidents/${waiting.id}`, undefined, token, PREFER);
			expect(asked.body.status).toBe('awaitingAction');
			// also inside a Prefer list with other preferences
			const listed = await graph('GET', `/security/incidents/${waiting.id}`, undefined, token, { prefer: 'odata.maxpagesize=5, include-unknown-enum-members' });
			expect(listed.body.status).toBe('awaitingAction');
			// the stored incident keeps its status
			expect(cloud.getIncident(waiting.id)!.status).toBe('awaitingAction');
		});

		it("$filter by awaitingAction: 400 without the Prefer header, the incident with it", async () => {
			const filter = `?$filter=${encodeURIComponent("status eq 'awaitingAction' and createdDateTime lt 2002-01-01T00:00:00Z")}`;
			const refused = await graph('GET', `/security/incidents${filter}`);
			expect(refused.status).toBe(400);
			expect(refused.body.error.message).toMatch(/'awaitingAction' is not a valid enumeration type constant for property 'status'/);
			const found = await graph('GET', `/security/incidents${filter}`, undefined, token, PREFER);
			expect(found.status).toBe(200);
			expect(found.body.value.map((i: Json) => [i.id, i.status])).toEqual([[waiting.id, 'awaitingAction']]);
		});

		it('evolvable members of expanded alerts (serviceSource, detectionSource) read unknownFutureValue without the header', async () => {
			const incident = cloud.createIncident({ alertsCount: 1 });
			Object.assign(cloud.getIncident(incident.id)!.alerts[0], { serviceSource: 'microsoftSentinel', detectionSource: 'scheduledAlerts' });
			const plain = await graph('GET', `/security/incidents/${incident.id}?$expand=alerts`);
			expect(plain.body.alerts[0]).toMatchObject({ serviceSource: 'unknownFutureValue', detectionSource: 'unknownFutureValue' });
			const asked = await graph('GET', `/security/incidents/${incident.id}?$expand=alerts`, undefined, token, PREFER);
			expect(asked.body.alerts[0]).toMatchObject({ serviceSource: 'microsoftSentinel', detectionSource: 'scheduledAlerts' });
		});

		it('a $filter on a property Graph does not filter is refused, naming the filterable ones', async () => {
			for (const property of ['displayName', 'customTags', 'priorityScore', 'tenantId']) {
				const r = await list({ $filter: `${property} eq 'x'` });
				expect(r.status).toBe(400);
				expect(r.body.error.message).toBe(
					`Invalid filter clause: Filtering by property '${property}' is not supported. Supported properties: assignedTo, classification, createdDateTime, determination, lastUpdateDateTime, severity, status.`,
				);
			}
		});

		it('runHuntingQuery takes its parameters (query, timespan) in either case, nothing else', async () => {
			const lower = await graph('POST', '/security/runHuntingQuery', { query: 'AlertInfo | take 1', timespan: 'P1D' });
			expect(lower.status).toBe(200);
			const upper = await graph('POST', '/security/runHuntingQuery', { Query: 'AlertInfo | take 1' });
			expect(upper.status).toBe(200);
			const unknown = await graph('POST', '/security/runHuntingQuery', { query: 'AlertInfo | take 1', top: 5 });
			expect(unknown.status).toBe(400);
			expect(unknown.body.error.message).toMatch(/'top'.*not a valid parameter for the operation 'runHuntingQuery'/);
		});

		it('cannot be seeded with values Graph does not have, and holds only properties Graph defines', () => {
			expect(() => cloud.createIncident({ determination: 'clean' })).toThrow(/'clean'.*alertDetermination/);
			expect(() => cloud.updateIncidentAsPortal(target.id, { status: 'closed' })).toThrow(/'closed'.*incidentStatus/);
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const schema = require('../../schema/graph-security.json');
			const allowed = (entity: 'incident' | 'alert') => [
				'@odata.type',
				...Object.keys(schema.entities[entity].properties),
				...Object.keys(schema.entities[entity].navigationProperties),
			];
			const incident = cloud.getIncident(target.id)!;
			for (const key of Object.keys(incident)) expect(allowed('incident')).toContain(key);
			for (const alert of incident.alerts as Json[]) {
				for (const key of Object.keys(alert)) expect(allowed('alert')).toContain(key);
				for (const evidence of alert.evidence) expect(schema.complexTypes.alertEvidence.derivedTypes).toContain(evidence['@odata.type']);
			}
		});
	});

	describe('runHuntingQuery', () => {
		const hunt = (Query: string, extra: Json = {}) => graph('POST', '/security/runHuntingQuery', { Query, ...extra });

		it('runs where / project / take with schema and rows', async () => {
			const r = await hunt('DeviceProcessEvents | where FileName == "powershell.exe" and AccountName != "svc-backup" | project Timestamp, DeviceName, FileName | take 5');
			expect(r.status).toBe(200);
			expect(r.body['@odata.context']).toMatch(/huntingQueryResults$/);
			expect(r.body.schema).toEqual([
				{ name: 'Timestamp', type: 'DateTime' },
				{ name: 'DeviceName', type: 'String' },
				{ name: 'FileName', type: 'String' },
			]);
			expect(r.body.results.length).toBe(5);
			for (const row of r.body.results) expect(Object.keys(row)).toEqual(['Timestamp', 'DeviceName', 'FileName']);
			expect(r.body.results.every((row: Json) => row.FileName === 'powershell.exe')).toBe(true);
		});

		it("the Device* tables' devices are the Defender for Endpoint machines (a hunt's DeviceId is what Isolate takes)", async () => {
			const machines = new Map(cloud.mde.machines.map((m: Json) => [m.id, m.computerDnsName]));
			for (const table of ['DeviceProcessEvents', 'DeviceNetworkEvents']) {
				const r = await hunt(`${table} | summarize count() by DeviceId, DeviceName`);
				expect(r.status).toBe(200);
				expect(r.body.results.length).toBeGreaterThan(1);
				for (const row of r.body.results) expect({ table, name: machines.get(row.DeviceId) }).toEqual({ table, name: row.DeviceName });
			}
		});

		it('counts and summarizes, deterministic across calls', async () => {
			const count = await hunt('EmailEvents | where ThreatTypes has "Phish" | count');
			expect(count.body.schema).toEqual([{ name: 'Count', type: 'Int64' }]);
			const byDirection = await hunt('EmailEvents | where ThreatTypes has "Phish" | summarize count() by EmailDirection');
			const total = byDirection.body.results.reduce((n: number, row: Json) => n + row.count_, 0);
			expect(total).toBe(count.body.results[0].Count);
			expect((await hunt('EmailEvents | where ThreatTypes has "Phish" | count')).body).toEqual(count.body);
		});

		it('applies Timespan to Timestamp', async () => {
			const all = await hunt('DeviceNetworkEvents | count');
			const lastDay = await hunt('DeviceNetworkEvents | count', { Timespan: 'P1D' });
			expect(lastDay.body.results[0].Count).toBeGreaterThan(0);
			expect(lastDay.body.results[0].Count).toBeLessThan(all.body.results[0].Count);
		});

		it('answers bad KQL with 400 and the service error text', async () => {
			const syntax = await hunt('DeviceProcessEvents | wher FileName == "x"');
			expect(syntax.status).toBe(400);
			expect(syntax.body.error.message).toBe("Syntax error: Query could not be parsed at 'wher' on line [1,23]");
			const table = await hunt('NoSuchTable | take 1');
			expect(table.body.error.message).toMatch(/Failed to resolve table or column expression named 'NoSuchTable'/);
			const column = await hunt('DeviceProcessEvents | where Nope == 1');
			expect(column.status).toBe(400);
			expect(column.body.error.message).toMatch(/Failed to resolve scalar expression named 'Nope'/);
		});

		it('serves 100,000 generated rows', async () => {
			cloud.setHuntingRows('IdentityLogonEvents', 100_000);
			const r = await hunt('IdentityLogonEvents | count');
			expect(r.body.results[0].Count).toBe(100_000);
		});
	});

	describe('authentication and permissions', () => {
		it('answers 401 InvalidAuthenticationToken with WWW-Authenticate for a missing, unknown or expired token', async () => {
			const missing = await graph('GET', '/security/incidents', undefined, null);
			expect(missing.status).toBe(401);
			expect(missing.body.error.code).toBe('InvalidAuthenticationToken');
			expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
			const forged = await graph('GET', '/security/incidents', undefined, token.slice(0, -4) + 'AAAA');
			expect(forged.status).toBe(401);

			const own = await appToken(cloud.apps.secret);
			expect((await graph('GET', '/security/incidents', undefined, own)).status).toBe(200);
			cloud.expireAccessTokens();
			const expired = await graph('GET', '/security/incidents', undefined, own);
			expect(expired.status).toBe(401);
			expect(expired.body.error.message).toMatch(/expired/);
			token = await appToken(cloud.apps.secret);
			expect((await graph('GET', '/security/incidents')).status).toBe(200);
		});

		it('answers 403 naming the permission when the read-only app updates or hunts', async () => {
			const readOnly = await appToken(cloud.apps.readOnly);
			const id = cloud.incidents[0].id;
			expect((await graph('GET', `/security/incidents/${id}`, undefined, readOnly)).status).toBe(200);
			const patch = await graph('PATCH', `/security/incidents/${id}`, { status: 'active' }, readOnly);
			expect(patch.status).toBe(403);
			expect(patch.body.error.code).toBe('Forbidden');
			expect(patch.body.error.message).toContain('SecurityIncident.ReadWrite.All');
			const hunt = await graph('POST', '/security/runHuntingQuery', { Query: 'AlertInfo | take 1' }, readOnly);
			expect(hunt.status).toBe(403);
			expect(hunt.body.error.message).toContain('ThreatHunting.Read.All');
		});
	});

	describe('faults, rate limit, request log, control API', () => {
		it('injects a 429 with Retry-After once, then answers normally', async () => {
			cloud.injectFault({ server: 'graph', path: '/v1.0/security/incidents', status: 429, retryAfter: '2', times: 1 });
			const throttled = await list({});
			expect(throttled.status).toBe(429);
			expect(throttled.headers.get('retry-after')).toBe('2');
			expect(throttled.body.error.code).toBe('TooManyRequests');
			expect((await list({})).status).toBe(200);
		});

		it('injects HTML and malformed bodies, matching by method and RegExp', async () => {
			cloud.injectFault({ server: 'graph', method: 'POST', path: /runHuntingQuery/, status: 502, body: 'html' });
			const html = await graph('POST', '/security/runHuntingQuery', { Query: 'AlertInfo | take 1' });
			expect(html.status).toBe(502);
			expect(html.headers.get('content-type')).toMatch(/text\/html/);
			cloud.injectFault({ server: 'graph', status: 500, body: 'malformed' });
			const malformed = await list({});
			expect(malformed.status).toBe(500);
			expect(() => JSON.parse(malformed.body.text)).toThrow();
		});

		it('can hang a request until the client gives up', async () => {
			cloud.injectFault({ server: 'graph', hang: true });
			const controller = new AbortController();
			const pending = fetch(`${cloud.graphEndpoint}/v1.0/security/incidents`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
			await new Promise((resolve) => setTimeout(resolve, 50));
			controller.abort();
			await expect(pending).rejects.toThrow();
			expect(cloud.requests.at(-1)!.status).toBe(-1);
		});

		it('rate-limits Graph with 429 and Retry-After', async () => {
			cloud.setRateLimit({ requests: 3, windowMs: 60_000 });
			const statuses: number[] = [];
			let retryAfter: string | null = null;
			for (let k = 0; k < 5; k++) {
				const r = await list({ $top: '1' });
				statuses.push(r.status);
				if (r.status === 429) retryAfter = r.headers.get('retry-after');
			}
			expect(statuses).toEqual([200, 200, 200, 429, 429]);
			expect(Number(retryAfter)).toBeGreaterThan(0);
			cloud.setRateLimit(null);
			expect((await list({ $top: '1' })).status).toBe(200);
		});

		it('logs raw requests and counts them', async () => {
			await list({ $top: '1' });
			const logged = cloud.requests.at(-1)!;
			expect(logged).toMatchObject({ server: 'graph', method: 'GET', path: '/v1.0/security/incidents', query: { $top: '1' }, status: 200 });
			expect(logged.headers.authorization).toBe(`Bearer ${token}`);
			expect(cloud.counts()).toMatchObject({ graph: 1, token: 0 });
		});

		it('exposes the same control over HTTP under /_sim', async () => {
			const control = async (method: string, path: string, body?: unknown) => {
				const r = await fetch(`${cloud.graphEndpoint}/_sim${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
				return { status: r.status, body: (await r.json()) as Json };
			};
			const info = await control('GET', '/info');
			expect(info.body).toMatchObject({ graphEndpoint: cloud.graphEndpoint, tenantId: cloud.tenantId, apps: { secret: { clientId: cloud.apps.secret.clientId } } });
			const created = await control('POST', '/incidents', { severity: 'high', displayName: 'From control API' });
			expect(created.status).toBe(201);
			expect(cloud.getIncident(created.body.id)!.displayName).toBe('From control API');
			const patched = await control('PATCH', `/incidents/${created.body.id}`, { status: 'inProgress' });
			expect(patched.body.status).toBe('inProgress');
			await control('POST', '/faults', { server: 'graph', pathRegex: 'incidents', status: 503 });
			expect((await list({})).status).toBe(503);
			expect((await control('POST', '/device-codes/approve', {})).status).toBe(400);
			await control('POST', '/tokens/expire');
			expect((await list({})).status).toBe(401);
			token = await appToken(cloud.apps.secret);
			// control requests are not in the log
			expect(cloud.requests.some((r) => r.path.startsWith('/_sim'))).toBe(false);
		});
	});
});
