/*
 * The incident trigger polled through n8n-core's PollContext / PollTriggerExecutor (test/harness), against
 * the simulated Graph. What n8n persists between polls is modelled by the harness (activation and polls
 * that return items are saved; null polls and failed polls are not), and restart() rebuilds the trigger
 * from that alone.
 */
import { STATE_KEY } from '../../../nodes/Microsoft365Defender/trigger/state';
import { testCredential } from '../../harness';
import { emittedIds, isoFromNow, startTriggerBed, STATE_NODE_KEY, triggerType, type TriggerBed } from './setup';

// a fresh simulated tenant per test (20 seeded incidents, 3 h apart, the newest 3 h old)
let bed: TriggerBed;
beforeEach(async () => {
	bed = await startTriggerBed();
});
afterEach(async () => await bed.stop());

const listQueries = () =>
	bed.graphRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/security/incidents'));

describe('first activation', () => {
	test('emits nothing that already existed, then each new incident once, oldest first', async () => {
		const trigger = bed.trigger();
		const activation = await trigger.poll();
		expect(activation).toMatchObject({ activation: true, items: null, saved: true });
		expect(activation.error).toBeUndefined();

		const a = bed.cloud.createIncident();
		const b = bed.cloud.createIncident();
		const r2 = await trigger.poll();
		expect(r2.error).toBeUndefined();
		expect(emittedIds(r2.items)).toEqual([a.id, b.id]);
		expect(r2.saved).toBe(true);

		const r3 = await trigger.poll();
		expect(r3).toMatchObject({ items: null, saved: false });
	});

	test('"Start From" emits the incidents of the look-back once, oldest first', async () => {
		// the sim's seeded incidents are 3 h apart, the newest 3 h ago
		const inWindow = bed.cloud.incidents
			.filter((i) => Date.parse(String(i.createdDateTime)) >= Date.now() - 10 * 3_600_000)
			.map((i) => String(i.id))
			.reverse();
		expect(inWindow.length).toBeGreaterThanOrEqual(3);
		const trigger = bed.trigger({ options: { startFromHours: 10 } });
		const activation = await trigger.poll();
		expect(emittedIds(activation.items)).toEqual(inWindow);
		expect((await trigger.poll()).items).toBeNull();
		// nor after a restart
		expect((await trigger.restart().poll()).items).toBeNull();
	});
});

describe('exactly once', () => {
	test('same createdDateTime, a late one older than the last poll, and a burst of 300 across pages', async () => {
		const trigger = bed.trigger();
		await trigger.poll();
		const emitted: string[] = [];
		const pollAndCollect = async () => {
			const result = await trigger.poll();
			expect(result.error).toBeUndefined();
			emitted.push(...emittedIds(result.items));
			return result;
		};

		const sameTime = isoFromNow(-1000);
		const trio = [1, 2, 3].map(() => bed.cloud.createIncident({ createdDateTime: sameTime }));
		await pollAndCollect();
		expect(emitted).toEqual(trio.map((i) => i.id));

		// visible only now, created two minutes before the previous poll
		const late = bed.cloud.createIncident({ createdDateTime: isoFromNow(-120_000) });
		const lateRound = await pollAndCollect();
		expect(emittedIds(lateRound.items)).toEqual([late.id]);

		bed.cloud.clearRequests();
		const burst = bed.cloud.createIncidents(300);
		const burstRound = await pollAndCollect();
		expect(emittedIds(burstRound.items)).toEqual(burst.map((i) => i.id));
		// every page was fetched (50 per page, plus the window's earlier incidents)
		expect(listQueries().length).toBeGreaterThanOrEqual(7);

		await pollAndCollect();
		await trigger.restart().poll().then((r) => emitted.push(...emittedIds(r.items)));
		const all = [...trio, late, ...burst].map((i) => i.id);
		expect(emitted.sort()).toEqual([...all].sort());
		expect(new Set(emitted).size).toBe(emitted.length);
	});

	test('incidents appearing while the pages of a round are read ($skip paging shifts): none lost, none twice', async () => {
		const trigger = bed.trigger();
		await trigger.poll();
		const burst = bed.cloud.createIncidents(120);
		// while Graph holds back the second page, new incidents arrive: at the head of Graph's order, and
		// one visible late in the middle of it, which shifts what $skip=50 and $skip=100 return
		bed.cloud.injectFault({ server: 'graph', path: /\$skip=50/, delayMs: 300 });
		const during: string[] = [];
		const arriving = (async () => {
			await new Promise((resolve) => setTimeout(resolve, 100));
			during.push(...bed.cloud.createIncidents(5).map((i) => String(i.id)));
			during.push(String(bed.cloud.createIncident({ createdDateTime: burst[60].createdDateTime }).id));
		})();
		const first = await trigger.poll();
		await arriving;
		expect(first.error).toBeUndefined();
		const second = await trigger.poll();
		const emitted = [...emittedIds(first.items), ...emittedIds(second.items)];
		expect([...emitted].sort()).toEqual([...burst.map((i) => String(i.id)), ...during].sort());
		expect(new Set(emitted).size).toBe(emitted.length);
	});

	test('an idle poll costs one Graph request and no token request', async () => {
		const trigger = bed.trigger();
		await trigger.poll();
		bed.cloud.createIncident();
		await trigger.poll();
		bed.cloud.clearRequests();
		const idle = await trigger.poll();
		expect(idle.items).toBeNull();
		expect(bed.graphRequests()).toHaveLength(1);
		expect(bed.tokenRequests()).toHaveLength(0);
		const [request] = bed.graphRequests();
		expect(request.query.$filter).toMatch(/^createdDateTime ge \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
	});
});

describe('complete rounds only', () => {
	test.each([
		['a 500', { status: 500 }],
		['a 429 after every retry', { status: 429, retryAfter: 1, times: 10 }],
		['a 503 on the second page', { status: 503, times: 10, path: /\$skip=/ }],
	])('%s: the poll emits nothing, keeps the state, and the next poll delivers everything', async (_name, fault) => {
		const trigger = bed.trigger();
		await trigger.poll();
		const before = trigger.persistedStaticData;
		const created = bed.cloud.createIncidents(60);

		bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/incidents', ...fault });
		const failed = await trigger.poll();
		expect(failed.error).toBeDefined();
		expect(failed.items).toBeNull();
		expect(failed.saved).toBe(false);
		expect(trigger.nodeStaticData).toEqual(before[STATE_NODE_KEY]);
		expect(trigger.persistedStaticData).toEqual(before);

		bed.cloud.clearFaults();
		const next = await trigger.poll();
		expect(next.error).toBeUndefined();
		expect(emittedIds(next.items)).toEqual(created.map((i) => i.id));
	});

	test('a hanging response times out and is retried; the round completes', async () => {
		bed.policy.requestTimeoutMs = 200;
		const trigger = bed.trigger();
		await trigger.poll();
		const created = bed.cloud.createIncidents(3);
		bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/incidents', hang: true, times: 1 });
		const result = await trigger.poll();
		expect(result.error).toBeUndefined();
		expect(emittedIds(result.items)).toEqual(created.map((i) => i.id));
		expect(listQueries().filter((r) => r.status === -1)).toHaveLength(1);
	});

	test('the failed poll surfaces Graph\'s error the n8n way', async () => {
		const trigger = bed.trigger();
		await trigger.poll();
		bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/incidents', status: 500 });
		const failed = await trigger.poll();
		expect(failed.error?.constructor.name).toBe('NodeApiError');
		expect((failed.error as { httpCode?: string }).httpCode).toBe('500');
		expect(failed.error?.message).toMatch(/Simulated failure/);
	});

	test('a refused (expired) token is renewed once and the poll goes through', async () => {
		const trigger = bed.trigger();
		await trigger.poll();
		const created = bed.cloud.createIncident();
		bed.cloud.expireAccessTokens();
		bed.cloud.clearRequests();
		const result = await trigger.poll();
		expect(result.error).toBeUndefined();
		expect(emittedIds(result.items)).toEqual([created.id]);
		expect(bed.tokenRequests()).toHaveLength(1);
	});
});

describe('state survives restarts', () => {
	test('rebuilt from what n8n saved only: no loss, no repeat', async () => {
		let trigger = bed.trigger();
		await trigger.poll();
		const first = bed.cloud.createIncidents(3);
		expect(emittedIds((await trigger.poll()).items)).toEqual(first.map((i) => i.id));
		// a null poll (not saved), then n8n restarts
		expect((await trigger.poll()).saved).toBe(false);
		trigger = trigger.restart();
		const second = bed.cloud.createIncidents(2);
		const afterRestart = await trigger.poll();
		expect(afterRestart.activation).toBe(true);
		expect(emittedIds(afterRestart.items)).toEqual(second.map((i) => i.id));
		// restart right after a poll that emitted: nothing again
		trigger = trigger.restart();
		expect((await trigger.poll()).items).toBeNull();
	});

	test('a restart right after the first activation does not emit what existed then', async () => {
		let trigger = bed.trigger();
		await trigger.poll();
		trigger = trigger.restart();
		expect((await trigger.poll()).items).toBeNull();
		const created = bed.cloud.createIncident();
		expect(emittedIds((await trigger.poll()).items)).toEqual([created.id]);
	});

	test('the saved state is small and versioned', async () => {
		const trigger = bed.trigger();
		await trigger.poll();
		bed.cloud.createIncidents(5);
		await trigger.poll();
		const state = trigger.persistedNodeStaticData[STATE_KEY] as Record<string, unknown>;
		expect(state).toMatchObject({ version: 1, scope: 'incidentCreated|severity=|status=' });
		expect(Object.keys(state).sort()).toEqual(['scope', 'seen', 'since', 'version', 'watermark']);
		expect(Object.keys(state.seen as object)).toHaveLength(5);
	});

	test('changing the event or the filters starts afresh without emitting what exists', async () => {
		const trigger = bed.trigger();
		await trigger.poll();
		bed.cloud.createIncidents(2);
		await trigger.poll();
		const changed = bed.trigger(
			{ event: 'incidentUpdated' },
			{ persistedStaticData: trigger.persistedStaticData },
		);
		const activation = await changed.poll();
		expect(activation.items).toBeNull();
		const state = changed.persistedNodeStaticData[STATE_KEY] as Record<string, unknown>;
		expect(state.scope).toBe('incidentUpdated|severity=|status=');
	});
});

describe('incidentUpdated', () => {
	test('a change made in the portal is emitted once; no change, nothing', async () => {
		const existing = bed.cloud.createIncident({ status: 'active' });
		const trigger = bed.trigger({ event: 'incidentUpdated' });
		expect((await trigger.poll()).items).toBeNull();
		expect((await trigger.poll()).items).toBeNull();

		const changed = bed.cloud.updateIncidentAsPortal(existing.id as string, { status: 'inProgress' });
		const r = await trigger.poll();
		expect(emittedIds(r.items)).toEqual([existing.id]);
		expect(r.items?.[0][0].json).toMatchObject({ status: 'inProgress', lastUpdateDateTime: changed.lastUpdateDateTime });
		expect((await trigger.poll()).items).toBeNull();
		expect((await trigger.restart().poll()).items).toBeNull();

		// a second change is a new version
		bed.cloud.updateIncidentAsPortal(existing.id as string, { comment: 'looking into it' });
		expect(emittedIds((await trigger.poll()).items)).toEqual([existing.id]);
	});

	test('asks by lastUpdateDateTime', async () => {
		const trigger = bed.trigger({ event: 'incidentUpdated' });
		await trigger.poll();
		expect(listQueries().at(-1)?.query.$filter).toMatch(/^lastUpdateDateTime ge /);
	});
});

describe('filters and options', () => {
	test('severity and status (several values each) are sent to Graph and respected', async () => {
		const trigger = bed.trigger({ filters: { severity: ['high', 'medium'], status: ['active', 'inProgress'] } });
		await trigger.poll();
		const match = [
			bed.cloud.createIncident({ severity: 'high', status: 'active' }),
			bed.cloud.createIncident({ severity: 'medium', status: 'inProgress' }),
		];
		bed.cloud.createIncident({ severity: 'low', status: 'active' });
		bed.cloud.createIncident({ severity: 'high', status: 'resolved' });
		bed.cloud.clearRequests();
		const r = await trigger.poll();
		expect(emittedIds(r.items)).toEqual(match.map((i) => i.id));
		const filter = listQueries()[0].query.$filter;
		expect(filter).toContain("(status eq 'active' or status eq 'inProgress')");
		expect(filter).toContain("(severity eq 'high' or severity eq 'medium')");
	});

	test('assignee and classification go into $filter, decide what is emitted, and are part of the state scope', async () => {
		const trigger = bed.trigger({
			event: 'incidentUpdated',
			filters: { assignedTo: ' kai.carter@contoso.com ', classification: ['truePositive', 'falsePositive'] },
		});
		await trigger.poll();
		const state = trigger.persistedNodeStaticData[STATE_KEY] as Record<string, unknown>;
		expect(state.scope).toBe(
			'incidentUpdated|severity=|status=|assignedTo=kai.carter@contoso.com|classification=falsePositive,truePositive',
		);
		const match = bed.cloud.createIncident({ assignedTo: 'kai.carter@contoso.com', classification: 'truePositive' });
		bed.cloud.createIncident({ assignedTo: 'kai.carter@contoso.com', classification: 'unknown' });
		bed.cloud.createIncident({ assignedTo: 'lee.gu@contoso.com', classification: 'truePositive' });
		bed.cloud.clearRequests();
		const r = await trigger.poll();
		expect(r.error).toBeUndefined();
		expect(emittedIds(r.items)).toEqual([match.id]);
		const filter = listQueries()[0].query.$filter;
		expect(filter).toContain("assignedTo eq 'kai.carter@contoso.com'");
		expect(filter).toContain("(classification eq 'truePositive' or classification eq 'falsePositive')");
	});

	test('an unknown classification is refused with the allowed values, before any request', async () => {
		const r = await bed.trigger({ filters: { classification: ['benign'] } }).poll();
		expect(r.error?.message).toMatch(/Classification/);
		expect(r.error?.message).toMatch(/truePositive/);
		expect(listQueries()).toHaveLength(0);
	});

	test('status awaitingAction (evolvable): emitted with its status; every poll request asks for evolvable members', async () => {
		const trigger = bed.trigger({ filters: { status: ['awaitingAction'] } });
		await trigger.poll();
		const waiting = bed.cloud.createIncident({ status: 'awaitingAction' });
		bed.cloud.createIncident({ status: 'active' });
		const r = await trigger.poll();
		expect(r.error).toBeUndefined();
		expect(emittedIds(r.items)).toEqual([waiting.id]);
		expect(r.items?.[0][0].json.status).toBe('awaitingAction');
		expect(listQueries().at(-1)?.query.$filter).toContain("status eq 'awaitingAction'");
		expect(bed.graphRequests().length).toBeGreaterThanOrEqual(2);
		for (const request of bed.graphRequests()) expect(request.headers.prefer).toBe('include-unknown-enum-members');
	});

	test('include alerts', async () => {
		const trigger = bed.trigger({ options: { includeAlerts: true } });
		await trigger.poll();
		bed.cloud.createIncident({ alertsCount: 2 });
		const r = await trigger.poll();
		expect(listQueries().at(-1)?.query.$expand).toBe('alerts');
		expect(r.items?.[0][0].json.alerts).toHaveLength(2);
	});

	test('a bad option value is refused before any request, naming the field', async () => {
		const trigger = bed.trigger({ options: { overlapMinutes: -5 } });
		const r = await trigger.poll();
		expect(r.error?.message).toMatch(/"Overlap \(Minutes\)" must be a number from 0 to 1440/);
		expect(bed.graphRequests()).toHaveLength(0);
		const badFilter = await bed.trigger({ filters: { severity: ['urgent'] } }).poll();
		expect(badFilter.error?.message).toMatch(/"Severity" has the unknown value "urgent"/);
	});
});

describe('Fetch Test Event', () => {
	test('returns the newest matching incident and touches no state', async () => {
		const trigger = bed.trigger({ filters: { severity: ['high'] } });
		await trigger.poll();
		const saved = trigger.persistedStaticData;
		const older = bed.cloud.createIncident({ severity: 'high', createdDateTime: isoFromNow(-5000) });
		const newest = bed.cloud.createIncident({ severity: 'high' });
		bed.cloud.createIncident({ severity: 'low' });
		const test = await trigger.fetchTestEvent();
		expect(test.error).toBeUndefined();
		expect(emittedIds(test.items)).toEqual([newest.id]);
		expect(trigger.persistedStaticData).toEqual(saved);
		// the active trigger still delivers both
		expect(emittedIds((await trigger.poll()).items)).toEqual([older.id, newest.id]);
	});
});

describe('node description', () => {
	test('the credential test works from the trigger node', async () => {
		const ok = await testCredential(triggerType, 'microsoft365DefenderClientCredentialsApi', { store: bed.store, ref: bed.app });
		expect(ok.status).toBe('OK');
		for (const credential of triggerType.description.credentials ?? []) {
			expect(credential.testedBy).toBe('microsoft365DefenderCredentialTest');
		}
	});

	test('contract names', () => {
		const { description } = triggerType;
		expect(description.name).toBe('microsoft365DefenderTrigger');
		expect(description.polling).toBe(true);
		const byName = Object.fromEntries(description.properties.map((p) => [p.name, p]));
		expect(byName.authentication.default).toBe('clientCredentials');
		expect(byName.authentication.options?.map((o) => (o as { value: string }).value).sort()).toEqual([
			'clientCredentials',
			'deviceCode',
			'managedIdentity',
		]);
		expect(byName.event.default).toBe('incidentCreated');
		expect(byName.event.options?.map((o) => (o as { value: string }).value).sort()).toEqual([
			'alertCreated',
			'alertUpdated',
			'incidentCreated',
			'incidentUpdated',
		]);
		const filters = description.properties.filter((p) => p.name === 'filters');
		const filtersFor = (event: string) => filters.find((p) => (p.displayOptions?.show?.event as string[]).includes(event))!;
		expect(filtersFor('incidentUpdated').options?.map((o) => (o as { name: string }).name).sort()).toEqual(['assignedTo', 'classification', 'severity', 'status']);
		expect(filtersFor('alertUpdated').options?.map((o) => (o as { name: string }).name).sort()).toEqual(['assignedTo', 'serviceSource', 'severity', 'status']);
		expect(filtersFor('incidentCreated')).not.toBe(filtersFor('alertCreated'));
		expect(byName.options.options?.map((o) => (o as { name: string }).name)).toContain('includeAlerts');
	});
});
