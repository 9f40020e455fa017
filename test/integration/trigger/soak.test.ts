/*
 * Trigger soak, once for incidents and once for alerts (the same state design): two triggers
 * (<entity>Created and <entity>Updated) on one simulated tenant, 60 polls
 * driven directly (no real waiting), 500+ incidents, random faults and restarts, all from a seeded PRNG
 * (set SOAK_SEED to replay a failure). Checked at the end: every incident emitted exactly once by the
 * created trigger, every incident's latest version emitted by the updated trigger and no version twice.
 *
 * Time is virtual: each poll is a minute later. New incidents get a createdDateTime at that virtual time
 * (some a few minutes older: visible late; some sharing one timestamp), portal changes a
 * lastUpdateDateTime at it, so the overlap window (5 min here: fewer pages per poll, a faster test)
 * slides and the remembered ids get pruned over the run, as in real life. Only the first activation
 * reads the local clock, which is where the virtual clock starts.
 *
 * Faults: 429 with and without Retry-After (recovered by retries, or not), 500, 503, a hanging response
 * (the transport's request timeout), on the first or a later page; expired tokens (401, renewed);
 * restarts that rebuild the triggers from what n8n persisted only.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PollResult, PollRunner } from '../../harness';
import { startTriggerBed, type TriggerBed } from './setup';

const SEED = Number(process.env.SOAK_SEED ?? 20261126);
const POLLS = 60;
const MIN_INCIDENTS = 500;
const POLL_INTERVAL_MS = 60_000;

/** mulberry32: small, seeded, good enough for picking faults */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

let bed: TriggerBed;
beforeAll(async () => {
	// alert pages of 50 (Graph: 2,000) so a burst of alerts spans pages here too
	bed = await startTriggerBed({ alertPageSize: 50 });
	// a hanging response gives up after 600 ms (then it is retried like a network error); the deadline
	// covers the whole request, token included, so it leaves room for a loaded machine
	bed.policy.requestTimeoutMs = 600;
});
afterAll(async () => await bed.stop());

interface Entity {
	created: string;
	updated: string;
	path: string;
	create(createdDateTime: string): IDataObject;
	change(id: string, lastUpdateDateTime: string, busy: boolean): void;
	latest(): Array<{ id: string; lastUpdateDateTime: string }>;
}

const ENTITIES: Record<'incidents' | 'alerts', () => Entity> = {
	incidents: () => ({
		created: 'incidentCreated',
		updated: 'incidentUpdated',
		path: '/v1.0/security/incidents',
		// no alerts inside: the alert run's alerts all come after its activation
		create: (createdDateTime) => bed.cloud.createIncident({ createdDateTime, status: 'active', alertsCount: 0 }),
		change: (id, lastUpdateDateTime, busy) =>
			void bed.cloud.updateIncidentAsPortal(id, { lastUpdateDateTime, status: busy ? 'inProgress' : 'active' }),
		latest: () => bed.cloud.incidents.map((i) => ({ id: String(i.id), lastUpdateDateTime: String(i.lastUpdateDateTime) })),
	}),
	alerts: () => ({
		created: 'alertCreated',
		updated: 'alertUpdated',
		path: '/v1.0/security/alerts_v2',
		create: (createdDateTime) => bed.cloud.createAlert({ createdDateTime, status: 'new' }),
		change: (id, lastUpdateDateTime, busy) =>
			void bed.cloud.updateAlertAsPortal(id, { lastUpdateDateTime, status: busy ? 'inProgress' : 'new' }),
		latest: () => bed.cloud.alerts.map((a) => ({ id: String(a.id), lastUpdateDateTime: String(a.lastUpdateDateTime) })),
	}),
};

test.each(['incidents', 'alerts'] as const)(`soak, %s: ${POLLS} polls, ${MIN_INCIDENTS}+ of them, faults and restarts: nothing missed, nothing twice (seed ${SEED})`, async (kind) => {
	const entity = ENTITIES[kind]();
	bed.cloud.clearFaults();
	bed.waits.length = 0;
	const random = prng(SEED);
	const chance = (p: number) => random() < p;
	const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
	const log: string[] = [];
	const context = () => `seed ${SEED}\n${log.slice(-12).join('\n')}`;

	const start = Date.now();
	let virtualNow = start;
	const at = (offsetMs = 0) => new Date(virtualNow + offsetMs).toISOString();

	let createdTrigger: PollRunner = bed.trigger({ event: entity.created, options: { overlapMinutes: 5 } });
	let updatedTrigger: PollRunner = bed.trigger({ event: entity.updated, options: { overlapMinutes: 5 } });
	const emittedCreated: string[] = [];
	const emittedVersions = new Map<string, string[]>();
	const createdIds: string[] = [];
	const stats = { failedPolls: 0, restarts: 0, faults: 0, tokenExpiries: 0, okPolls: 0 };

	const record = (name: string, trigger: 'created' | 'updated', result: PollResult) => {
		if (result.error) {
			stats.failedPolls++;
			expect(result.items).toBeNull();
			log.push(`${name} ${trigger}: error ${result.error.message.slice(0, 100)}`);
			return;
		}
		stats.okPolls++;
		const items = (result.items?.[0] ?? []).map((item) => item.json as IDataObject);
		const field = trigger === 'created' ? 'createdDateTime' : 'lastUpdateDateTime';
		const times = items.map((item) => Date.parse(String(item[field])));
		expect(times).toEqual([...times].sort((a, b) => a - b)); // oldest first
		for (const item of items) {
			const id = String(item.id);
			if (trigger === 'created') {
				emittedCreated.push(id);
			} else {
				emittedVersions.set(id, [...(emittedVersions.get(id) ?? []), String(item.lastUpdateDateTime)]);
			}
		}
		log.push(`${name} ${trigger}: ${items.length} items`);
	};

	// activation (first round: what exists now is not emitted); the incidents of the run come after it
	record('activation', 'created', await createdTrigger.poll());
	record('activation', 'updated', await updatedTrigger.poll());
	expect(emittedCreated).toEqual([]);

	for (let poll = 1; poll <= POLLS || createdIds.length < MIN_INCIDENTS; poll++) {
		const finalRounds = poll > POLLS; // only if still short of incidents: keep going, calmly
		virtualNow += POLL_INTERVAL_MS;

		// new incidents: mostly now, some visible late (older createdDateTime), some sharing a timestamp
		const count = poll === 20 ? 120 : between(0, 14);
		const shared = at(-between(0, 20_000));
		for (let i = 0; i < count; i++) {
			const createdDateTime = chance(0.15) ? at(-between(60_000, 240_000)) : chance(0.2) ? shared : at(-between(0, 25_000));
			createdIds.push(String(entity.create(createdDateTime).id));
		}
		// portal changes to random incidents of this run, at the virtual time
		const changes = between(0, 6);
		for (let i = 0; i < changes && createdIds.length > 0; i++) {
			const id = createdIds[between(0, createdIds.length - 1)];
			entity.change(id, at(-between(0, 20_000)), chance(0.5));
		}

		if (!finalRounds) {
			const path = chance(0.3) ? /\$skip=/ : entity.path;
			const roll = random();
			let fault: IDataObject | undefined;
			if (roll < 0.06) fault = { status: 429, retryAfter: 1, times: between(1, 2) }; // recovered
			else if (roll < 0.1) fault = { status: 429, times: 8 }; // no Retry-After, retries run out
			else if (roll < 0.14) fault = { status: 429, retryAfter: 1, times: 8 };
			else if (roll < 0.2) fault = { status: 500, times: 1 };
			else if (roll < 0.26) fault = { status: 503, times: between(1, 8) };
			else if (roll < 0.3) fault = { hang: true, times: between(1, 2) }; // timed out, retried
			else if (roll < 0.32) fault = { hang: true, times: 8 };
			if (fault) {
				stats.faults++;
				bed.cloud.injectFault({ server: 'graph', path, ...fault });
				log.push(`poll ${poll}: fault ${JSON.stringify({ ...fault, path: String(path) })}`);
			}
			if (chance(0.08)) {
				stats.tokenExpiries++;
				bed.cloud.expireAccessTokens();
				log.push(`poll ${poll}: tokens expired`);
			}
		}

		const order = chance(0.5);
		const first = order ? 'created' : 'updated';
		const second = order ? 'updated' : 'created';
		const pollOne = async (which: 'created' | 'updated') =>
			record(`poll ${poll}`, which, await (which === 'created' ? createdTrigger : updatedTrigger).poll());
		await pollOne(first);
		await pollOne(second);
		bed.cloud.clearFaults();

		if (!finalRounds && chance(0.1)) {
			stats.restarts++;
			createdTrigger = createdTrigger.restart();
			updatedTrigger = updatedTrigger.restart();
			log.push(`poll ${poll}: restart`);
		}
	}
	// catch up after the last fault
	for (let i = 0; i < 2; i++) {
		virtualNow += POLL_INTERVAL_MS;
		record('drain', 'created', await createdTrigger.poll());
		record('drain', 'updated', await updatedTrigger.poll());
	}

	// the run did exercise what it claims to
	expect(createdIds.length).toBeGreaterThanOrEqual(MIN_INCIDENTS);
	expect(stats.failedPolls).toBeGreaterThan(3);
	expect(stats.restarts).toBeGreaterThan(2);
	expect(stats.tokenExpiries).toBeGreaterThan(1);
	expect(bed.waits.length).toBeGreaterThan(0);

	// <entity>Created: every one exactly once
	const duplicates = emittedCreated.filter((id, i) => emittedCreated.indexOf(id) !== i);
	const missed = createdIds.filter((id) => !emittedCreated.includes(id));
	expect({ duplicates, missed, context: duplicates.length + missed.length ? context() : '' }).toEqual({
		duplicates: [],
		missed: [],
		context: '',
	});
	expect(emittedCreated).toHaveLength(createdIds.length);

	// <entity>Updated: each one's versions strictly newer each time, and its latest one emitted
	const latest = new Map(entity.latest().map((i) => [i.id, i.lastUpdateDateTime]));
	const problems: string[] = [];
	for (const id of createdIds) {
		const versions = emittedVersions.get(id) ?? [];
		if (versions.length === 0) problems.push(`${id}: never emitted`);
		for (let i = 1; i < versions.length; i++) {
			if (Date.parse(versions[i]) <= Date.parse(versions[i - 1])) problems.push(`${id}: ${versions[i]} again`);
		}
		if (versions.at(-1) !== latest.get(id)) problems.push(`${id}: latest ${latest.get(id)} not emitted`);
	}
	expect({ problems, context: problems.length ? context() : '' }).toEqual({ problems: [], context: '' });
}, 90_000); // runs in about 10 s; the margin is for a loaded machine
