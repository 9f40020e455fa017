/* Shared setup of the trigger's integration tests: the simulated cloud, the real credential types, n8n's poll context. */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { resetTokenCaches as resetTokenCachesForTests } from '../auth/resetTokenCaches';
import { Microsoft365DefenderTrigger } from '../../../nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node';
import { retryPolicy } from '../../../nodes/Microsoft365Defender/transport';
import type { LoggedRequest, SimCloud, SimOptions } from '../../../sim';
import { createPollRunner, type CredentialRef, type CredentialStore, type PollRunner, type PollRunnerOptions } from '../../harness';
import { newStore, secretApp, startTrustedCloud } from '../simBed';

export const triggerType = new Microsoft365DefenderTrigger();
export const STATE_NODE_KEY = 'node:Microsoft 365 Defender Trigger';

export interface TriggerBed {
	cloud: SimCloud;
	store: CredentialStore;
	app: CredentialRef;
	/** delays the transport asked to wait, in ms (not actually waited) */
	waits: number[];
	/** a trigger as n8n runs it (first poll = activation) */
	trigger(parameters?: INodeParameters, options?: Partial<PollRunnerOptions>): PollRunner;
	graphRequests(): LoggedRequest[];
	tokenRequests(): LoggedRequest[];
	stop(): Promise<void>;
}

const originalPolicy = { ...retryPolicy };

export async function startTriggerBed(simOptions: SimOptions = {}): Promise<TriggerBed> {
	const cloud = await startTrustedCloud({ incidents: 20, ...simOptions });
	resetTokenCachesForTests();
	const store = newStore();
	const app = store.add('microsoft365DefenderClientCredentialsApi', secretApp(cloud));
	const waits: number[] = [];
	Object.assign(retryPolicy, {
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
			Object.assign(retryPolicy, originalPolicy);
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
