// Resource Alert run by a real n8n (`n8n execute`) against the simulated alerts_v2: every operation,
// filters combined, Return All over several pages, incident -> alerts -> evidence, Continue On Fail, a bad
// pairing refused with no PATCH sent, and a 403 that names SecurityAlert.ReadWrite.All.
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
import { defenderNode, linkedWorkflow, manualWorkflow } from '../../e2e/lib/workflows';
import { graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { executeAndKeep, expectSucceeded, newN8n } from './support/run';

const SUITE = 'alerts';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('alert operations in n8n 2.40.7 (client secret credential)', () => {
	let cloud: SimCloud & Json;
	let n8n: N8nInstance;
	let app: ReturnType<typeof credentialRef>;
	let readOnly: ReturnType<typeof credentialRef>;
	const auth = { authentication: 'clientCredentials', resource: 'alert' };

	beforeAll(async () => {
		// alert pages of 5 (Graph: 2,000), so Return All crosses several pages
		cloud = await startCloud({ pageSize: 5, incidents: 20, alertPageSize: 5 });
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
		const credentials = simCredentials(cloud);
		const readOnlyCredential = {
			...credentials.clientSecret,
			id: 'e2eAppReadOnly01',
			name: 'Defender reader (client secret)',
			data: { ...credentials.clientSecret.data, clientId: cloud.apps.readOnly.clientId, clientSecret: cloud.apps.readOnly.clientSecret },
		};
		app = credentialRef(credentials.clientSecret);
		readOnly = credentialRef(readOnlyCredential);
		await n8n.importCredentials([credentials.clientSecret, readOnlyCredential]);
	});

	afterAll(async () => {
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	test('list (limit, filters over every page, by incident), get (id, portal link), update with a comment', async () => {
		const seeded: Json[] = cloud.alerts; // newest first, before the update
		const incidentId = seeded[3].incidentId;
		const target = seeded[5];
		const start = { id: 'alStart', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		const branches = [
			defenderNode('List 7', { ...auth, operation: 'getAll', limit: 7 }, app),
			defenderNode(
				'List Filtered',
				{ ...auth, operation: 'getAll', returnAll: true, filters: { status: ['new', 'resolved'], severity: ['high', 'medium', 'low', 'informational'], serviceSource: ['microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity', 'microsoftDefenderForOffice365'] } },
				app,
			),
			defenderNode('List Of Incident', { ...auth, operation: 'getAll', returnAll: true, filters: { incidentId } }, app),
			defenderNode('Get By Id', { ...auth, operation: 'get', alertId: { __rl: true, mode: 'id', value: seeded[0].id } }, app),
			defenderNode('Get By Link', { ...auth, operation: 'get', alertId: { __rl: true, mode: 'url', value: seeded[1].alertWebUrl } }, app),
			defenderNode(
				'Update',
				{
					...auth,
					operation: 'update',
					alertId: { __rl: true, mode: 'id', value: target.id },
					updateFields: { status: 'resolved', classification: 'truePositive', determination: 'malware', assignedTo: 'soc.analyst@simcontoso.onmicrosoft.com', comment: 'Isolated by the e2e suite' },
				},
				app,
			),
		];
		const workflow = linkedWorkflow({ id: 'alAllOperations', name: 'e2e: all alert operations', chain: [start] });
		workflow.nodes.push(...branches.map((node, i) => ({ ...node, position: [240, i * 160] })));
		workflow.connections = { Start: { main: [branches.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } };
		await n8n.importWorkflows([workflow]);

		const result = await executeAndKeep(n8n, SUITE, 'alAllOperations', 'all-operations');
		expectSucceeded(result);

		expect(nodeOutput(result.run, 'List 7')!.map((a) => a.id)).toEqual(seeded.slice(0, 7).map((a) => a.id));

		const filtered = nodeOutput(result.run, 'List Filtered')!;
		const sources = ['microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity', 'microsoftDefenderForOffice365'];
		const expected = seeded.filter((a) => ['new', 'resolved'].includes(a.status) && a.severity !== 'unknown' && sources.includes(a.serviceSource));
		expect(expected.length).toBeGreaterThan(10);
		expect(filtered.map((a) => a.id)).toEqual(expected.map((a) => a.id));
		const filteredPages = graphRequests(cloud).filter((r) => r.path === '/v1.0/security/alerts_v2' && r.query.$filter?.includes('serviceSource'));
		expect(filteredPages.length).toBeGreaterThanOrEqual(3);
		const device = filtered[0].evidence.find((e: Json) => e['@odata.type'] === '#microsoft.graph.security.deviceEvidence');
		expect(device.mdeDeviceId).toMatch(/^[0-9a-f]{40}$/);

		const ofIncident = nodeOutput(result.run, 'List Of Incident')!;
		expect(ofIncident.map((a) => a.id).sort()).toEqual(cloud.getIncident(incidentId).alerts.map((a: Json) => a.id).sort());
		expect(graphRequests(cloud).some((r) => r.path === `/v1.0/security/incidents/${incidentId}` && r.query.$expand === 'alerts')).toBe(true);

		expect(nodeOutput(result.run, 'Get By Id')!.map((a) => a.id)).toEqual([seeded[0].id]);
		expect(nodeOutput(result.run, 'Get By Link')!.map((a) => a.id)).toEqual([seeded[1].id]);

		const updated = nodeOutput(result.run, 'Update')!;
		expect(updated).toHaveLength(1);
		expect(updated[0]).toMatchObject({ id: target.id, status: 'resolved', classification: 'truePositive', determination: 'malware' });
		const stored = cloud.getAlert(target.id);
		expect(stored).toMatchObject({ status: 'resolved', classification: 'truePositive', determination: 'malware', assignedTo: 'soc.analyst@simcontoso.onmicrosoft.com' });
		expect(stored.comments.map((c: Json) => c.comment)).toEqual(['Isolated by the e2e suite']);
	});

	test('Continue On Fail: a missing alert becomes an error item, the others go through', async () => {
		const [a, b] = cloud.alerts;
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'alContinueOnFail',
				name: 'e2e: alert continue on fail',
				items: [{ alert: a.id }, { alert: 'da_missing_0001' }, { alert: b.id }],
				nodes: [defenderNode('Get', { ...auth, operation: 'get', alertId: { __rl: true, mode: 'id', value: '={{ $json.alert }}' } }, app, { continueOnFail: true })],
			}),
		]);
		const result = await executeAndKeep(n8n, SUITE, 'alContinueOnFail', 'continue-on-fail');
		expectSucceeded(result);
		const out = nodeOutput(result.run, 'Get')!;
		expect(out.map((item) => item.id ?? item.error)).toEqual([a.id, 'Alert da_missing_0001 not found (HTTP 404, NotFound)', b.id]);
	});

	test('a bad pairing and a retired determination name are refused with no PATCH sent; a read-only app gets a 403 naming SecurityAlert.ReadWrite.All', async () => {
		const target = cloud.alerts[2];
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'alBadPairing',
				name: 'e2e: alert bad pairing',
				nodes: [defenderNode('Update', { ...auth, operation: 'update', alertId: { __rl: true, mode: 'id', value: target.id }, updateFields: { classification: 'falsePositive', determination: 'malware' } }, app)],
			}),
			manualWorkflow({
				id: 'alForbidden',
				name: 'e2e: alert update without permission',
				nodes: [defenderNode('Update', { ...auth, operation: 'update', alertId: { __rl: true, mode: 'id', value: target.id }, updateFields: { status: 'inProgress' } }, readOnly)],
			}),
		]);
		const before = cloud.getAlert(target.id).lastUpdateDateTime;
		const patches = () => graphRequests(cloud).filter((r) => r.method === 'PATCH').length;
		const patchesBefore = patches();
		const bad = await executeAndKeep(n8n, SUITE, 'alBadPairing', 'bad-pairing');
		expect(bad.code).toBe(1);
		expect(bad.error.message).toMatch(/^Determination "malware" does not fit classification "falsePositive"/);
		expect(patches()).toBe(patchesBefore);

		await n8n.importWorkflows([
			manualWorkflow({
				id: 'alOldDetermination',
				name: 'e2e: alert retired determination name',
				nodes: [defenderNode('Update', { ...auth, operation: 'update', alertId: { __rl: true, mode: 'id', value: target.id }, updateFields: { classification: 'truePositive', determination: 'compromisedUser' } }, app)],
			}),
		]);
		const old = await executeAndKeep(n8n, SUITE, 'alOldDetermination', 'old-determination');
		expect(old.code).toBe(1);
		expect(old.error.message).toContain('compromisedAccount');
		expect(patches()).toBe(patchesBefore);

		const forbidden = await executeAndKeep(n8n, SUITE, 'alForbidden', 'forbidden');
		expect(forbidden.code).toBe(1);
		expect(forbidden.error.description).toMatch(/This needs the Microsoft Graph permission SecurityAlert\.ReadWrite\.All /);
		expect(String(forbidden.error.httpCode ?? '')).toBe('403');
		expect(cloud.getAlert(target.id).lastUpdateDateTime).toBe(before);
	});
});
