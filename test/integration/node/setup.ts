/* Shared setup of the action node's integration tests: the simulated cloud, the real credential types, the harness. */
import type { INodeParameters } from 'n8n-workflow';

import { resetTokenCaches as resetTokenCachesForTests } from '../auth/resetTokenCaches';
import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { retryPolicy } from '../../../nodes/Microsoft365Defender/transport';
import type { LoggedRequest, SimCloud, SimOptions } from '../../../sim';
import { executeNode, type CredentialRef, type CredentialStore, type ExecuteOptions } from '../../harness';
import { newStore, secretApp, startTrustedCloud } from '../simBed';

export const nodeType = new Microsoft365Defender();
export { credentialTypes } from '../simBed';

export interface TestBed {
	cloud: SimCloud;
	store: CredentialStore;
	app: CredentialRef;
	readOnlyApp: CredentialRef;
	/** delays the transport asked to wait, in ms (the waits themselves are capped at 20 ms) */
	waits: number[];
	run(parameters: INodeParameters, options?: Partial<ExecuteOptions>): ReturnType<typeof executeNode>;
	graphRequests(): LoggedRequest[];
	stop(): Promise<void>;
}

const originalPolicy = { ...retryPolicy };

export async function startTestBed(simOptions: SimOptions = {}): Promise<TestBed> {
	const cloud = await startTrustedCloud({ pageSize: 5, incidents: 20, ...simOptions });
	resetTokenCachesForTests();
	const store = newStore();
	const app = store.add('microsoft365DefenderClientCredentialsApi', secretApp(cloud));
	const readOnlyApp = store.add('microsoft365DefenderClientCredentialsApi', secretApp(cloud, {}, cloud.apps.readOnly));

	const waits: number[] = [];
	Object.assign(retryPolicy, {
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
		run: async (parameters, options = {}) =>
			await executeNode(nodeType, {
				store,
				credentials: { microsoft365DefenderClientCredentialsApi: app },
				...options,
				parameters,
			}),
		graphRequests: () => cloud.requests.filter((r) => r.server === 'graph'),
		stop: async () => {
			Object.assign(retryPolicy, originalPolicy);
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
