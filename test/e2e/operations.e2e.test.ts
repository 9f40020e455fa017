// Every operation of the Microsoft 365 Defender node, run by a real n8n (`n8n execute`) against the
// simulated cloud with an app (client secret) credential; plus the error paths: Microsoft's 404 with and
// without Continue On Fail, and input refused before any request is sent.
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
import { defenderNode, linkedWorkflow, manualWorkflow } from '../../e2e/lib/workflows';
import { graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { executeAndKeep, expectSucceeded, newN8n } from './support/run';

const SUITE = 'operations';

describe('node operations in n8n 2.40.7 (client secret credential)', () => {
	let cloud: SimCloud;
	let n8n: N8nInstance;
	let app: ReturnType<typeof credentialRef>;

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 20 });
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
		const credentials = simCredentials(cloud);
		app = credentialRef(credentials.clientSecret);
		await n8n.importCredentials([credentials.clientSecret]);
	});

	afterAll(async () => {
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	test('list, get (by id and by portal link), update and hunting query in one workflow', async () => {
		const start = { id: 'opsStart', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		const branches = [
			defenderNode('List 7', { authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', limit: 7 }, app),
			defenderNode(
				'List Active High',
				{
					authentication: 'clientCredentials',
					resource: 'incident',
					operation: 'getAll',
					returnAll: true,
					filters: { severity: ['high', 'medium'], status: ['active'] },
				},
				app,
			),
			defenderNode(
				'Get By Id',
				{ authentication: 'clientCredentials', resource: 'incident', operation: 'get', incidentId: { __rl: true, mode: 'id', value: '1005' }, options: { includeAlerts: true } },
				app,
			),
			defenderNode(
				'Get By Link',
				{
					authentication: 'clientCredentials',
					resource: 'incident',
					operation: 'get',
					incidentId: { __rl: true, mode: 'url', value: `https://security.microsoft.com/incidents/1006?tid=${cloud.tenantId}` },
				},
				app,
			),
			defenderNode(
				'Update',
				{
					authentication: 'clientCredentials',
					resource: 'incident',
					operation: 'update',
					incidentId: { __rl: true, mode: 'id', value: '1010' },
					updateFields: {
						status: 'resolved',
						classification: 'truePositive',
						determination: 'malware',
						assignedTo: 'soc.analyst@simcontoso.onmicrosoft.com',
						customTags: 'e2e, ransomware',
						comment: 'Contained by the e2e suite',
					},
				},
				app,
			),
			defenderNode(
				'Hunt',
				{
					authentication: 'clientCredentials',
					resource: 'huntingQuery',
					operation: 'run',
					query: 'DeviceProcessEvents | take 3 | project Timestamp, DeviceName, FileName',
					options: { timespan: 'P7D' },
				},
				app,
			),
		];
		// Start feeds every branch (n8n runs them one after the other).
		const workflow = linkedWorkflow({ id: 'opsAllOperations', name: 'e2e: all operations', chain: [start] });
		workflow.nodes.push(...branches.map((node, i) => ({ ...node, position: [240, i * 160] })));
		workflow.connections = { Start: { main: [branches.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } };
		await n8n.importWorkflows([workflow]);
		const seeded = cloud.incidents; // newest first, before the update

		const result = await executeAndKeep(n8n, SUITE, 'opsAllOperations', 'all-operations');
		expectSucceeded(result);

		// getAll with a limit: the newest 7, over two pages of 5
		const list7 = nodeOutput(result.run, 'List 7')!;
		expect(list7.map((i) => i.id)).toEqual(seeded.slice(0, 7).map((i) => i.id));
		const listRequests = graphRequests(cloud).filter((r) => r.method === 'GET' && r.path === '/v1.0/security/incidents' && !r.query.$filter);
		expect(listRequests).toHaveLength(2);

		// returnAll with filters: exactly the matching incidents, across all pages
		const activeHigh = nodeOutput(result.run, 'List Active High')!;
		const expected = seeded.filter((i) => ['high', 'medium'].includes(i.severity) && i.status === 'active');
		expect(expected.length).toBeGreaterThan(0);
		expect(activeHigh.map((i) => i.id)).toEqual(expected.map((i) => i.id));
		const filtered = graphRequests(cloud).find((r) => r.query.$filter !== undefined)!;
		expect(filtered.query.$filter).toMatch(/severity eq 'high'/);
		expect(filtered.query.$filter).toMatch(/status eq 'active'/);

		const byId = nodeOutput(result.run, 'Get By Id')!;
		expect(byId).toHaveLength(1);
		expect(byId[0].id).toBe('1005');
		expect(Array.isArray(byId[0].alerts)).toBe(true);
		expect(byId[0].alerts.length).toBeGreaterThan(0);

		expect(nodeOutput(result.run, 'Get By Link')!.map((i) => i.id)).toEqual(['1006']);

		const updated = nodeOutput(result.run, 'Update')!;
		expect(updated).toHaveLength(1);
		expect(updated[0]).toMatchObject({ id: '1010', status: 'resolved', classification: 'truePositive', determination: 'malware' });
		const stored = cloud.getIncident('1010');
		expect(stored).toMatchObject({ status: 'resolved', classification: 'truePositive', determination: 'malware', assignedTo: 'soc.analyst@simcontoso.onmicrosoft.com' });
		expect(stored.customTags).toEqual(['e2e', 'ransomware']);
		expect(stored.comments.map((c: { comment: string }) => c.comment)).toContain('Contained by the e2e suite');

		const rows = nodeOutput(result.run, 'Hunt')!;
		expect(rows).toHaveLength(3);
		for (const row of rows) expect(Object.keys(row).sort()).toEqual(['DeviceName', 'FileName', 'Timestamp']);
		const hunt = graphRequests(cloud).find((r) => r.path === '/v1.0/security/runHuntingQuery')!;
		expect(JSON.parse(hunt.body)).toEqual({ query: expect.stringContaining('DeviceProcessEvents'), timespan: 'P7D' });
	});

	test('Continue On Fail: a missing incident becomes an error item, the other items go through', async () => {
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'opsContinueOnFail',
				name: 'e2e: continue on fail',
				items: [{ incident: '1003' }, { incident: '999999' }, { incident: '1004' }],
				nodes: [
					defenderNode(
						'Get',
						{ authentication: 'clientCredentials', resource: 'incident', operation: 'get', incidentId: { __rl: true, mode: 'id', value: '={{ $json.incident }}' } },
						app,
						{ continueOnFail: true },
					),
				],
			}),
		]);
		const result = await executeAndKeep(n8n, SUITE, 'opsContinueOnFail', 'continue-on-fail');
		expectSucceeded(result);
		const out = nodeOutput(result.run, 'Get')!;
		expect(out).toHaveLength(3);
		expect(out[0].id).toBe('1003');
		expect(out[1]).toEqual({ error: expect.stringMatching(/999999/) });
		expect(out[1].error).toMatch(/not found/i);
		expect(out[2].id).toBe('1004');
	});

	test('without Continue On Fail the run fails with Microsoft\'s error', async () => {
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'opsStopOnError',
				name: 'e2e: stop on error',
				nodes: [
					defenderNode(
						'Get',
						{ authentication: 'clientCredentials', resource: 'incident', operation: 'get', incidentId: { __rl: true, mode: 'id', value: '999999' } },
						app,
					),
				],
			}),
		]);
		const result = await executeAndKeep(n8n, SUITE, 'opsStopOnError', 'stop-on-error');
		expect(result.code).toBe(1);
		expect(result.error).toBeDefined();
		const text = `${result.error.message} ${result.error.description ?? ''}`;
		expect(text).toMatch(/999999/);
		expect(text).toMatch(/not found/i);
		expect(String(result.error.httpCode ?? '')).toBe('404');
	});

	test('an impossible update is refused before any request is sent', async () => {
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'opsBadDetermination',
				name: 'e2e: bad determination',
				nodes: [
					defenderNode(
						'Update',
						{
							authentication: 'clientCredentials',
							resource: 'incident',
							operation: 'update',
							incidentId: { __rl: true, mode: 'id', value: '1011' },
							updateFields: { classification: 'falsePositive', determination: 'malware' },
						},
						app,
					),
				],
			}),
		]);
		const before = cloud.getIncident('1011').lastUpdateDateTime;
		const patchesBefore = graphRequests(cloud).filter((r) => r.method !== 'GET').length;
		const result = await executeAndKeep(n8n, SUITE, 'opsBadDetermination', 'bad-determination');
		expect(result.code).toBe(1);
		expect(result.error.message).toMatch(/Determination/);
		expect(result.error.message).toMatch(/falsePositive/);
		expect(graphRequests(cloud).filter((r) => r.method !== 'GET').length).toBe(patchesBefore);
		expect(cloud.getIncident('1011').lastUpdateDateTime).toBe(before);
	});
});
