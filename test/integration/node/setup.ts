/* Shared setup of the action node's integration tests: the simulated cloud, the real credential types, the harness. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Microsoft365DefenderClientCredentialsApi } from '../../../credentials/Microsoft365DefenderClientCredentialsApi.credentials';
import { Microsoft365DefenderDeviceCodeApi } from '../../../credentials/Microsoft365DefenderDeviceCodeApi.credentials';
import { Microsoft365DefenderManagedIdentityApi } from '../../../credentials/Microsoft365DefenderManagedIdentityApi.credentials';
import { resetTokenCachesForTests } from '../../../nodes/Microsoft365Defender/auth';
import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { retryPolicy } from '../../../nodes/Microsoft365Defender/transport';
import { CredentialStore, executeNode, trustCa, untrustAllCas, type CredentialRef, type ExecuteOptions } from '../../harness';

export interface LoggedRequest {
	server: 'login' | 'graph' | 'identity';
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, unknown>;
	body: string;
	status: number;
}

export interface SimCloud {
	graphEndpoint: string;
	authorityHost: string;
	tenantId: string;
	caCertPem: string;
	apps: Record<'secret' | 'readOnly', { clientId: string; clientSecret: string }>;
	requests: LoggedRequest[];
	incidents: IDataObject[];
	getIncident(id: string): IDataObject | undefined;
	createIncident(partial?: IDataObject): IDataObject;
	injectFault(spec: IDataObject): void;
	clearFaults(): void;
	setRateLimit(limit: { requests: number; windowMs: number } | null): void;
	clearRequests(): void;
	setHuntingRows(table: string, rows: number): void;
	counts(): { login: number; token: number; graph: number; total: number };
	stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sim = require('../../../sim') as { startSimulatedCloud(options?: IDataObject): Promise<SimCloud> };

export const nodeType = new Microsoft365Defender();
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
	run(parameters: INodeParameters, options?: Partial<ExecuteOptions>): ReturnType<typeof executeNode>;
	graphRequests(): LoggedRequest[];
	stop(): Promise<void>;
}

const originalPolicy = { ...retryPolicy };

export async function startTestBed(simOptions: IDataObject = {}): Promise<TestBed> {
	const cloud = await sim.startSimulatedCloud({ pageSize: 5, incidents: 20, ...simOptions });
	trustCa(cloud.caCertPem);
	resetTokenCachesForTests();
	const store = new CredentialStore(credentialTypes());
	const appData = (app: { clientId: string; clientSecret: string }) => ({
		cloud: 'custom',
		authorityHost: cloud.authorityHost,
		graphEndpoint: cloud.graphEndpoint,
		tenantId: cloud.tenantId,
		clientId: app.clientId,
		authMethod: 'clientSecret',
		clientSecret: app.clientSecret,
	});
	const app = store.add('microsoft365DefenderClientCredentialsApi', appData(cloud.apps.secret));
	const readOnlyApp = store.add('microsoft365DefenderClientCredentialsApi', appData(cloud.apps.readOnly));

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
			// Each test file's sim has its own CA with the same subject name; a CA left trusted by an
			// earlier file in this jest worker makes OpenSSL pick it and fail ("certificate signature failure").
			untrustAllCas();
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
