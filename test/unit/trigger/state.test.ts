import {
	firstRound,
	nextRound,
	normalizeTimestamp,
	readState,
	shiftTimestamp,
	stateScope,
	STATE_KEY,
	type PollState,
	type RoundSettings,
} from '../../../nodes/Microsoft365Defender/trigger/state';

const created: RoundSettings = { field: 'createdDateTime', overlapMs: 10 * 60_000, maxSeen: 1000 };
const updated: RoundSettings = { ...created, field: 'lastUpdateDateTime' };
const scope = stateScope('incidentCreated', [], []);

const incident = (id: number | string, createdDateTime: string, lastUpdateDateTime = createdDateTime) => ({
	id: String(id),
	createdDateTime,
	lastUpdateDateTime,
});
const ids = (items: Array<{ id?: unknown }>) => items.map((item) => item.id);

describe('normalizeTimestamp', () => {
	it('pads to 7 fractional digits so text order is time order', () => {
		expect(normalizeTimestamp('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00.0000000Z');
		expect(normalizeTimestamp('2024-05-01T10:00:00.5Z')).toBe('2024-05-01T10:00:00.5000000Z');
		expect(normalizeTimestamp('2024-05-01T10:00:00.1234567Z')).toBe('2024-05-01T10:00:00.1234567Z');
		// 'Z' sorts after '.', so raw Graph text would put 10:00:00Z after 10:00:00.5Z
		expect(normalizeTimestamp('2024-05-01T10:00:00Z')! < normalizeTimestamp('2024-05-01T10:00:00.5Z')!).toBe(true);
	});

	it('converts offsets to UTC, keeping sub-millisecond digits', () => {
		expect(normalizeTimestamp('2024-05-01T12:00:00.1234567+02:00')).toBe('2024-05-01T10:00:00.1234567Z');
	});

	it('refuses what is not a timestamp', () => {
		expect(normalizeTimestamp('yesterday')).toBeUndefined();
		expect(normalizeTimestamp(undefined)).toBeUndefined();
		expect(normalizeTimestamp('2024-13-45T10:00:00Z')).toBeUndefined();
	});

	it('shifts by milliseconds across a day boundary', () => {
		expect(shiftTimestamp('2024-05-01T00:05:00.1234567Z', -10 * 60_000)).toBe('2024-04-30T23:55:00.1234567Z');
	});
});

describe('firstRound', () => {
	const since = '2024-05-01T09:50:00.0000000Z';

	it('records what exists and emits nothing without a start-from look-back', () => {
		const round = firstRound(
			[incident(2, '2024-05-01T09:55:00Z'), incident(1, '2024-05-01T09:51:00Z')],
			scope,
			since,
			undefined,
			created,
		);
		expect(round.fresh).toEqual([]);
		expect(round.next.seen).toEqual({ '1': '2024-05-01T09:51:00.0000000Z', '2': '2024-05-01T09:55:00.0000000Z' });
		expect(round.next.watermark).toBe('2024-05-01T09:55:00.0000000Z');
		expect(round.next.since).toBe(since);
	});

	it('emits incidents at or after the start-from time, oldest first', () => {
		const round = firstRound(
			[incident(3, '2024-05-01T09:58:00Z'), incident(1, '2024-05-01T09:51:00Z'), incident(2, '2024-05-01T09:55:00Z')],
			scope,
			since,
			'2024-05-01T09:55:00.0000000Z',
			created,
		);
		expect(ids(round.fresh)).toEqual(['2', '3']);
		expect(Object.keys(round.next.seen).sort()).toEqual(['1', '2', '3']);
	});

	it('keeps the window where it started while nothing exists', () => {
		const round = firstRound([], scope, since, undefined, created);
		expect(round.next).toEqual({ version: 1, scope, since, watermark: since, seen: {} });
	});
});

describe('nextRound', () => {
	const start = (): PollState =>
		firstRound([incident(1, '2024-05-01T10:00:00Z')], scope, '2024-05-01T09:50:00.0000000Z', undefined, created)
			.next;

	it('emits incidents sharing a timestamp once each, sorted by id, and nothing on the next round', () => {
		const batch = [
			incident(1, '2024-05-01T10:00:00Z'),
			incident(12, '2024-05-01T10:01:00Z'),
			incident(9, '2024-05-01T10:01:00Z'),
			incident(10, '2024-05-01T10:01:00Z'),
		];
		const first = nextRound(start(), batch, created);
		expect(ids(first.fresh)).toEqual(['9', '10', '12']);
		const again = nextRound(first.next, batch, created);
		expect(again.fresh).toEqual([]);
		expect(again.changed).toBe(false);
	});

	it('emits an incident that becomes visible late with an older timestamp inside the overlap', () => {
		const first = nextRound(start(), [incident(1, '2024-05-01T10:00:00Z'), incident(2, '2024-05-01T10:05:00Z')], created);
		const late = nextRound(
			first.next,
			[incident(1, '2024-05-01T10:00:00Z'), incident(2, '2024-05-01T10:05:00Z'), incident(3, '2024-05-01T09:58:00Z')],
			created,
		);
		expect(ids(late.fresh)).toEqual(['3']);
	});

	it('moves since to watermark - overlap and forgets ids before it', () => {
		const first = nextRound(start(), [incident(1, '2024-05-01T10:00:00Z'), incident(2, '2024-05-01T10:30:00Z')], created);
		expect(first.next.since).toBe('2024-05-01T10:20:00.0000000Z');
		expect(first.next.seen).toEqual({ '2': '2024-05-01T10:30:00.0000000Z' });
		// Graph answering with something older than the window anyway is not emitted again
		const again = nextRound(first.next, [incident(1, '2024-05-01T10:00:00Z')], created);
		expect(again.fresh).toEqual([]);
	});

	it('never moves since back', () => {
		const state: PollState = { ...start(), since: '2024-05-01T10:20:00.0000000Z', watermark: '2024-05-01T10:00:00.0000000Z' };
		expect(nextRound(state, [], created).next.since).toBe('2024-05-01T10:20:00.0000000Z');
	});

	it('caps seen by raising since past whole timestamp groups', () => {
		const settings = { ...created, maxSeen: 3 };
		const batch = [
			incident(1, '2024-05-01T10:00:00Z'),
			incident(2, '2024-05-01T10:01:00Z'),
			incident(3, '2024-05-01T10:02:00Z'),
			incident(4, '2024-05-01T10:02:00Z'),
			incident(5, '2024-05-01T10:03:00Z'),
		];
		const round = nextRound(start(), batch, settings);
		expect(ids(round.fresh)).toEqual(['2', '3', '4', '5']);
		expect(round.next.since).toBe('2024-05-01T10:02:00.0000000Z');
		expect(Object.keys(round.next.seen).sort()).toEqual(['3', '4', '5']);
		// the dropped ones are before since: not emitted again
		expect(nextRound(round.next, batch, settings).fresh).toEqual([]);
	});

	it('incidentUpdated: emits once per distinct lastUpdateDateTime', () => {
		const updatedScope = stateScope('incidentUpdated', [], []);
		const base = firstRound(
			[incident(1, '2024-05-01T09:00:00Z', '2024-05-01T10:00:00Z')],
			updatedScope,
			'2024-05-01T09:50:00.0000000Z',
			undefined,
			updated,
		).next;
		expect(nextRound(base, [incident(1, '2024-05-01T09:00:00Z', '2024-05-01T10:00:00Z')], updated).fresh).toEqual([]);
		const changed = nextRound(base, [incident(1, '2024-05-01T09:00:00Z', '2024-05-01T10:04:00.1234567Z')], updated);
		expect(ids(changed.fresh)).toEqual(['1']);
		expect(nextRound(changed.next, [incident(1, '2024-05-01T09:00:00Z', '2024-05-01T10:04:00.1234567Z')], updated).fresh).toEqual([]);
		// a stale replica answering with the older version does not emit it again
		expect(nextRound(changed.next, [incident(1, '2024-05-01T09:00:00Z', '2024-05-01T10:00:00Z')], updated).fresh).toEqual([]);
	});

	it('incidentUpdated: one incident twice in one answer is emitted once, in its newest version', () => {
		const base = firstRound([], scope, '2024-05-01T09:50:00.0000000Z', undefined, updated).next;
		const round = nextRound(
			base,
			[incident(1, '2024-05-01T09:55:00Z', '2024-05-01T10:02:00Z'), incident(1, '2024-05-01T09:55:00Z', '2024-05-01T10:01:00Z')],
			updated,
		);
		expect(round.fresh).toEqual([incident(1, '2024-05-01T09:55:00Z', '2024-05-01T10:02:00Z')]);
	});
});

describe('readState', () => {
	const state = firstRound([], scope, '2024-05-01T09:50:00.0000000Z', undefined, created).next;

	it('returns a copy of a stored state of the same scope', () => {
		const stored = { [STATE_KEY]: JSON.parse(JSON.stringify(state)) };
		const read = readState(stored, scope)!;
		expect(read).toEqual(state);
		read.seen.x = 'y';
		expect(stored[STATE_KEY].seen).toEqual({});
	});

	it('ignores a state of another event or other filters, another version, or a damaged one', () => {
		expect(readState({ [STATE_KEY]: state }, stateScope('incidentUpdated', [], []))).toBeUndefined();
		expect(readState({ [STATE_KEY]: state }, stateScope('incidentCreated', ['high'], []))).toBeUndefined();
		expect(readState({ [STATE_KEY]: { ...state, version: 2 } }, scope)).toBeUndefined();
		expect(readState({ [STATE_KEY]: { ...state, since: 'soon' } }, scope)).toBeUndefined();
		expect(readState({}, scope)).toBeUndefined();
	});

	it('scope does not depend on the order of filter values', () => {
		expect(stateScope('incidentCreated', ['low', 'high'], ['active'])).toBe(
			stateScope('incidentCreated', ['high', 'low', 'low'], ['active']),
		);
	});
});
