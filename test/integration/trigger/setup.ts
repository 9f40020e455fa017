/* Shared setup of the trigger's integration tests: the simulated cloud, the real credential types, n8n's poll context. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Microsoft365DefenderClientCredentialsApi } from '../../../credentials/Microsoft365DefenderClientCredentialsApi.credentials';
import { Microsoft365DefenderDeviceCodeApi } from '../../../credentials/Microsoft365DefenderDeviceCodeApi.credentials';
import { Microsoft365DefenderManagedIdentityApi } from '../../../credentials/Microsoft365DefenderManagedIdentityApi.credentials';
import { resetTokenCaches as resetTokenCachesForTests } from '../auth/resetTokenCaches';
import { Microsoft365DefenderTrigger } from '../../../nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node';
import { retryPolicy } from '../../../nodes/Microsoft365Defender/transport';
import { createPollRunner, CredentialStore, trustCa, type CredentialRef, type PollRunner, type PollRunnerOptions } from '../../harness';

export interface LoggedRequest {
	server: 'login' | 'graph' | 'identity';
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
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
	createIncident(partial?: IDataObject): IDataObject;
	createIncidents(n: number, partial?: IDataObject): IDataObject[];
	updateIncidentAsPortal(id: string, changes: IDataObject): IDataObject;
	alerts: IDataObject[];
	createAlert(partial?: IDataObject): IDataObject;
	createAlerts(n: number, partial?: IDataObject): IDataObject[];
	updateAlertAsPortal(id: string, changes: IDataObject): IDataObject;
	injectFault(spec: IDataObject): void;
	clearFaults(): void;
	expireAccessTokens(): void;
	clearRequests(): void;
	counts(): { login: number; token: number; graph: number; total: number };
	stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sim = require('../../../sim') as { startSimulatedCloud(options?: IDataObject): Promise<SimCloud> };

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

export async function startTriggerBed(simOptions: IDataObject = {}): Promise<TriggerBed> {
	const cloud = await sim.startSimulatedCloud({ incidents: 20, ...simOptions });
	trustCa(cloud.caCertPem);
	resetTokenCachesForTests();
	const store = new CredentialStore([
		new Microsoft365DefenderClientCredentialsApi(),
		new Microsoft365DefenderDeviceCodeApi(),
		new Microsoft365DefenderManagedIdentityApi(),
	]);
	const app = store.add('microsoft365DefenderClientCredentialsApi', {
		cloud: 'custom',
		authorityHost: cloud.authorityHost,
		graphEndpoint: cloud.graphEndpoint,
		tenantId: cloud.tenantId,
		clientId: cloud.apps.secret.clientId,
		authMethod: 'clientSecret',
		clientSecret: cloud.apps.secret.clientSecret,
	});
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
