/*
 * The trigger's alert events (alertCreated, alertUpdated) through n8n-core's PollContext (test/harness),
 * against the simulated alerts_v2. The state design is the incidents' (trigger/state.ts); these tests check
 * what is alert-specific: the collection polled, its filters, and once-per-version for alertUpdated.
 */
import { emittedIds, isoFromNow, startTriggerBed, type TriggerBed } from './setup';

let bed: TriggerBed;
beforeEach(async () => {
	bed = await startTriggerBed({ alertPageSize: 20 });
});
afterEach(async () => await bed.stop());

const alertQueries = () => bed.graphRequests().filter((r) => r.path === '/v1.0/security/alerts_v2');

test('alertCreated: nothing old at activation, then each new alert once (ties, a late one, a burst across pages), across a restart', async () => {
	const trigger = bed.trigger({ event: 'alertCreated' });
	const activation = await trigger.poll();
	expect(activation).toMatchObject({ activation: true, items: null });
	expect(alertQueries()[0].query).toEqual({ $filter: expect.stringMatching(/^createdDateTime ge \d{4}-/), $top: '2000' });

	const tie = isoFromNow(-1000);
	const trio = [1, 2, 3].map(() => bed.cloud.createAlert({ createdDateTime: tie }));
	const first = await trigger.poll();
	expect(emittedIds(first.items)).toEqual(trio.map((a) => a.id).sort());
	expect(first.items?.[0][0].json.evidence).toBeDefined();

	const late = bed.cloud.createAlert({ createdDateTime: isoFromNow(-120_000) });
	const burst = bed.cloud.createAlerts(70);
	bed.cloud.clearRequests();
	const restarted = trigger.restart();
	const second = await restarted.poll();
	expect(second.error).toBeUndefined();
	expect(new Set(emittedIds(second.items))).toEqual(new Set([late.id, ...burst.map((a) => a.id)].map(String)));
	expect(alertQueries().length).toBeGreaterThanOrEqual(4); // pages of 20 here
	expect((await restarted.poll()).items).toBeNull();
});

test('alertUpdated: once per distinct lastUpdateDateTime; the same version is not emitted again', async () => {
	const trigger = bed.trigger({ event: 'alertUpdated' });
	await trigger.poll();
	const alert = bed.cloud.createAlert();
	expect(emittedIds((await trigger.poll()).items)).toEqual([alert.id]);
	expect((await trigger.poll()).items).toBeNull();

	const changed = bed.cloud.updateAlertAsPortal(alert.id as string, { status: 'inProgress' });
	const round = await trigger.poll();
	expect(emittedIds(round.items)).toEqual([alert.id]);
	expect(round.items?.[0][0].json.lastUpdateDateTime).toBe(changed.lastUpdateDateTime);
	const restarted = trigger.restart();
	expect((await restarted.poll()).items).toBeNull();

	bed.cloud.updateAlertAsPortal(alert.id as string, { comment: 'looked at it' });
	bed.cloud.updateAlertAsPortal(alert.id as string, { assignedTo: 'lee.gu@contoso.com' });
	const twice = await restarted.poll();
	expect(emittedIds(twice.items)).toEqual([alert.id]); // two changes between polls: its newest version, once
	expect(twice.items?.[0][0].json.assignedTo).toBe('lee.gu@contoso.com');
	expect(alertQueries().every((r) => r.query.$filter.startsWith('lastUpdateDateTime ge '))).toBe(true);
});

test('filters: severity, status and service source go into $filter and decide what is emitted', async () => {
	const trigger = bed.trigger({
		event: 'alertCreated',
		filters: { severity: ['high'], status: ['new'], serviceSource: ['microsoftDefenderForEndpoint', 'microsoftDefenderForOffice365'] },
	});
	await trigger.poll();
	expect(alertQueries()[0].query.$filter).toMatch(
		/^createdDateTime ge \S+ and status eq 'new' and severity eq 'high' and \(serviceSource eq 'microsoftDefenderForEndpoint' or serviceSource eq 'microsoftDefenderForOffice365'\)$/,
	);
	const match = bed.cloud.createAlert({ severity: 'high', status: 'new', serviceSource: 'microsoftDefenderForEndpoint' });
	bed.cloud.createAlert({ severity: 'low', status: 'new', serviceSource: 'microsoftDefenderForEndpoint' });
	bed.cloud.createAlert({ severity: 'high', status: 'new', serviceSource: 'microsoftDefenderForIdentity' });
	bed.cloud.createAlert({ severity: 'high', status: 'resolved', serviceSource: 'microsoftDefenderForEndpoint' });
	expect(emittedIds((await trigger.poll()).items)).toEqual([match.id]);
});

test('a bad service source or an incident status is refused before any request', async () => {
	const source = await bed.trigger({ event: 'alertCreated', filters: { serviceSource: ['mde'] } }).poll();
	expect(source.error?.message).toMatch(/^"Service Source" has the unknown value "mde"; allowed: /);
	const status = await bed.trigger({ event: 'alertUpdated', filters: { status: ['active'] } }).poll();
	expect(status.error?.message).toBe('"Status" has the unknown value "active"; allowed: inProgress, new, resolved, unknown');
	expect(bed.graphRequests()).toHaveLength(0);
});

test('an idle alert poll costs one Graph request and no token request', async () => {
	const trigger = bed.trigger({ event: 'alertCreated' });
	await trigger.poll();
	bed.cloud.createAlert();
	await trigger.poll();
	bed.cloud.clearRequests();
	const idle = await trigger.poll();
	expect(idle.items).toBeNull();
	expect(bed.graphRequests()).toHaveLength(1);
	expect(bed.graphRequests()[0].path).toBe('/v1.0/security/alerts_v2');
	expect(bed.tokenRequests()).toHaveLength(0);
});

test('a failed alert poll (503 past the retries) emits nothing and the next poll catches up', async () => {
	const trigger = bed.trigger({ event: 'alertCreated' });
	await trigger.poll();
	const alert = bed.cloud.createAlert();
	bed.cloud.injectFault({ server: 'graph', path: '/v1.0/security/alerts_v2', status: 503, times: 10 });
	const failed = await trigger.poll();
	expect(failed.error?.message).toMatch(/HTTP 503/);
	expect(failed.items).toBeNull();
	bed.cloud.clearFaults();
	expect(emittedIds((await trigger.poll()).items)).toEqual([alert.id]);
});

test('Fetch Test Event: the newest matching alert, state untouched', async () => {
	const trigger = bed.trigger({ event: 'alertCreated', filters: { severity: ['high'] } });
	await trigger.poll();
	const saved = trigger.persistedStaticData;
	const older = bed.cloud.createAlert({ severity: 'high', createdDateTime: isoFromNow(-5000) });
	const newest = bed.cloud.createAlert({ severity: 'high' });
	bed.cloud.createAlert({ severity: 'low' });
	bed.cloud.clearRequests();
	const test = await trigger.fetchTestEvent();
	expect(emittedIds(test.items)).toEqual([newest.id]);
	expect(alertQueries()[0].query).toEqual({ $filter: "severity eq 'high'", $top: '2000' });
	expect(trigger.persistedStaticData).toEqual(saved);
	expect(emittedIds((await trigger.poll()).items)).toEqual([older.id, newest.id]);
});

test('filter Assigned To: sent to Graph as assignedTo eq, only that analyst\'s alerts are emitted', async () => {
	const trigger = bed.trigger({ event: 'alertCreated', filters: { assignedTo: 'lee.gu@contoso.com' } });
	await trigger.poll();
	const mine = bed.cloud.createAlert({ assignedTo: 'lee.gu@contoso.com' });
	bed.cloud.createAlert({ assignedTo: 'kai.carter@contoso.com' });
	bed.cloud.clearRequests();
	const round = await trigger.poll();
	expect(emittedIds(round.items)).toEqual([mine.id]);
	expect(alertQueries()[0].query.$filter).toContain("assignedTo eq 'lee.gu@contoso.com'");
});
