/* Shared setup of the action node's integration tests: the simulated cloud, the real credential types, the harness. */
import type { INodeParameters } from 'n8n-workflow';

import { resetTokenCaches as resetTokenCachesForTests } from '../auth/resetTokenCaches';
import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { DEFAULT_RETRY_POLICY, SYSTEM_WAIT_CLOCK, type RetryPolicy, type WaitClock } from '../../../nodes/Microsoft365Defender/transport';
import type { LoggedRequest, SimCloud, SimOptions } from '../../../sim';
import { executeNode, type CredentialRef, type CredentialStore, type ExecuteOptions } from '../../harness';
import { newStore, secretApp, startTrustedCloud } from '../simBed';

/** a retry policy the tests own (short waits, recorded) and may change per test; the node is given it */
export type TestRetryPolicy = { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] };
export const testPolicy: TestRetryPolicy = { ...DEFAULT_RETRY_POLICY };
/** the clock of Wait For Completion the tests own (the MDE bed makes it virtual); the system's by default */
export const testWaitClock: WaitClock = { ...SYSTEM_WAIT_CLOCK };
export const nodeType = new Microsoft365Defender({ retryPolicy: testPolicy, waitClock: testWaitClock });
export { credentialTypes } from '../simBed';

export interface TestBed {
	cloud: SimCloud;
	store: CredentialStore;
	app: CredentialRef;
	readOnlyApp: CredentialRef;
	/** delays the transport asked to wait, in ms (the waits themselves are capped at 20 ms) */
	waits: number[];
	/** the node's retry policy (the bed's short waits); a test may change it, the next bed resets it */
	policy: TestRetryPolicy;
	run(parameters: INodeParameters, options?: Partial<ExecuteOptions>): ReturnType<typeof executeNode>;
	graphRequests(): LoggedRequest[];
	stop(): Promise<void>;
}


export async function startTestBed(simOptions: SimOptions = {}): Promise<TestBed> {
	const cloud = await startTrustedCloud({ pageSize: 5, incidents: 20, ...simOptions });
	resetTokenCachesForTests();
	const store = newStore();
	const app = store.add('microsoft365DefenderClientCredentialsApi', secretApp(cloud));
	const readOnlyApp = store.add('microsoft365DefenderClientCredentialsApi', secretApp(cloud, {}, cloud.apps.readOnly));

	const waits: number[] = [];
	Object.assign(testWaitClock, SYSTEM_WAIT_CLOCK);
	Object.assign(testPolicy, {
		...DEFAULT_RETRY_POLICY,
		maxRetries: 3,
		baseDelayMs: 10,
		maxDelayMs: 40,
		maxTotalWaitMs: 10_000,
		sleep: async (ms: number) => {
			waits.push(ms);
			await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)));
		},
	});

	return {
		cloud,
		store,
		app,
		readOnlyApp,
		waits,
		policy: testPolicy,
		run: async (parameters, options = {}) =>
			await executeNode(nodeType, {
				store,
				credentials: { microsoft365DefenderClientCredentialsApi: app },
				...options,
				parameters,
			}),
		graphRequests: () => cloud.requests.filter((r) => r.server === 'graph'),
		stop: async () => {
			await cloud.stop();
		},
	};
}

/** Resets the per-test state of a shared test bed. */
export function resetTestBed(bed: TestBed): void {
	bed.cloud.clearFaults();
	bed.cloud.setRateLimit(null);
	bed.cloud.clearRequests();
	bed.waits.length = 0;
}

export const incidentLocator = (value: string, mode = 'id') => ({ __rl: true, mode, value });
