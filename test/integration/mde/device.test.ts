/** Device operations through the node against the simulated Defender for Endpoint API (client credentials). */
import type { IDataObject } from 'n8n-workflow';

import { SYSTEM_WAIT_CLOCK } from '../../../nodes/Microsoft365Defender/transport';
import { SEED_MACHINE_IDS } from '../../../sim';
import { testWaitClock } from '../node/setup';
import { deviceLocator, maxPerMinute, resetMdeBed, startMdeBed, type MdeBed } from './setup';

let bed: MdeBed;
beforeAll(async () => {
	bed = await startMdeBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetMdeBed(bed));

const [FINANCE, HR, SQL, LINUX] = SEED_MACHINE_IDS;
const json = (out: { items: Array<{ json: IDataObject }> }) => out.items.map((item) => item.json);
const body = (request: { body: string }) => JSON.parse(request.body) as IDataObject;

describe('Device → Get Many', () => {
	test('no filter: every device, one page of $top = limit', async () => {
		const out = await bed.runMde({ resource: 'device', operation: 'getAll' });
		expect(out.error).toBeUndefined();
		expect(json(out).map((device) => device.id)).toEqual([...SEED_MACHINE_IDS]);
		const [request] = bed.mdeRequests();
		expect(bed.mdeRequests()).toHaveLength(1);
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/api/machines');
		expect(request.query).toMatchObject({ $top: '50' });
		expect(request.query.$filter).toBeUndefined();
	});

	test('filters become one $filter; output is what Defender matched', async () => {
		const out = await bed.runMde({
			resource: 'device',
			operation: 'getAll',
			returnAll: true,
			filters: { nameStartsWith: 'WS-', healthStatus: ['Active'], riskScore: ['High', 'Medium'], machineTag: 'laptop', osPlatform: 'Windows10,Windows11', lastSeenAfter: '2000-01-01T00:00:00Z' },
		});
		expect(out.error).toBeUndefined();
		expect(json(out).map((device) => device.id)).toEqual([FINANCE, HR]);
		const [request] = bed.mdeRequests();
		expect(request.query.$filter).toBe(
			"startswith(computerDnsName,'WS-') and healthStatus eq 'Active' and (riskScore eq 'High' or riskScore eq 'Medium')" +
				" and (osPlatform eq 'Windows10' or osPlatform eq 'Windows11') and machineTags/any(tag: tag eq 'laptop') and lastSeen ge 2000-01-01T00:00:00.000Z",
		);
		// Return All asks for Defender's largest page
		expect(request.query.$top).toBe('10000');
	});

	test('Limit: $top = limit, and no more items than asked', async () => {
		const out = await bed.runMde({ resource: 'device', operation: 'getAll', limit: 2 });
		expect(json(out).map((device) => device.id)).toEqual([FINANCE, HR]);
		expect(bed.mdeRequests().map((r) => r.query.$top)).toEqual(['2']);
	});

	test('a tenant without devices (Defender answers 404) is an empty list, not an error', async () => {
		const saved = [...bed.cloud.mde.machines];
		bed.cloud.mde.clearMachines();
		try {
			const out = await bed.runMde({ resource: 'device', operation: 'getAll', returnAll: true });
			expect(out.error).toBeUndefined();
			expect(out.items).toEqual([]);
			expect(bed.mdeRequests().map((r) => r.status)).toEqual([404]);
		} finally {
			bed.cloud.mde.machines.push(...saved);
		}
	});

	test("a bad raw filter: Defender's message, once, and the hint", async () => {
		const out = await bed.runMde({ resource: 'device', operation: 'getAll', filters: { odataFilter: "colour eq 'red'" } });
		expect(out.error?.message).toMatch(/colour/);
		expect(out.error?.message).toMatch(/HTTP 400/);
	});
});

describe('Device → Get', () => {
	test('by id (upper-case is accepted) and by list', async () => {
		for (const locator of [deviceLocator(FINANCE.toUpperCase()), deviceLocator(HR, 'list')]) {
			bed.cloud.clearRequests();
			const out = await bed.runMde({ resource: 'device', operation: 'get', deviceId: locator });
			expect(out.error).toBeUndefined();
			expect(json(out)[0].id).toBe(locator.value.toLowerCase());
			expect(json(out)[0]['@odata.context']).toBeUndefined();
			expect(bed.mdeRequests().map((r) => r.path)).toEqual([`/api/machines/${locator.value.toLowerCase()}`]);
		}
	});

	test('by DNS name: exactly one device; a short name matches <name>.<domain>', async () => {
		const full = await bed.runMde({ resource: 'device', operation: 'get', deviceId: deviceLocator('SRV-SQL-02.simcontoso.com', 'name') });
		expect(json(full).map((device) => device.id)).toEqual([SQL]);
		expect(bed.mdeRequests()[0].query).toMatchObject({ $filter: "computerDnsName eq 'srv-sql-02.simcontoso.com'", $top: '2' });

		bed.cloud.clearRequests();
		const short = await bed.runMde({ resource: 'device', operation: 'get', deviceId: deviceLocator('build-linux-03', 'name') });
		expect(json(short).map((device) => device.id)).toEqual([LINUX]);
		expect(bed.mdeRequests().map((r) => r.query.$filter)).toEqual(["computerDnsName eq 'build-linux-03'", "startswith(computerDnsName,'build-linux-03.')"]);
	});

	test('a name of no device, or of several, is refused', async () => {
		const none = await bed.runMde({ resource: 'device', operation: 'get', deviceId: deviceLocator('nosuch.simcontoso.com', 'name') });
		expect(none.error?.message).toBe('Device "nosuch.simcontoso.com" not found: no Defender for Endpoint device has that DNS name');

		const a = bed.cloud.mde.addMachine({ computerDnsName: 'twin.simcontoso.com' });
		const b = bed.cloud.mde.addMachine({ computerDnsName: 'twin.simcontoso.com' });
		try {
			const several = await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator('twin.simcontoso.com', 'name'), comment: 'x' });
			expect(several.error?.message).toBe('Device name "twin.simcontoso.com" matches several Defender for Endpoint devices');
			expect((several.error as { description?: string }).description).toContain(a.id);
			expect((several.error as { description?: string }).description).toContain(b.id);
			// nothing was isolated
			expect(bed.mdeRequests().filter((r) => r.method === 'POST')).toEqual([]);
		} finally {
			bed.cloud.mde.machines.splice(bed.cloud.mde.machines.indexOf(a), 2);
		}
	});

	test('an unknown id: "Device … not found"', async () => {
		const id = 'f'.repeat(40);
		const out = await bed.runMde({ resource: 'device', operation: 'get', deviceId: deviceLocator(id) });
		expect(out.error?.message).toMatch(new RegExp(`^Device ${id} not found`));
	});
});

describe('Device actions', () => {
	const cases: Array<[string, IDataObject, string, string, IDataObject]> = [
		['isolate', { isolationType: 'Selective' }, 'isolate', 'Isolate', { IsolationType: 'Selective' }],
		['releaseFromIsolation', {}, 'unisolate', 'Unisolate', {}],
		['runAntivirusScan', { scanType: 'Full' }, 'runAntiVirusScan', 'RunAntiVirusScan', { ScanType: 'Full' }],
		['collectInvestigationPackage', {}, 'collectInvestigationPackage', 'CollectInvestigationPackage', {}],
		['restrictAppExecution', {}, 'restrictCodeExecution', 'RestrictCodeExecution', {}],
		['removeAppRestriction', {}, 'unrestrictCodeExecution', 'UnrestrictCodeExecution', {}],
		['stopAndQuarantineFile', { sha1: '87662BC3D60E4200CEAF7AAE249D1C343F4B83C9' }, 'StopAndQuarantineFile', 'StopAndQuarantineFile', { Sha1: '87662bc3d60e4200ceaf7aae249d1c343f4b83c9' }],
	];

	test.each(cases)('%s: POST /api/machines/{id}/%s with Defender\'s body; outputs the machine action', async (operation, parameters, segment, type, extra) => {
		const machine = bed.cloud.mde.addMachine({ osPlatform: 'Windows11' });
		const out = await bed.runMde({ resource: 'device', operation, deviceId: deviceLocator(machine.id), comment: 'Contain: incident 1234', ...parameters });
		expect(out.error).toBeUndefined();
		const [request] = bed.mdeRequests();
		expect(bed.mdeRequests()).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/api/machines/${machine.id}/${segment}`);
		expect(body(request)).toEqual({ Comment: 'Contain: incident 1234', ...extra });
		const [action] = json(out);
		expect(action).toMatchObject({ type, status: 'Pending', machineId: machine.id, requestorComment: 'Contain: incident 1234', requestor: bed.cloud.apps.secret.clientId });
		expect(action['@odata.context']).toBeUndefined();
		expect(bed.cloud.mde.actions.get(String(action.id))?.type).toBe(type);
	});

	test('defaults: Full isolation, Quick scan, and a comment that says n8n and the workflow did it', async () => {
		const machine = bed.cloud.mde.addMachine();
		await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id) });
		await bed.runMde({ resource: 'device', operation: 'runAntivirusScan', deviceId: deviceLocator(machine.id) });
		const [isolate, scan] = bed.mdeRequests().map(body);
		expect(isolate.IsolationType).toBe('Full');
		expect(scan.ScanType).toBe('Quick');
		expect(isolate.Comment).toMatch(/^Requested by n8n, workflow "Harness workflow" \(ID [^)]+\), execution /);
	});

	test('by name: resolved to the id first, then the action', async () => {
		const out = await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator('ws-hr-07.simcontoso.com', 'name'), comment: 'x' });
		expect(out.error).toBeUndefined();
		expect(bed.mdeRequests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/machines', `POST /api/machines/${HR}/isolate`]);
		// finished, so no later test finds it pending
		bed.cloud.mde.advanceTime(60_000);
	});

	test('403: the MDE permission the action needs, application and delegated', async () => {
		const machine = bed.cloud.mde.addMachine();
		const out = await bed.run(
			{ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'x' },
			{ credentials: { microsoft365DefenderClientCredentialsApi: bed.mdeReadOnlyApp } },
		);
		expect(out.error?.message).toMatch(/HTTP 403/);
		const text = `${out.error?.message} ${(out.error as { description?: string }).description}`;
		expect(text).toContain('This needs the Defender for Endpoint permission Machine.Isolate (application and delegated) of the WindowsDefenderATP API');
	});

	test('an unknown device: "Device … not found"', async () => {
		const id = 'e'.repeat(40);
		const out = await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(id), comment: 'x' });
		expect(out.error?.message).toMatch(new RegExp(`^Device ${id} not found`));
	});

	test('Get Action: the action as Defender reports it now; an unknown id is "not found"', async () => {
		const machine = bed.cloud.mde.addMachine();
		const started = json(await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'x' }))[0];
		bed.cloud.mde.advanceTime(60_000);
		const out = await bed.runMde({ resource: 'device', operation: 'getAction', actionId: String(started.id).toUpperCase() });
		expect(json(out)[0]).toMatchObject({ id: started.id, status: 'Succeeded', type: 'Isolate' });
		const unknown = await bed.runMde({ resource: 'device', operation: 'getAction', actionId: '00000000-0000-4000-8000-000000000000' });
		expect(unknown.error?.message).toMatch(/^Machine action 00000000-0000-4000-8000-000000000000 not found/);
	});
});

describe('If Action Pending', () => {
	test('fail (default): an error naming the pending action; returnPending: that action is the output', async () => {
		const machine = bed.cloud.mde.addMachine();
		const first = json(await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'first' }))[0];

		bed.cloud.clearRequests();
		const again = await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'second' });
		expect(again.error?.message).toBe(
			`Defender is already running a Isolate action on device ${machine.id}: machine action ${String(first.id)} (Pending, requested by ${bed.cloud.apps.secret.clientId} at ${String(first.creationDateTimeUtc)})`,
		);
		expect((again.error as { description?: string }).description).toMatch(/Return Pending Action/);
		const lookup = bed.mdeRequests()[1];
		expect(lookup.path).toBe('/api/machineactions');
		expect(lookup.query.$filter).toBe(`machineId eq '${machine.id}' and type eq 'Isolate' and (status eq 'Pending' or status eq 'InProgress')`);

		const pending = await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'third', options: { ifActionPending: 'returnPending' } });
		expect(pending.error).toBeUndefined();
		expect(json(pending)).toEqual([expect.objectContaining({ id: first.id, requestorComment: 'first' })]);
		// no second action was created
		expect(bed.cloud.mde.actions.list().filter((a) => a.machineId === machine.id)).toHaveLength(1);
	});

	test('returnPending with Wait For Completion waits for the pending action', async () => {
		const machine = bed.cloud.mde.addMachine();
		const first = json(await bed.runMde({ resource: 'device', operation: 'restrictAppExecution', deviceId: deviceLocator(machine.id), comment: 'first' }))[0];
		const out = await bed.runMde({
			resource: 'device',
			operation: 'restrictAppExecution',
			deviceId: deviceLocator(machine.id),
			comment: 'again',
			options: { ifActionPending: 'returnPending', waitForCompletion: true },
		});
		expect(out.error).toBeUndefined();
		expect(json(out)).toEqual([expect.objectContaining({ id: first.id, status: 'Succeeded' })]);
	});
});

describe('Wait For Completion', () => {
	test('Succeeded: the finished action is the output; reads stay far inside 100 a minute', async () => {
		const machine = bed.cloud.mde.addMachine();
		bed.cloud.mde.actions.setTiming({ pendingMs: 20_000, inProgressMs: 100_000 });
		try {
			const out = await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'x', options: { waitForCompletion: true } });
			expect(out.error).toBeUndefined();
			const [action] = json(out);
			expect(action).toMatchObject({ type: 'Isolate', status: 'Succeeded', machineId: machine.id });
			const reads = bed.mdeRequests().filter((r) => r.method === 'GET');
			expect(reads.every((r) => r.path === `/api/machineactions/${String(action.id)}`)).toBe(true);
			// 120 s of action: reads after 5, 15, 35, 65, 95, 125 s
			expect(bed.clock.sleeps).toEqual([5_000, 10_000, 20_000, 30_000, 30_000, 30_000]);
			expect(reads).toHaveLength(6);
			const times = bed.requestTimes();
			const mdeTimes = bed.cloud.requests.map((r, k) => (r.server === 'mde' ? times[k] : undefined)).filter((t): t is number => t !== undefined);
			expect(maxPerMinute(mdeTimes)).toBeLessThanOrEqual(4);
		} finally {
			bed.cloud.mde.actions.setTiming({ pendingMs: 2000, inProgressMs: 5000 });
		}
	});

	test.each(['Failed', 'TimeOut', 'Cancelled'] as const)('%s: an error naming Defender\'s status', async (outcome) => {
		const machine = bed.cloud.mde.addMachine();
		bed.cloud.mde.actions.setOutcome({ outcome, machineId: machine.id });
		const out = await bed.runMde({ resource: 'device', operation: 'runAntivirusScan', deviceId: deviceLocator(machine.id), comment: 'x', options: { waitForCompletion: true } });
		expect(out.error?.message).toMatch(new RegExp(`^Defender's RunAntiVirusScan action [0-9a-f-]{36} on ${machine.computerDnsName.replace(/\./g, '\\.')} ended with status ${outcome}`));
		expect(out.items).toEqual([]);
	});

	test('a cancelled execution stops waiting at once (the system clock: the first read would come after 5 s)', async () => {
		const machine = bed.cloud.mde.addMachine();
		const virtual = { ...testWaitClock };
		// the system's clock and sleep, noting when the wait has begun
		let waiting = false;
		Object.assign(testWaitClock, SYSTEM_WAIT_CLOCK, {
			sleep: async (ms: number, signal?: AbortSignal) => {
				waiting = true;
				await SYSTEM_WAIT_CLOCK.sleep(ms, signal);
			},
		});
		try {
			const controller = new AbortController();
			const started = Date.now();
			const running = bed.runMde(
				{ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'x', options: { waitForCompletion: true } },
				{ abortSignal: controller.signal },
			);
			while (!waiting) await new Promise((resolve) => setTimeout(resolve, 10));
			controller.abort();
			const out = await running;
			expect(out.error?.message).toBe('The execution was cancelled while waiting for the device action');
			expect(Date.now() - started).toBeLessThan(5_000);
			expect(bed.mdeRequests().filter((r) => r.method === 'GET')).toEqual([]);
		} finally {
			Object.assign(testWaitClock, virtual);
		}
	});

	test('timeout: stops after Wait Timeout (Minutes) with the status and the action id; Defender goes on', async () => {
		const machine = bed.cloud.mde.addMachine();
		bed.cloud.mde.actions.setTiming({ pendingMs: 2000, inProgressMs: 3_600_000 });
		try {
			const out = await bed.runMde({ resource: 'device', operation: 'isolate', deviceId: deviceLocator(machine.id), comment: 'x', options: { waitForCompletion: true, waitTimeoutMinutes: 2 } });
			expect(out.error?.message).toMatch(/is still InProgress after 2 minutes of waiting; Defender carries on with it: check it later with Get Action \(ID [0-9a-f-]{36}\)/);
			expect(bed.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
		} finally {
			bed.cloud.mde.actions.setTiming({ pendingMs: 2000, inProgressMs: 5000 });
		}
	});

	test('investigation package: the output adds the download link from GetPackageUri, which works', async () => {
		const machine = bed.cloud.mde.addMachine();
		const out = await bed.runMde({ resource: 'device', operation: 'collectInvestigationPackage', deviceId: deviceLocator(machine.id), comment: 'evidence', options: { waitForCompletion: true } });
		expect(out.error).toBeUndefined();
		const [action] = json(out);
		expect(action.status).toBe('Succeeded');
		expect(String(action.packageUri)).toMatch(new RegExp(`^${bed.cloud.mdeEndpoint}/packages/${String(action.id)}\\.zip\\?se=`));
		expect(bed.mdeRequests().filter((r) => r.path.endsWith('/GetPackageUri'))).toHaveLength(1);
	});

	test("twenty actions waited for in one run (one item each): within Defender's rate limit, 0 failures", async () => {
		// Defender's documented limits (100 a minute, 1,500 an hour, per API) in the sim
		bed.cloud.mde.setRateLimit([{ requests: 100, windowMs: 60_000 }, { requests: 1500, windowMs: 3_600_000 }]);
		const machines = Array.from({ length: 20 }, () => bed.cloud.mde.addMachine());
		const out = await bed.runMde(
			{ resource: 'device', operation: 'isolate', deviceId: deviceLocator('={{ $json.id }}'), comment: 'x', options: { waitForCompletion: true } },
			{ items: machines.map((machine) => ({ json: { id: machine.id } })) },
		);
		expect(out.error).toBeUndefined();
		expect(json(out).map((action) => action.status)).toEqual(machines.map(() => 'Succeeded'));
		expect(bed.mdeRequests().filter((r) => r.status === 429)).toEqual([]);
	});
});
