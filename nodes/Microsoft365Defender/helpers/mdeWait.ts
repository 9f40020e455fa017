/**
 * "Wait For Completion" of a Defender for Endpoint machine action: the pure loop, with the clock, the sleep
 * and the two reads injected (the device operations pass the transport; tests pass fakes).
 *
 *   waitForMachineAction(action, { timeoutMs, now, sleep, getAction, getPackageUri? })
 *       -> { action, polls, packageUri? }      the action in a terminal status, Succeeded
 *       throws MachineActionFailedError         it ended Failed, TimeOut or Cancelled (the message names it)
 *       throws MachineActionWaitTimeoutError    still Pending / InProgress when the timeout is up
 *   maxPollsFor(timeoutMs) -> the most status reads one wait makes (bounded, documented)
 *
 * Why it looks like this:
 * - Defender limits every API to 100 calls a minute and 1,500 an hour (api/common-errors, each API page),
 *   per tenant and app, shared with everything else using the app. n8n runs a node's items one after the
 *   other, so one execution waits for one action at a time. Reads come after 5, 10 and 20 s (quick actions
 *   such as isolation often finish within a minute), then every 30 s: at most 4 reads in any minute (3, and
 *   one at a deadline that cuts a delay short) and 2 a minute after the first, which leaves nearly all of the
 *   budget to the actions themselves and to other workflows, and bounds one wait to maxPollsFor(timeoutMs)
 *   reads (22 for the default 10 minutes, 242 for the longest, 120 minutes).
 * - The timeout is measured on the injected clock; the last read happens at the deadline itself, so an
 *   action finishing just before it is not reported as timed out. Defender keeps running an action the
 *   node stopped waiting for: the timeout error says so and names the action id for Get Action.
 * - Failed, TimeOut (Defender's own: the device did not respond) and Cancelled are errors naming the
 *   status: a workflow must not go on as if the device were isolated.
 * - Investigation package: once the collection Succeeded, its download link comes from GetPackageUri, which
 *   Defender limits to 2 calls a minute (api/get-package-sas-uri) and answers 404 until the package is ready;
 *   it is asked at most PACKAGE_URI_ATTEMPTS times, 30 s apart (never more than 2 a minute).
 * - A 429 on any read is the transport's to honour (Retry-After); it does not end the wait.
 */
import type { IDataObject } from 'n8n-workflow';

export const TERMINAL_STATUSES = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'];
export const FAILED_STATUSES = ['Failed', 'TimeOut', 'Cancelled'];

/** The first reads, then POLL_INTERVAL_MS. */
export const FIRST_POLL_DELAYS_MS = [5_000, 10_000, 20_000];
export const POLL_INTERVAL_MS = 30_000;
/** GetPackageUri allows 2 calls a minute: 30 s apart. */
export const PACKAGE_URI_INTERVAL_MS = 30_000;
export const PACKAGE_URI_ATTEMPTS = 3;

export interface WaitDependencies {
	timeoutMs: number;
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	/** reads the machine action (GET /api/machineactions/{id}) */
	getAction: () => Promise<IDataObject>;
	/** the package link (GetPackageUri), undefined while Defender answers 404; only for CollectInvestigationPackage */
	getPackageUri?: () => Promise<string | undefined>;
}

export interface WaitResult {
	action: IDataObject;
	/** status reads made (not counting GetPackageUri) */
	polls: number;
	packageUri?: string;
}

function describe(action: IDataObject): string {
	const device = action.computerDnsName ?? action.machineId;
	return `Defender's ${String(action.type ?? 'machine')} action ${String(action.id)}${device ? ` on ${String(device)}` : ''}`;
}

export class MachineActionFailedError extends Error {
	constructor(readonly action: IDataObject) {
		const status = String(action.status);
		const explanation: Record<string, string> = {
			Failed: 'the device could not carry it out',
			TimeOut: 'the device did not respond in time (is it online and reporting to Defender?)',
			Cancelled: `it was cancelled${action.cancellationRequestor ? ` by ${String(action.cancellationRequestor)}` : ''}`,
		};
		const hresult = typeof action.errorHResult === 'number' && action.errorHResult !== 0 ? ` (errorHResult ${action.errorHResult})` : '';
		super(`${describe(action)} ended with status ${status}: ${explanation[status] ?? 'it did not succeed'}${hresult}`);
		this.name = 'MachineActionFailedError';
	}
}

export class MachineActionWaitTimeoutError extends Error {
	constructor(
		readonly action: IDataObject,
		timeoutMs: number,
	) {
		super(
			`${describe(action)} is still ${String(action.status)} after ${Math.round(timeoutMs / 6_000) / 10} minutes of waiting; Defender carries on with it: check it later with Get Action (ID ${String(action.id)}), or raise "Wait Timeout (Minutes)"`,
		);
		this.name = 'MachineActionWaitTimeoutError';
	}
}

export class PackageUriUnavailableError extends Error {
	constructor(readonly action: IDataObject) {
		super(
			`${describe(action)} succeeded, but Defender has no download link for the investigation package yet (GetPackageUri answered "not found" ${PACKAGE_URI_ATTEMPTS} times, 30 s apart); the package is in the Action center of the Microsoft Defender portal`,
		);
		this.name = 'PackageUriUnavailableError';
	}
}

const delayBefore = (poll: number) => FIRST_POLL_DELAYS_MS[poll] ?? POLL_INTERVAL_MS;

/** The most status reads a wait of timeoutMs makes (one at the deadline included). */
export function maxPollsFor(timeoutMs: number): number {
	let elapsed = 0;
	let polls = 0;
	while (elapsed < timeoutMs) {
		elapsed += delayBefore(polls);
		polls++;
	}
	return polls;
}

export async function waitForMachineAction(first: IDataObject, deps: WaitDependencies): Promise<WaitResult> {
	const deadline = deps.now() + deps.timeoutMs;
	let action = first;
	let polls = 0;
	while (!TERMINAL_STATUSES.includes(String(action.status))) {
		const left = deadline - deps.now();
		if (left <= 0) throw new MachineActionWaitTimeoutError(action, deps.timeoutMs);
		await deps.sleep(Math.min(delayBefore(polls), left));
		action = await deps.getAction();
		polls++;
	}
	if (FAILED_STATUSES.includes(String(action.status))) throw new MachineActionFailedError(action);
	if (action.type !== 'CollectInvestigationPackage' || deps.getPackageUri === undefined) return { action, polls };

	for (let attempt = 1; ; attempt++) {
		const packageUri = await deps.getPackageUri();
		if (packageUri !== undefined) return { action, polls, packageUri };
		if (attempt >= PACKAGE_URI_ATTEMPTS) throw new PackageUriUnavailableError(action);
		await deps.sleep(PACKAGE_URI_INTERVAL_MS);
	}
}
