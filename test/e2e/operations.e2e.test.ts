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

	/** Start feeding every branch (n8n runs them one after the other). */
	function fanOutWorkflow(id: string, name: string, branches: ReturnType<typeof defenderNode>[]) {
		const start = { id: `${id}Start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = linkedWorkflow({ id, name, chain: [start] });
		workflow.nodes.push(...branches.map((node, i) => ({ ...node, position: [240, i * 160] })));
		workflow.connections = { Start: { main: [branches.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } };
		return workflow;
	}

	const updateNode = (name: string, id: string, updateFields: Record<string, string>, continueOnFail = false) =>
		defenderNode(
			name,
			{ authentication: 'clientCredentials', resource: 'incident', operation: 'update', incidentId: { __rl: true, mode: 'id', value: id }, updateFields },
			app,
			{ continueOnFail },
		);

	afterAll(async () => {
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	test('list, get (by id and by portal link), update and hunting query in one workflow', async () => {
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
		await n8n.importWorkflows([fanOutWorkflow('opsAllOperations', 'e2e: all operations', branches)]);
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
				nodes: [updateNode('Update', '1011', { classification: 'falsePositive', determination: 'malware' })],
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

	test("Graph's determinations are accepted; the retired Defender names are refused before any request", async () => {
		const accepted: Array<[string, string, string]> = [
			['1012', 'falsePositive', 'notMalicious'],
			['1013', 'falsePositive', 'notEnoughDataToValidate'],
			['1014', 'truePositive', 'compromisedAccount'],
			['1015', 'informationalExpectedActivity', 'confirmedActivity'],
		];
		const retired: Array<[string, string, string]> = [
			['falsePositive', 'clean', 'notMalicious'],
			['falsePositive', 'insufficientData', 'notEnoughDataToValidate'],
			['truePositive', 'compromisedUser', 'compromisedAccount'],
			['informationalExpectedActivity', 'confirmedUserActivity', 'confirmedActivity'],
		];
		const branches = [
			...accepted.map(([id, classification, determination]) => updateNode(`Set ${determination}`, id, { status: 'resolved', classification, determination })),
			// as saved workflows from before this change carry them
			...retired.map(([classification, old]) => updateNode(`Old ${old}`, '1016', { classification, determination: old }, true)),
		];
		await n8n.importWorkflows([fanOutWorkflow('opsGraphDeterminations', 'e2e: Graph determinations', branches)]);
		const untouched = cloud.getIncident('1016').lastUpdateDateTime;
		const seen = cloud.requests.length; // the log stays whole for the secrets scan

		const result = await executeAndKeep(n8n, SUITE, 'opsGraphDeterminations', 'graph-determinations');
		expectSucceeded(result);
		for (const [id, classification, determination] of accepted) {
			expect(nodeOutput(result.run, `Set ${determination}`)).toEqual([expect.objectContaining({ id, classification, determination })]);
			expect(cloud.getIncident(id)).toMatchObject({ status: 'resolved', classification, determination });
		}
		for (const [, old, graphName] of retired) {
			expect(nodeOutput(result.run, `Old ${old}`)).toEqual([
				{ error: `Determination "${old}" is the retired Defender API's name; Graph calls it "${graphName}"` },
			]);
		}
		const patches = graphRequests(cloud, seen).filter((r) => r.method === 'PATCH');
		expect(patches.map((r) => r.path).sort()).toEqual(accepted.map(([id]) => `/v1.0/security/incidents/${id}`));
		expect(cloud.getIncident('1016').lastUpdateDateTime).toBe(untouched);
	});

	test('a retired name stops the run with the statement once (no description repeating it)', async () => {
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'opsRetiredDetermination',
				name: 'e2e: retired determination',
				nodes: [updateNode('Update', '1016', { classification: 'falsePositive', determination: '={{ "clean" }}' })],
			}),
		]);
		const seen = cloud.requests.length; // the log stays whole for the secrets scan
		const result = await executeAndKeep(n8n, SUITE, 'opsRetiredDetermination', 'retired-determination');
		expect(result.code).toBe(1);
		expect(result.error.message).toBe('Determination "clean" is the retired Defender API\'s name; Graph calls it "notMalicious"');
		const description = String(result.error.description ?? '');
		expect(description).not.toContain('retired');
		expect(graphRequests(cloud, seen)).toHaveLength(0);
	});

	test('an awaitingAction incident is listed with that status and found by the status filter; every incidents request sends the Prefer header', async () => {
		const waiting = cloud.createIncident({ status: 'awaitingAction', severity: 'high' });
		const list = (name: string, filters: Record<string, unknown>) =>
			defenderNode(name, { authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', returnAll: true, filters }, app);
		const branches = [list('List All', {}), list('List Awaiting Action', { status: ['awaitingAction'] })];
		await n8n.importWorkflows([fanOutWorkflow('opsAwaitingAction', 'e2e: awaiting action', branches)]);
		const seen = cloud.requests.length; // the log stays whole for the secrets scan

		const result = await executeAndKeep(n8n, SUITE, 'opsAwaitingAction', 'awaiting-action');
		expectSucceeded(result);
		const all = nodeOutput(result.run, 'List All')!;
		expect(all.find((i) => i.id === waiting.id)?.status).toBe('awaitingAction');
		expect(all.some((i) => i.status === 'unknownFutureValue')).toBe(false);
		const expected = cloud.incidents.filter((i) => i.status === 'awaitingAction').map((i) => i.id);
		expect(expected).toContain(waiting.id);
		expect(nodeOutput(result.run, 'List Awaiting Action')!.map((i) => i.id)).toEqual(expected);

		const incidentsRequests = graphRequests(cloud, seen).filter((r) => r.path.startsWith('/v1.0/security/incidents'));
		expect(incidentsRequests.length).toBeGreaterThanOrEqual(2);
		for (const request of incidentsRequests) expect(request.headers.prefer).toBe('include-unknown-enum-members');
	});
});
