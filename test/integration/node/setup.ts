/* Shared setup of the action node's integration tests: the simulated cloud, the real credential types, the harness. */
import type { INodeParameters } from 'n8n-workflow';

import { Microsoft365DefenderClientCredentialsApi } from '../../../credentials/Microsoft365DefenderClientCredentialsApi.credentials';
import { Microsoft365DefenderDeviceCodeApi } from '../../../credentials/Microsoft365DefenderDeviceCodeApi.credentials';
import { Microsoft365DefenderManagedIdentityApi } from '../../../credentials/Microsoft365DefenderManagedIdentityApi.credentials';
import { resetTokenCachesForTests } from '../../../nodes/Microsoft365Defender/auth';
import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../../nodes/Microsoft365Defender/transport';
import { startSimulatedCloud, type LoggedRequest, type SimApp, type SimCloud, type SimOptions } from '../../../sim';
import { CredentialStore, executeNode, type CredentialRef, type ExecuteOptions } from '../../harness';

/** a retry policy the tests own (short waits, recorded) and may change per test; the node is given it */
export type TestRetryPolicy = { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] };
export const testPolicy: TestRetryPolicy = { ...DEFAULT_RETRY_POLICY };
export const nodeType = new Microsoft365Defender({ retryPolicy: testPolicy });
export const credentialTypes = () => [
	new Microsoft365DefenderClientCredentialsApi(),
	new Microsoft365DefenderDeviceCodeApi(),
	new Microsoft365DefenderManagedIdentityApi(),
];

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
	const cloud = await startSimulatedCloud({ pageSize: 5, incidents: 20, ...simOptions, trustCa: true });
	resetTokenCachesForTests();
	const store = new CredentialStore(credentialTypes());
	const appData = (app: SimApp) => ({
		cloud: 'custom',
		authorityHost: cloud.authorityHost,
		graphEndpoint: cloud.graphEndpoint,
		tenantId: cloud.tenantId,
		clientId: app.clientId,
		authMethod: 'clientSecret',
		clientSecret: app.clientSecret ?? '',
	});
	const app = store.add('microsoft365DefenderClientCredentialsApi', appData(cloud.apps.secret));
	const readOnlyApp = store.add('microsoft365DefenderClientCredentialsApi', appData(cloud.apps.readOnly));

	const waits: number[] = [];
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
