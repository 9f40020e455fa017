/* Shared setup of the Defender for Endpoint integration tests: the node's test bed plus credentials that reach the sim's MDE host. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { LoggedRequest, SimOptions } from '../../../sim';
import type { CredentialRef, ExecuteOptions } from '../../harness';
import { resetTestBed, startTestBed, testWaitClock, type TestBed } from '../node/setup';
import { secretApp } from '../simBed';

export const CLIENT_CREDENTIALS = 'microsoft365DefenderClientCredentialsApi';
export const DEVICE_CODE = 'microsoft365DefenderDeviceCodeApi';
export const MANAGED_IDENTITY = 'microsoft365DefenderManagedIdentityApi';

export interface MdeBed extends TestBed {
	/** client credentials (secret) with every MDE application role, mdeEndpoint set */
	mdeApp: CredentialRef;
	/** an app without MDE roles */
	mdeReadOnlyApp: CredentialRef;
	/** the virtual clock of Wait For Completion (ms); sleeping moves it and the sim's MDE clock */
	clock: { now: number; start: number; sleeps: number[]; marks: Array<{ at: number; requests: number }> };
	runMde(parameters: INodeParameters, options?: Partial<ExecuteOptions>): ReturnType<TestBed['run']>;
	mdeRequests(): LoggedRequest[];
	/** the virtual time (ms) at which each logged request was sent, in log order */
	requestTimes(): number[];
}

export async function startMdeBed(simOptions: SimOptions = {}): Promise<MdeBed> {
	const bed = await startTestBed(simOptions);
	const { cloud, store } = bed;
	const mdeEndpoint = { mdeEndpoint: cloud.mdeEndpoint };
	const mdeApp = store.add(CLIENT_CREDENTIALS, secretApp(cloud, mdeEndpoint));
	const mdeReadOnlyApp = store.add(CLIENT_CREDENTIALS, secretApp(cloud, mdeEndpoint, cloud.apps.readOnly));

	const clock = { now: 1_800_000_000_000, start: 1_800_000_000_000, sleeps: [] as number[], marks: [] as Array<{ at: number; requests: number }> };
	// the node's Wait For Completion clock (startTestBed put the system's back)
	testWaitClock.now = () => clock.now;
	testWaitClock.sleep = async (ms: number) => {
		clock.sleeps.push(ms);
		clock.now += ms;
		cloud.mde.advanceTime(ms);
		clock.marks.push({ at: clock.now, requests: cloud.requests.length });
	};

	return {
		...bed,
		mdeApp,
		mdeReadOnlyApp,
		clock,
		runMde: async (parameters, options = {}) =>
			await bed.run(parameters, { credentials: { [CLIENT_CREDENTIALS]: mdeApp }, ...options }),
		mdeRequests: () => cloud.requests.filter((r) => r.server === 'mde'),
		// a request logged after the k-th sleep was sent at that sleep's end
		requestTimes: () =>
			cloud.requests.map((_request, index) => {
				let at = clock.start;
				for (const mark of clock.marks) if (mark.requests <= index) at = mark.at;
				return at - clock.start;
			}),
		stop: async () => await bed.stop(),
	};
}

export function resetMdeBed(bed: MdeBed): void {
	resetTestBed(bed);
	bed.cloud.mde.setRateLimit(null, null);
	bed.clock.sleeps.length = 0;
	bed.clock.start = bed.clock.now;
	bed.clock.marks.length = 0;
}

export const deviceLocator = (value: string, mode = 'id') => ({ __rl: true, mode, value });

/** The decoded payload of the bearer token a logged request carried (undefined without one). */
export function tokenPayload(request: LoggedRequest): IDataObject | undefined {
	const header = String(request.headers.authorization ?? '');
	const token = /^Bearer (.+)$/.exec(header)?.[1];
	if (!token) return undefined;
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as IDataObject;
}

/** The most requests inside any 60 s window of the given times. */
export function maxPerMinute(times: number[]): number {
	return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));
}
