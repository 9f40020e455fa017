/* Shared setup of the trigger's integration tests: the simulated cloud, the real credential types, n8n's poll context. */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { resetTokenCaches as resetTokenCachesForTests } from '../auth/resetTokenCaches';
import { Microsoft365DefenderTrigger } from '../../../nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/Microsoft365Defender/transport';
import type { LoggedRequest, SimCloud, SimOptions } from '../../../sim';
import { createPollRunner, type CredentialRef, type CredentialStore, type PollRunner, type PollRunnerOptions } from '../../harness';
import { type TestRetryPolicy } from '../node/setup';
import { newStore, secretApp, startTrustedCloud } from '../simBed';

/** the trigger's retry policy, owned by the tests (short waits, recorded) */
const testPolicy: TestRetryPolicy = { ...DEFAULT_RETRY_POLICY };
export const triggerType = new Microsoft365DefenderTrigger({ retryPolicy: testPolicy });
export const STATE_NODE_KEY = 'node:Microsoft 365 Defender Trigger';

export interface TriggerBed {
	cloud: SimCloud;
	store: CredentialStore;
	app: CredentialRef;
	/** delays the transport asked to wait, in ms (not actually waited) */
	waits: number[];
	/** the trigger's retry policy (the bed's short waits); a test may change it, the next bed resets it */
	policy: TestRetryPolicy;
	/** a trigger as n8n runs it (first poll = activation) */
	trigger(parameters?: INodeParameters, options?: Partial<PollRunnerOptions>): PollRunner;
	graphRequests(): LoggedRequest[];
	tokenRequests(): LoggedRequest[];
	stop(): Promise<void>;
}


export async function startTriggerBed(simOptions: SimOptions = {}): Promise<TriggerBed> {
	const cloud = await startTrustedCloud({ incidents: 20, ...simOptions });
	resetTokenCachesForTests();
	const store = newStore();
	const app = store.add('microsoft365DefenderClientCredentialsApi', secretApp(cloud));
	const waits: number[] = [];
	Object.assign(testPolicy, {
		...DEFAULT_RETRY_POLICY,
		maxRetries: 3,
		baseDelayMs: 10,
		maxDelayMs: 40,
		maxTotalWaitMs: 60_000,
		sleep: async (ms: number) => {
			waits.push(ms);
		},
	});
	return {
		cloud,
		store,
		app,
		waits,
		policy: testPolicy,
		trigger: (parameters = {}, options = {}) =>
			createPollRunner(triggerType, {
				store,
				credentials: { microsoft365DefenderClientCredentialsApi: app },
				parameters,
				...options,
			}),
		graphRequests: () => cloud.requests.filter((r) => r.server === 'graph'),
		tokenRequests: () => cloud.requests.filter((r) => r.server === 'login' && r.path.endsWith('/token')),
		stop: async () => {
			await cloud.stop();
		},
	};
}

/** ids of what one poll emitted (one item per incident), in output order */
export function emittedIds(items: INodeExecutionData[][] | null): string[] {
	return (items?.[0] ?? []).map((item) => String(item.json.id));
}

/** an ISO time `ms` from now */
export const isoFromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
