import {
	FIRST_POLL_DELAYS_MS,
	MachineActionFailedError,
	MachineActionWaitTimeoutError,
	PACKAGE_URI_INTERVAL_MS,
	POLL_INTERVAL_MS,
	PackageUriUnavailableError,
	maxPollsFor,
	waitForMachineAction,
} from '../../../nodes/Microsoft365Defender/helpers';
import type { IDataObject } from 'n8n-workflow';

const MINUTE = 60_000;

/**
 * A fake Defender: the action is Pending, InProgress after `startMs`, `outcome` after `endMs` (on a fake clock
 * that only the injected sleep moves). Records the clock time of every read.
 */
function fakeDefender({ startMs = 3_000, endMs = 40_000, outcome = 'Succeeded', type = 'Isolate', packageReadyAfterMs = 0 } = {}) {
	let clock = 1_000_000;
	const t0 = clock;
	const reads: number[] = [];
	const packageReads: number[] = [];
	const sleeps: number[] = [];
	const status = () => (clock - t0 >= endMs ? outcome : clock - t0 >= startMs ? 'InProgress' : 'Pending');
	const action = (): IDataObject => ({ id: 'a1', type, status: status(), machineId: 'm1', computerDnsName: 'ws-1', errorHResult: outcome === 'Failed' ? -2147467259 : 0 });
	return {
		first: action(),
		reads,
		packageReads,
		sleeps,
		elapsed: () => clock - t0,
		deps: (timeoutMs = 10 * MINUTE) => ({
			timeoutMs,
			now: () => clock,
			sleep: async (ms: number) => {
				sleeps.push(ms);
				clock += ms;
			},
			getAction: async () => {
				reads.push(clock - t0);
				return action();
			},
			getPackageUri: async () => {
				packageReads.push(clock - t0);
				return clock - t0 - endMs >= packageReadyAfterMs ? 'https://mde.example/packages/a1.zip?sig=x' : undefined;
			},
		}),
	};
}

/** The most reads inside any 60 s window. */
function maxPerMinute(times: number[]): number {
	return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + MINUTE).length));
}

describe('waitForMachineAction', () => {
	test('polls until Succeeded: 5, 10, 20 s, then every 30 s', async () => {
		const defender = fakeDefender({ endMs: 100_000 });
		const result = await waitForMachineAction(defender.first, defender.deps());
		expect(result.action.status).toBe('Succeeded');
		expect(defender.sleeps).toEqual([5_000, 10_000, 20_000, 30_000, 30_000, 30_000]);
		expect(defender.reads).toEqual([5_000, 15_000, 35_000, 65_000, 95_000, 125_000]);
		expect(result.polls).toBe(6);
		expect(result.packageUri).toBeUndefined();
		expect(defender.packageReads).toEqual([]);
	});

	test('an action already terminal is not read again', async () => {
		const defender = fakeDefender({ endMs: 0 });
		const result = await waitForMachineAction(defender.first, defender.deps());
		expect(result).toEqual({ action: defender.first, polls: 0 });
		expect(defender.reads).toEqual([]);
	});

	test.each([
		['Failed', /ended with status Failed: the device could not carry it out \(errorHResult -2147467259\)/],
		['TimeOut', /ended with status TimeOut: the device did not respond in time/],
		['Cancelled', /ended with status Cancelled/],
	])('%s is an error naming the status', async (outcome, message) => {
		const defender = fakeDefender({ outcome });
		const error = await waitForMachineAction(defender.first, defender.deps()).catch((e: Error) => e);
		expect(error).toBeInstanceOf(MachineActionFailedError);
		expect((error as Error).message).toMatch(/^Defender's Isolate action a1 on ws-1 /);
		expect((error as Error).message).toMatch(message);
	});

	test('a bounded timeout: the last read is at the deadline, then an error naming the status and the action id', async () => {
		const defender = fakeDefender({ endMs: 60 * MINUTE });
		const error = await waitForMachineAction(defender.first, defender.deps(2 * MINUTE)).catch((e: Error) => e);
		expect(error).toBeInstanceOf(MachineActionWaitTimeoutError);
		expect((error as Error).message).toBe(
			"Defender's Isolate action a1 on ws-1 is still InProgress after 2 minutes of waiting; Defender carries on with it: check it later with Get Action (ID a1), or raise \"Wait Timeout (Minutes)\"",
		);
		expect(defender.reads[defender.reads.length - 1]).toBe(2 * MINUTE);
		expect(defender.elapsed()).toBe(2 * MINUTE);
		expect(defender.reads.length).toBe(maxPollsFor(2 * MINUTE));
	});

	test('an action finishing right at the deadline succeeds', async () => {
		const defender = fakeDefender({ endMs: 2 * MINUTE });
		const result = await waitForMachineAction(defender.first, defender.deps(2 * MINUTE));
		expect(result.action.status).toBe('Succeeded');
	});

	test("stays far inside Defender's 100 calls a minute, and the reads per wait are bounded", async () => {
		for (const minutes of [1, 10, 120]) {
			const defender = fakeDefender({ endMs: 24 * 60 * MINUTE });
			await waitForMachineAction(defender.first, defender.deps(minutes * MINUTE)).catch(() => undefined);
			// the first reads, plus one at a deadline that cuts the next delay short
			expect(maxPerMinute(defender.reads)).toBeLessThanOrEqual(FIRST_POLL_DELAYS_MS.length + 1);
			// after the first reads, one per POLL_INTERVAL_MS: 2 a minute (and the one at the deadline)
			expect(maxPerMinute(defender.reads.filter((t) => t > 35_000 && t < minutes * MINUTE))).toBeLessThanOrEqual(MINUTE / POLL_INTERVAL_MS);
			expect(defender.reads.length).toBe(maxPollsFor(minutes * MINUTE));
		}
		expect(maxPollsFor(10 * MINUTE)).toBe(22);
		expect(maxPollsFor(120 * MINUTE)).toBe(242);
	});

	describe('investigation package', () => {
		test('the download link is added once the collection succeeded', async () => {
			const defender = fakeDefender({ type: 'CollectInvestigationPackage' });
			const result = await waitForMachineAction(defender.first, defender.deps());
			expect(result.packageUri).toBe('https://mde.example/packages/a1.zip?sig=x');
			expect(defender.packageReads).toHaveLength(1);
		});

		test('GetPackageUri not ready: asked again 30 s apart (its limit is 2 a minute), at most 3 times', async () => {
			const late = fakeDefender({ type: 'CollectInvestigationPackage', packageReadyAfterMs: 70_000 });
			const result = await waitForMachineAction(late.first, late.deps());
			expect(result.packageUri).toBeDefined();
			expect(late.packageReads).toHaveLength(3);
			expect(late.packageReads[1] - late.packageReads[0]).toBe(PACKAGE_URI_INTERVAL_MS);
			expect(maxPerMinute(late.packageReads)).toBeLessThanOrEqual(2);

			const never = fakeDefender({ type: 'CollectInvestigationPackage', packageReadyAfterMs: 60 * MINUTE });
			const error = await waitForMachineAction(never.first, never.deps()).catch((e: Error) => e);
			expect(error).toBeInstanceOf(PackageUriUnavailableError);
			expect((error as Error).message).toMatch(/succeeded, but Defender has no download link/);
			expect(never.packageReads).toHaveLength(3);
		});

		test('a failed collection asks for no link', async () => {
			const defender = fakeDefender({ type: 'CollectInvestigationPackage', outcome: 'Failed' });
			await expect(waitForMachineAction(defender.first, defender.deps())).rejects.toBeInstanceOf(MachineActionFailedError);
			expect(defender.packageReads).toEqual([]);
		});
	});
});
