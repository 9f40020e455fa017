// Defender for Endpoint devices and indicators in a real n8n (`n8n execute`) against the simulated cloud:
// every device and indicator operation with an app (client secret) credential in one workflow (Wait For
// Completion included), then each credential type listing devices with its own Defender for Endpoint token
// (certificate, managed identity, device code with "Defender for Endpoint Access" on), and bad input refused
// with no request sent.
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
import { defenderNode, linkedWorkflow, manualWorkflow } from '../../e2e/lib/workflows';
import { recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { executeAndKeep, expectSucceeded, newN8n } from './support/run';

const SUITE = 'devices';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('Defender for Endpoint devices and indicators in n8n 2.40.7', () => {
	let cloud: SimCloud & Json;
	let n8n: N8nInstance;
	let credentials: ReturnType<typeof simCredentials>;
	let machines: string[];

	const withMde = <T extends { data: Record<string, unknown> }>(credential: T): T => ({ ...credential, data: { ...credential.data, mdeEndpoint: cloud.mdeEndpoint } });
	const mdeRequests = (from = 0) => cloud.requests.slice(from).filter((r: Json) => r.server === 'mde');
	const audience = (r: Json) => {
		const token = /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
		return token ? JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).aud : undefined;
	};

	beforeAll(async () => {
		cloud = (await startCloud({ pageSize: 5, incidents: 4 })) as SimCloud & Json;
		// quick machine actions: Succeeded 1 s after they are created (the node's first read is after 5 s)
		cloud.mde.actions.setTiming({ pendingMs: 0, inProgressMs: 1000 });
		machines = Array.from({ length: 8 }, (_, k) => cloud.mde.addMachine({ computerDnsName: `e2e-${k}.simcontoso.com`, osPlatform: 'Windows11' }).id);
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
		const sim = simCredentials(cloud);
		credentials = {
			...sim,
			clientSecret: withMde(sim.clientSecret),
			clientCertificate: withMde(sim.clientCertificate),
			systemIdentity: withMde(sim.systemIdentity),
			deviceCode: withMde({ ...sim.deviceCode, data: { ...sim.deviceCode.data, clientId: cloud.mdePublicClientId, mdeAccess: true } }),
		};
		await n8n.importCredentials([credentials.clientSecret, credentials.clientCertificate, credentials.systemIdentity, credentials.deviceCode]);
	});

	afterAll(async () => {
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	function fanOutWorkflow(id: string, name: string, branches: ReturnType<typeof defenderNode>[]) {
		const start = { id: `${id}Start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = linkedWorkflow({ id, name, chain: [start] });
		workflow.nodes.push(...branches.map((node, i) => ({ ...node, position: [240, i * 160] })));
		workflow.connections = { Start: { main: [branches.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } };
		return workflow;
	}

	test('every device and indicator operation (client secret), Wait For Completion included', async () => {
		const app = credentialRef(credentials.clientSecret);
		const device = (k: number) => ({ __rl: true, mode: 'id', value: machines[k] });
		const node = (name: string, parameters: Json) => defenderNode(name, { authentication: 'clientCredentials', ...parameters }, app);
		const existing = cloud.mde.addIndicator({ indicatorValue: 'old.example.com', indicatorType: 'DomainName', action: 'Block', title: 't', description: 'd' });
		const branches = [
			node('List', { resource: 'device', operation: 'getAll', returnAll: true, filters: { nameStartsWith: 'e2e-' } }),
			node('Get By Name', { resource: 'device', operation: 'get', deviceId: { __rl: true, mode: 'name', value: 'e2e-1.simcontoso.com' } }),
			node('Isolate And Wait', { resource: 'device', operation: 'isolate', deviceId: device(0), comment: 'e2e: contain', options: { waitForCompletion: true } }),
			node('Release', { resource: 'device', operation: 'releaseFromIsolation', deviceId: device(1), comment: 'e2e: release' }),
			node('Scan', { resource: 'device', operation: 'runAntivirusScan', deviceId: device(2), comment: 'e2e: scan', scanType: 'Full' }),
			node('Collect', { resource: 'device', operation: 'collectInvestigationPackage', deviceId: device(3), comment: 'e2e: collect', options: { waitForCompletion: true } }),
			node('Restrict', { resource: 'device', operation: 'restrictAppExecution', deviceId: device(4), comment: 'e2e: restrict' }),
			node('Unrestrict', { resource: 'device', operation: 'removeAppRestriction', deviceId: device(5), comment: 'e2e: unrestrict' }),
			node('Quarantine', { resource: 'device', operation: 'stopAndQuarantineFile', deviceId: device(6), comment: 'e2e: quarantine', sha1: '87662bc3d60e4200ceaf7aae249d1c343f4b83c9' }),
			node('Submit Indicator', { resource: 'indicator', operation: 'create', indicatorType: 'Url', indicatorValue: 'https://c2.example.com/beacon', action: 'Audit', title: 'e2e C2', description: 'from the e2e suite' }),
			node('List Indicators', { resource: 'indicator', operation: 'getAll', returnAll: true, filters: { indicatorType: ['DomainName'] } }),
			node('Delete Indicator', { resource: 'indicator', operation: 'delete', indicatorId: String(existing.id) }),
		];
		await n8n.importWorkflows([fanOutWorkflow('mdeAllOperations', 'e2e: all device and indicator operations', branches)]);
		const from = cloud.requests.length;
		const result = await executeAndKeep(n8n, SUITE, 'mdeAllOperations', 'all-operations');
		expectSucceeded(result);
		const out = (name: string) => nodeOutput(result.run, name)!;

		expect(out('List').map((d: Json) => d.id).sort()).toEqual([...machines].sort());
		expect(out('Get By Name').map((d: Json) => d.id)).toEqual([machines[1]]);
		expect(out('Isolate And Wait')).toEqual([expect.objectContaining({ type: 'Isolate', status: 'Succeeded', machineId: machines[0], requestorComment: 'e2e: contain' })]);
		const expectations: Array<[string, string, number]> = [
			['Release', 'Unisolate', 1],
			['Scan', 'RunAntiVirusScan', 2],
			['Restrict', 'RestrictCodeExecution', 4],
			['Unrestrict', 'UnrestrictCodeExecution', 5],
			['Quarantine', 'StopAndQuarantineFile', 6],
		];
		for (const [name, type, k] of expectations) {
			expect(out(name)).toEqual([expect.objectContaining({ type, machineId: machines[k] })]);
		}
		const [collected] = out('Collect');
		expect(collected).toMatchObject({ type: 'CollectInvestigationPackage', status: 'Succeeded' });
		expect(String(collected.packageUri)).toContain(`${cloud.mdeEndpoint}/packages/${collected.id}.zip`);
		expect(out('Submit Indicator')).toEqual([expect.objectContaining({ indicatorValue: 'https://c2.example.com/beacon', action: 'Audit', generateAlert: true })]);
		expect(out('List Indicators').map((i: Json) => i.indicatorValue)).toEqual(['old.example.com']);
		expect(out('Delete Indicator')).toEqual([{ id: String(existing.id), deleted: true }]);
		expect(cloud.mde.indicators.items.map((i: Json) => i.indicatorValue)).toEqual(['https://c2.example.com/beacon']);

		// Defender's own bodies, and only MDE tokens on the MDE host
		const sent = mdeRequests(from);
		const scan = sent.find((r: Json) => r.path.endsWith('/runAntiVirusScan'));
		expect(JSON.parse(scan.body)).toEqual({ Comment: 'e2e: scan', ScanType: 'Full' });
		expect(new Set(sent.map(audience))).toEqual(new Set([cloud.mdeEndpoint]));
		expect(sent.filter((r: Json) => r.status === 429)).toEqual([]);
	});

	const listDevices = (id: string, authentication: string, credential: Json) =>
		manualWorkflow({
			id,
			name: `e2e: list devices (${authentication})`,
			nodes: [defenderNode('List', { authentication, resource: 'device', operation: 'getAll', limit: 3 }, credentialRef(credential))],
		});

	test.each([
		['certificate', 'mdeListCert', 'clientCredentials', 'clientCertificate'],
		['managed identity', 'mdeListIdentity', 'managedIdentity', 'systemIdentity'],
	] as const)('%s: devices listed with its own Defender for Endpoint token', async (_label, id, authentication, key) => {
		await n8n.importWorkflows([listDevices(id, authentication, credentials[key])]);
		const from = cloud.requests.length;
		const result = await executeAndKeep(n8n, SUITE, id, id);
		expectSucceeded(result);
		expect(nodeOutput(result.run, 'List')).toHaveLength(3);
		const sent = mdeRequests(from);
		expect(sent).toHaveLength(1);
		expect(audience(sent[0])).toBe(cloud.mdeEndpoint);
	});

	test('device code with Defender for Endpoint Access on: sign in once, then devices with a delegated MDE token', async () => {
		await n8n.importWorkflows([listDevices('mdeListDeviceCode', 'deviceCode', credentials.deviceCode)]);
		const first = await executeAndKeep(n8n, SUITE, 'mdeListDeviceCode', 'device-code-1');
		expect(first.code).toBe(1);
		expect(`${first.error?.message}`).toMatch(/To sign in, open/);
		cloud.approveDeviceCode(cloud.deviceCodeList()[0].userCode);
		const from = cloud.requests.length;
		const second = await executeAndKeep(n8n, SUITE, 'mdeListDeviceCode', 'device-code-2');
		expectSucceeded(second);
		expect(nodeOutput(second.run, 'List')).toHaveLength(3);
		const sent = mdeRequests(from);
		expect(sent.map(audience)).toEqual([cloud.mdeEndpoint]);
	});

	test('bad input (a SHA-256 for Stop And Quarantine, a CIDR range) is refused with no request sent', async () => {
		const app = credentialRef(credentials.clientSecret);
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'mdeBadInput',
				name: 'e2e: bad device and indicator input',
				items: [{ sha1: 'a'.repeat(64), ip: '192.0.2.0/24' }],
				nodes: [
					defenderNode(
						'Quarantine',
						{ authentication: 'clientCredentials', resource: 'device', operation: 'stopAndQuarantineFile', deviceId: { __rl: true, mode: 'id', value: machines[7] }, comment: 'x', sha1: '={{ $json.sha1 }}' },
						app,
						{ continueOnFail: true },
					),
					defenderNode(
						'Block',
						{ authentication: 'clientCredentials', resource: 'indicator', operation: 'create', indicatorType: 'IpAddress', indicatorValue: '={{ $("Input").item.json.ip }}', action: 'Block', title: 't', description: 'd' },
						app,
						{ continueOnFail: true },
					),
				],
			}),
		]);
		const from = cloud.requests.length;
		const result = await executeAndKeep(n8n, SUITE, 'mdeBadInput', 'bad-input');
		expectSucceeded(result);
		expect(nodeOutput(result.run, 'Quarantine')).toEqual([{ error: expect.stringMatching(/^"SHA-1" must be the file's SHA-1 hash.*SHA-256/) }]);
		expect(nodeOutput(result.run, 'Block')).toEqual([{ error: expect.stringMatching(/CIDR/) }]);
		expect(cloud.requests.slice(from)).toEqual([]);
	});
});
