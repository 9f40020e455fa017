/* The simulated alerts_v2 against Microsoft's docs and the CSDL: documented filters only, CSDL literals, read-only refused. */
import { startSimulatedCloud, type SimApp, type SimCloud } from '../../sim';

type Json = Record<string, any>;

let cloud: SimCloud;
let token: string;

async function appToken(app: SimApp): Promise<string> {
	const r = await fetch(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret!, scope: `${cloud.graphEndpoint}/.default` }),
	});
	return ((await r.json()) as Json).access_token;
}

async function graph(method: string, path: string, body?: unknown, bearer = token) {
	const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
	if (body !== undefined) headers['content-type'] = 'application/json';
	const r = await fetch(path.startsWith('https://') ? path : `${cloud.graphEndpoint}/v1.0${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: r.status, body: (await r.json()) as Json };
}
const list = async (query: Record<string, string>) => await graph('GET', `/security/alerts_v2?${new URLSearchParams(query)}`);

beforeAll(async () => {
	cloud = await startSimulatedCloud({ incidents: 6, alertPageSize: 4, trustCa: true });
	token = await appToken(cloud.apps.secret);
});
afterAll(async () => await cloud.stop());

test('list: newest first, pages of alertPageSize with an absolute $skip nextLink, $count', async () => {
	const all = cloud.alerts;
	expect(all.length).toBeGreaterThan(4);
	const first = await list({ $count: 'true' });
	expect(first.status).toBe(200);
	expect(first.body['@odata.count']).toBe(all.length);
	expect(first.body.value.map((a: Json) => a.id)).toEqual(all.slice(0, 4).map((a) => a.id));
	expect(first.body['@odata.nextLink']).toBe(`${cloud.graphEndpoint}/v1.0/security/alerts_v2?$count=true&$skip=4`);
	const second = await graph('GET', first.body['@odata.nextLink']);
	expect(second.body.value.map((a: Json) => a.id)).toEqual(all.slice(4, 8).map((a) => a.id));
});

test('every documented filterable property works; others are refused as not filterable or unknown', async () => {
	const alert = cloud.alerts[0];
	for (const filter of [
		`status eq '${alert.status}'`,
		`severity eq '${alert.severity}'`,
		`serviceSource eq '${alert.serviceSource}'`,
		`classification eq '${alert.classification}'`,
		`determination eq '${alert.determination}'`,
		`createdDateTime ge ${alert.createdDateTime}`,
		`lastUpdateDateTime ge ${alert.lastUpdateDateTime}`,
		"assignedTo eq null or assignedTo ne null",
	]) {
		const r = await list({ $filter: filter, $top: '100' });
		expect([filter, r.status]).toEqual([filter, 200]);
		expect(r.body.value.map((a: Json) => a.id)).toContain(alert.id);
	}
	const notFilterable = await list({ $filter: `incidentId eq '${alert.incidentId}'` });
	expect(notFilterable.status).toBe(400);
	expect(notFilterable.body.error.message).toMatch(/Filtering by property 'incidentId' is not supported/);
	const unknown = await list({ $filter: "displayName eq 'x'" });
	expect(unknown.body.error.message).toMatch(/Could not find a property named 'displayName' on type 'microsoft.graph.security.alert'/);
	const oldLiteral = await list({ $filter: "status eq 'active'" });
	expect(oldLiteral.status).toBe(400);
	expect(oldLiteral.body.error.message).toMatch(/not a valid enumeration type constant/);
	const expand = await list({ $expand: 'evidence' });
	expect(expand.status).toBe(400);
});

test('PATCH: the four updatable properties with CSDL literals; read-only, unknown and old literals refused', async () => {
	const alert = cloud.alerts[1];
	const ok = await graph('PATCH', `/security/alerts_v2/${alert.id}`, {
		status: 'inProgress',
		assignedTo: 'lee.gu@contoso.com',
		classification: 'truePositive',
		determination: 'compromisedAccount',
	});
	expect(ok.status).toBe(200);
	expect(ok.body).toEqual(expect.objectContaining({ status: 'inProgress', determination: 'compromisedAccount' }));
	expect(ok.body.lastUpdateDateTime > alert.lastUpdateDateTime).toBe(true);
	for (const [body, message] of [
		[{ severity: 'high' }, /The property 'severity' of type 'microsoft.graph.security.alert' cannot be updated/],
		[{ incidentId: '1' }, /The property 'incidentId' of type 'microsoft.graph.security.alert' cannot be updated/],
		[{ nickname: 'x' }, /The property 'nickname' does not exist on type 'microsoft.graph.security.alert'/],
		[{ determination: 'compromisedUser' }, /Cannot convert the literal 'compromisedUser' to the expected type 'microsoft.graph.security.alertDetermination'/],
		[{ status: 'active' }, /Cannot convert the literal 'active' to the expected type 'microsoft.graph.security.alertStatus'/],
	] as const) {
		const r = await graph('PATCH', `/security/alerts_v2/${alert.id}`, body);
		expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 400]);
		expect(r.body.error.message).toMatch(message);
	}
	expect((await graph('GET', '/security/alerts_v2/nope')).status).toBe(404);
});

test('comments: POST answers with every comment; incidents $expand=alerts show the same alert', async () => {
	const alert = cloud.alerts[2];
	await graph('POST', `/security/alerts_v2/${alert.id}/comments`, { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'one' });
	const r = await graph('POST', `/security/alerts_v2/${alert.id}/comments`, { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'two' });
	expect(r.status).toBe(200);
	expect(r.body.value.map((c: Json) => c.comment)).toEqual(['one', 'two']);
	const incident = await graph('GET', `/security/incidents/${alert.incidentId}?$expand=alerts`);
	const inIncident = incident.body.alerts.find((a: Json) => a.id === alert.id);
	const direct = await graph('GET', `/security/alerts_v2/${alert.id}`);
	const { '@odata.context': _context, ...directAlert } = direct.body;
	expect(inIncident).toEqual(directAlert);
});

test('permissions: reading needs SecurityAlert.Read.All, writing SecurityAlert.ReadWrite.All', async () => {
	const reader = await appToken(cloud.apps.readOnly);
	expect((await list({})).status).toBe(200);
	expect((await graph('GET', '/security/alerts_v2', undefined, reader)).status).toBe(200);
	const write = await graph('PATCH', `/security/alerts_v2/${cloud.alerts[0].id}`, { status: 'new' }, reader);
	expect(write.status).toBe(403);
	expect(write.body.error.message).toContain("API requires one of 'SecurityAlert.ReadWrite.All'");
	const incidentsOnly = await appToken(cloud.registerApp({ roles: ['SecurityIncident.ReadWrite.All'], secret: true }));
	expect((await graph('GET', '/security/alerts_v2', undefined, incidentsOnly)).status).toBe(403);
});

test("evidence: the alert's device is an onboarded Defender for Endpoint machine (mdeDeviceId and DNS name of a seeded machine)", async () => {
	const machines = new Map(cloud.mde.machines.map((m: Json) => [m.id, m.computerDnsName]));
	const alerts = [...cloud.alerts, cloud.createAlert({ severity: 'high' })];
	for (const alert of alerts) {
		const devices = (alert.evidence as Json[]).filter((e) => e['@odata.type'] === '#microsoft.graph.security.deviceEvidence');
		const files = (alert.evidence as Json[]).filter((e) => e['@odata.type'] === '#microsoft.graph.security.fileEvidence');
		expect(devices.length).toBeGreaterThan(0);
		for (const device of devices) expect({ alert: alert.id, name: machines.get(device.mdeDeviceId) }).toEqual({ alert: alert.id, name: device.deviceDnsName });
		for (const file of files) expect(machines.has(file.mdeDeviceId)).toBe(true);
	}
	// the evidence spreads over the seeded machines, not one device for every alert
	const used = new Set(alerts.flatMap((a) => (a.evidence as Json[]).map((e) => e.mdeDeviceId).filter(Boolean)));
	expect(used.size).toBeGreaterThan(1);
});
