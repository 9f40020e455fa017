/**
 * Poll state of the trigger, kept in the node's static data, and the pure logic of one round. Written for
 * incidents; alerts (alertCreated / alertUpdated) use it unchanged ("incident" below stands for either).
 *
 * Why it looks like this (XSOAR's fetch-incidents asks `createdTime gt <last>`: incidents sharing a
 * timestamp or becoming visible late are lost):
 * - Each round asks Graph for every matching incident with `<field> ge since` (field = createdDateTime
 *   for incidentCreated, lastUpdateDateTime for incidentUpdated) and reads ALL pages; Graph's order is
 *   not relied upon, we sort oldest first ourselves (timestamp, then id).
 * - `since` trails the newest timestamp handled (`watermark`) by the overlap, so incidents that share a
 *   timestamp or show up late with an older timestamp are still asked for. `seen` remembers every
 *   incident handled inside that window (id -> timestamp emitted), so they are emitted once:
 *   incidentCreated skips a known id, incidentUpdated skips unless the timestamp is newer.
 * - `since` only moves forward and `seen` keeps only entries at or after it, so memory is bounded by
 *   the incidents of one overlap window; a hard cap (`maxSeen`) raises `since` past the oldest whole
 *   timestamp groups if a burst ever exceeds it (those cannot be asked for again, so no duplicates).
 * - Server timestamps move the state, but never past the poll's own clock plus a skew allowance
 *   (`ceiling`): an incident dated in the future (2099) is emitted once and kept in `seen`, while the
 *   watermark stays with the present, so later incidents are still asked for. A stored state that a
 *   future timestamp already moved (older versions) is pulled back to the present (healState). Clock
 *   skew between n8n and Graph up to the overlap, or up to the allowance ahead, is harmless.
 * - n8n persists static data at activation and when a poll emits items, not after a poll that returns
 *   nothing. A round that emits nothing leaves the state as it was (nothing new means no newer
 *   timestamp, so `since` and `seen` do not change), so losing it on restart loses nothing.
 * - The caller writes the new state only after every page was fetched: a failed round changes nothing.
 *
 * Timestamps are kept as `YYYY-MM-DDTHH:MM:SS.fffffffZ` (UTC, Graph's 7 fractional digits), which sorts
 * as text and is a valid OData DateTimeOffset literal.
 */
import type { IDataObject } from 'n8n-workflow';

export const TRIGGER_EVENTS = ['incidentCreated', 'incidentUpdated', 'alertCreated', 'alertUpdated'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

/** Incidents and alerts share the design: both have an id, createdDateTime and lastUpdateDateTime. */
export const EVENT_FIELD: Record<TriggerEvent, 'createdDateTime' | 'lastUpdateDateTime'> = {
	incidentCreated: 'createdDateTime',
	incidentUpdated: 'lastUpdateDateTime',
	alertCreated: 'createdDateTime',
	alertUpdated: 'lastUpdateDateTime',
};

export const STATE_VERSION = 1;
/** the key under the node's static data */
export const STATE_KEY = 'incidentPoll';

export interface PollState {
	version: typeof STATE_VERSION;
	/** event and filters the state belongs to; a different scope starts afresh */
	scope: string;
	/** the next round asks for `<field> ge since` */
	since: string;
	/** newest timestamp handled (or the first round's lower bound while nothing was seen) */
	watermark: string;
	/** id -> timestamp handled, for every incident handled with a timestamp at or after `since` */
	seen: Record<string, string>;
}

export interface RoundSettings {
	field: 'createdDateTime' | 'lastUpdateDateTime';
	overlapMs: number;
	maxSeen: number;
	/** the poll's own clock; the watermark never moves past it plus CLOCK_SKEW_ALLOWANCE_MS */
	clock?: string;
}

/** how far Graph's clock may run ahead of n8n's before a timestamp counts as "in the future" */
export const CLOCK_SKEW_ALLOWANCE_MS = 15 * 60_000;

function ceilingOf(settings: RoundSettings): string | undefined {
	return settings.clock === undefined ? undefined : shiftTimestamp(settings.clock, CLOCK_SKEW_ALLOWANCE_MS);
}

/** May the watermark move to `timestamp`? Not past the ceiling (a future-dated incident). */
function withinCeiling(timestamp: string, settings: RoundSettings): boolean {
	const ceiling = ceilingOf(settings);
	return ceiling === undefined || timestamp <= ceiling;
}

/**
 * A state whose watermark is past the ceiling (stored before the ceiling existed): watermark back to the
 * newest handled timestamp not past it (or the poll's clock), `since` back to trail it by the overlap. Incidents
 * in between may be emitted once more; from then on the trigger sees new incidents again.
 */
export function healState(state: PollState, settings: RoundSettings): PollState {
	const ceiling = ceilingOf(settings);
	if (ceiling === undefined || settings.clock === undefined || state.watermark <= ceiling) return state;
	const present = Object.values(state.seen).filter((timestamp) => timestamp <= ceiling);
	const watermark = present.length > 0 ? present.reduce((a, b) => (a > b ? a : b)) : settings.clock;
	const trailing = shiftTimestamp(watermark, -settings.overlapMs);
	return { ...state, watermark, since: state.since < trailing ? state.since : trailing };
}

export interface RoundResult {
	/** incidents to emit, oldest first */
	fresh: IDataObject[];
	next: PollState;
	/** false when `next` equals the previous state */
	changed: boolean;
}

const TIMESTAMP =
	/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Graph's timestamp as sortable UTC text with 7 fractional digits; undefined when not a timestamp. */
export function normalizeTimestamp(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const match = TIMESTAMP.exec(value.trim());
	if (!match) return undefined;
	const [, date, time, fraction = '', zone] = match;
	const digits = (fraction + '0000000').slice(0, 7);
	const clock = time.length === 5 ? `${time}:00` : time;
	if (zone === undefined || zone.toUpperCase() === 'Z' || /^[+-]00:?00$/.test(zone)) {
		const text = `${date}T${clock}.${digits}Z`;
		return Number.isNaN(Date.parse(text)) ? undefined : text;
	}
	// an offset other than UTC: let Date shift it, keep the sub-millisecond digits
	const ms = Date.parse(`${date}T${clock}.${digits.slice(0, 3)}${zone}`);
	if (Number.isNaN(ms)) return undefined;
	return `${new Date(ms).toISOString().slice(0, 23)}${digits.slice(3)}Z`;
}

export function timestampFromDate(date: Date): string {
	return `${date.toISOString().slice(0, 23)}0000Z`;
}

/** a normalized timestamp moved by `deltaMs` (sub-millisecond digits kept) */
export function shiftTimestamp(timestamp: string, deltaMs: number): string {
	const ms = Date.parse(`${timestamp.slice(0, 23)}Z`) + deltaMs;
	return `${new Date(ms).toISOString().slice(0, 23)}${timestamp.slice(23, 27)}Z`;
}

function compareIds(a: string, b: string): number {
	if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
	return a < b ? -1 : a > b ? 1 : 0;
}

interface Keyed {
	incident: IDataObject;
	id: string;
	timestamp: string;
}

/** incidents with an id and a readable timestamp, oldest first (timestamp, then id) */
function keyAndSort(incidents: IDataObject[], field: RoundSettings['field']): Keyed[] {
	const keyed: Keyed[] = [];
	for (const incident of incidents) {
		const id = incident?.id;
		const timestamp = normalizeTimestamp(incident?.[field]);
		if ((typeof id !== 'string' && typeof id !== 'number') || timestamp === undefined) continue;
		keyed.push({ incident, id: String(id), timestamp });
	}
	return keyed.sort((a, b) =>
		a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : compareIds(a.id, b.id),
	);
}

/**
 * the scope a state belongs to: event plus the filters that decide which incidents (alerts) match; filters
 * added later (`more`: assignedTo, classification) only appear when set, so older scopes stay the same
 */
export function stateScope(
	event: TriggerEvent,
	severities: string[],
	statuses: string[],
	serviceSources: string[] = [],
	more: Record<string, string[]> = {},
): string {
	const list = (values: string[]) => [...new Set(values)].sort().join(',');
	const sources = serviceSources.length > 0 ? `|serviceSource=${list(serviceSources)}` : '';
	const rest = Object.entries(more)
		.filter(([, values]) => values.length > 0)
		.map(([name, values]) => `|${name}=${list(values)}`)
		.join('');
	return `${event}|severity=${list(severities)}|status=${list(statuses)}${sources}${rest}`;
}

/** the stored state when it is usable for this scope, else undefined (first round, or settings changed) */
export function readState(staticData: IDataObject, scope: string): PollState | undefined {
	const state = staticData[STATE_KEY] as Partial<PollState> | undefined;
	if (
		!state ||
		typeof state !== 'object' ||
		state.version !== STATE_VERSION ||
		state.scope !== scope ||
		typeof state.since !== 'string' ||
		normalizeTimestamp(state.since) !== state.since ||
		typeof state.watermark !== 'string' ||
		normalizeTimestamp(state.watermark) !== state.watermark ||
		!state.seen ||
		typeof state.seen !== 'object' ||
		Array.isArray(state.seen)
	) {
		return undefined;
	}
	return {
		version: STATE_VERSION,
		scope,
		since: state.since,
		watermark: state.watermark,
		seen: { ...state.seen },
	};
}

/**
 * Moves `since` to watermark - overlap (never back), drops `seen` entries before it, and enforces
 * `maxSeen` by raising `since` to the oldest timestamp that is kept.
 */
function settle(state: PollState, settings: RoundSettings): PollState {
	let since = state.since;
	const trailing = shiftTimestamp(state.watermark, -settings.overlapMs);
	if (trailing > since) since = trailing;
	let entries = Object.entries(state.seen).filter(([, timestamp]) => timestamp >= since);
	if (entries.length > settings.maxSeen) {
		entries.sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
		// keep whole timestamp groups: everything at or after the maxSeen-th newest timestamp
		since = entries[settings.maxSeen - 1][1];
		entries = entries.filter(([, timestamp]) => timestamp >= since);
	}
	return { ...state, since, seen: Object.fromEntries(entries) };
}

function sameState(a: PollState, b: PollState): boolean {
	if (a.since !== b.since || a.watermark !== b.watermark || a.scope !== b.scope) return false;
	const aKeys = Object.keys(a.seen);
	if (aKeys.length !== Object.keys(b.seen).length) return false;
	return aKeys.every((id) => b.seen[id] === a.seen[id]);
}

/**
 * First round (no usable state): everything fetched (asked with `<field> ge since`) is recorded as
 * handled; incidents at or after `emitFrom` (the "start from" look-back) are emitted, none when it is
 * undefined. While nothing was seen the watermark is `since`, so the window stays where it started.
 */
export function firstRound(
	incidents: IDataObject[],
	scope: string,
	since: string,
	emitFrom: string | undefined,
	settings: RoundSettings,
): RoundResult {
	const keyed = keyAndSort(incidents, settings.field).filter((entry) => entry.timestamp >= since);
	const seen: Record<string, string> = {};
	let watermark = since;
	for (const entry of keyed) {
		seen[entry.id] = entry.timestamp;
		if (entry.timestamp > watermark && withinCeiling(entry.timestamp, settings)) watermark = entry.timestamp;
	}
	const fresh =
		emitFrom === undefined
			? []
			: keyed.filter((entry) => entry.timestamp >= emitFrom).map((entry) => entry.incident);
	const next = settle({ version: STATE_VERSION, scope, since, watermark, seen }, settings);
	return { fresh, next, changed: true };
}

/**
 * A later round: emits what is not in `seen` (incidentCreated) or newer than what `seen` holds
 * (incidentUpdated; same field value = already emitted), oldest first, and returns the state to store.
 */
export function nextRound(stored: PollState, incidents: IDataObject[], settings: RoundSettings): RoundResult {
	const previous = healState(stored, settings);
	const seen = { ...previous.seen };
	let watermark = previous.watermark;
	const fresh: IDataObject[] = [];
	const emittedNow = new Set<string>();
	for (const entry of keyAndSort(incidents, settings.field)) {
		// older than the window: handled before, or out of reach by design (Graph should not send it)
		if (entry.timestamp < previous.since) continue;
		const known = seen[entry.id];
		if (known !== undefined && entry.timestamp <= known) continue;
		// the same incident twice in one answer (a page boundary shifted): the newest version wins below
		if (emittedNow.has(entry.id)) {
			const index = fresh.findIndex((incident) => String(incident.id) === entry.id);
			if (index >= 0) fresh.splice(index, 1);
		}
		seen[entry.id] = entry.timestamp;
		emittedNow.add(entry.id);
		fresh.push(entry.incident);
		if (entry.timestamp > watermark && withinCeiling(entry.timestamp, settings)) watermark = entry.timestamp;
	}
	const next = settle({ ...previous, watermark, seen }, settings);
	return { fresh, next, changed: !sameState(stored, next) };
}
