/**
 * Issue 11, item 11: one incident dated in the future (2099) must not blind the trigger. It is emitted
 * once; later incidents are still emitted; a state a future timestamp already moved heals.
 */
import { STATE_KEY } from '../../../nodes/Microsoft365Defender/trigger/state';
import { emittedIds, startTriggerBed, STATE_NODE_KEY, type TriggerBed } from '../trigger/setup';

let bed: TriggerBed;
beforeEach(async () => {
	bed = await startTriggerBed();
});
afterEach(async () => await bed.stop());

const FUTURE = '2099-01-01T00:00:00.0000000Z';

it('a 2099 incident is emitted once; later incidents are still emitted, across a restart', async () => {
	const trigger = bed.trigger();
	await trigger.poll();
	const odd = bed.cloud.createIncident({ createdDateTime: FUTURE, lastUpdateDateTime: FUTURE });
	expect(emittedIds((await trigger.poll()).items)).toEqual([odd.id]);

	const later = bed.cloud.createIncident();
	expect(emittedIds((await trigger.poll()).items)).toEqual([later.id]);
	expect((await trigger.poll()).items).toBeNull();

	const afterRestart = bed.cloud.createIncident();
	expect(emittedIds((await trigger.restart().poll()).items)).toEqual([afterRestart.id]);
});

it('a stored state whose watermark a future timestamp moved heals: new incidents are emitted again', async () => {
	const first = bed.trigger();
	await first.poll();
	const persisted = first.persistedStaticData;
	const state = (persisted[STATE_NODE_KEY] as Record<string, Record<string, unknown>>)[STATE_KEY];
	// as the code before the fix left it after seeing a 2099 incident
	Object.assign(state, { watermark: FUTURE, since: '2098-12-31T23:50:00.0000000Z' });
	const trigger = bed.trigger({}, { persistedStaticData: persisted });
	const next = bed.cloud.createIncident();
	expect(emittedIds((await trigger.poll()).items)).toContain(next.id);
	const last = bed.cloud.createIncident();
	expect(emittedIds((await trigger.poll()).items)).toEqual([last.id]);
});
