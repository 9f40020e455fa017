// Queue mode (npm run test:e2e:queue): n8n main + two workers on PostgreSQL and Redis, each process with its
// own user folder. What a scaled-out installation relies on:
// - a device-code sign-in done once serves executions on every worker (the sign-in lives in the credential,
//   in the database, not in a process);
// - a refresh token rotated by one worker is the one the other worker uses next;
// - the polling trigger runs on main and delivers every incident exactly once, across main restarts, while
//   the executions it starts run on the workers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulatedCloud, type SimCloud, type LoggedRequest } from '../../../sim';
import { type N8nInstance, resolveN8nRuntime } from '../../../e2e/lib/n8n';
import { credentialRef, simCredentials, simEnvironment, type SimConnectionInfo } from '../../../e2e/lib/credentials';
import { defenderNode, linkedWorkflow } from '../../../e2e/lib/workflows';
import { clusterInstance, finishedJobsInRedis, httpJson, restLogin, Worker } from './support/cluster';
import { saveJson } from '../support/run';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startTicketSink } = require('../../../demo/ticket-sink') as {
	startTicketSink: (o?: object) => Promise<{ url: string; tickets: Array<Record<string, any>>; stop: () => Promise<void> }>;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { highSeverityTicketWorkflow } = require('../../../demo/workflows') as {
	highSeverityTicketWorkflow: (credential: object, url: string, options: object) => any;
};

const SUITE = 'queue';
const OWNER_EMAIL = 'queue-owner@example.com';
const OWNER_PASSWORD = 'Queue-e2e-owner-1';
const DEVICE_WORKFLOW = 'queueDeviceCodeWh';
const TICKET_WORKFLOW = 'queueTicketPoller';
const WEBHOOK_PATH = 'queue-newest-incidents';
const ALL_SEVERITIES = ['unknown', 'informational', 'low', 'medium', 'high'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Names the step a test is at (printed with the time), so a failure or a hang says where it was. */
let currentStep = '';
function step(name: string): void {
	currentStep = name;
	process.stderr.write(`[queue ${new Date().toISOString()}] ${name}\n`);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 180000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		await sleep(500);
	}
	throw new Error(`timed out waiting for ${what}`);
}

function form(request: LoggedRequest): URLSearchParams {
	return new URLSearchParams(request.body);
}
const isTokenRequest = (r: LoggedRequest) => r.server === 'login' && r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path);
const grantType = (r: LoggedRequest) => form(r).get('grant_type') ?? '';

describe('queue mode: main + 2 workers on PostgreSQL and Redis', () => {
	let cloud: SimCloud;
	let sink: Awaited<ReturnType<typeof startTicketSink>>;
	let main: N8nInstance;
	let workerA: Worker;
	let workerB: Worker;
	let cookie: string;

	beforeAll(async () => {
		cloud = await startSimulatedCloud({ deviceCodeIntervalSec: 0, incidents: 20 });
		sink = await startTicketSink();
		const bcrypt = require(path.join(resolveN8nRuntime().cacheDir, 'node_modules', 'bcryptjs'));
		const env = {
			...simEnvironment(cloud.info() as unknown as SimConnectionInfo),
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER_EMAIL,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER_PASSWORD, 4),
		};
		main = await clusterInstance(SUITE, 'main', env);
		workerA = new Worker('worker-a', await clusterInstance(SUITE, 'worker-a', env));
		workerB = new Worker('worker-b', await clusterInstance(SUITE, 'worker-b', env));

		const credentials = simCredentials(cloud.info() as unknown as SimConnectionInfo);
		await main.importCredentials([credentials.clientSecret, credentials.deviceCode]);
		const webhook = {
			id: '00000000-0000-4000-8000-00000000a001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '5f0b6c1e-8d2a-4c3b-9e4f-0a1b2c3d4e5f',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		};
		const newest = defenderNode(
			'Newest incidents',
			{ authentication: 'deviceCode', resource: 'incident', operation: 'getAll', returnAll: false, limit: 3, filters: {}, options: {} },
			credentialRef(credentials.deviceCode),
		);
		await main.importWorkflows([
			linkedWorkflow({ id: DEVICE_WORKFLOW, name: 'queue: newest incidents as the signed-in user', chain: [webhook, newest] }),
			// every severity, and the last 72 h at the first activation: the 20 seeded incidents (one per 3 h)
			highSeverityTicketWorkflow(credentialRef(credentials.clientSecret), sink.url, {
				id: TICKET_WORKFLOW,
				name: 'queue: every new incident → ticket',
				severity: ALL_SEVERITIES,
				startFromHours: 72,
			}),
		]);
		await main.publishWorkflow(DEVICE_WORKFLOW);
		await main.publishWorkflow(TICKET_WORKFLOW);
		await main.start({ timeoutMs: 180000 });
		cookie = await restLogin(main.port, OWNER_EMAIL, OWNER_PASSWORD);
		await workerA.start();
	}, 8 * 60 * 1000);

	afterAll(async () => {
		await workerA?.stop();
		await workerB?.stop();
		await main?.stop();
		await cloud?.stop();
		await sink?.stop();
	});

	/** Executions of a workflow, newest first: { id, status }. */
	async function executions(workflowId: string): Promise<Array<{ id: string; status: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const res = await httpJson(main.port, 'GET', `/rest/executions?filter=${filter}&limit=100`, undefined, { cookie });
		if (res.status !== 200) throw new Error(`GET /rest/executions: HTTP ${res.status} ${res.text.slice(0, 300)}`);
		return res.json.data.results;
	}

	/** POSTs the device-code workflow's webhook on main; returns the answer and the execution it made. */
	async function callWebhook() {
		const before = new Set((await executions(DEVICE_WORKFLOW)).map((e) => e.id));
		const response = await httpJson(main.port, 'POST', `/webhook/${WEBHOOK_PATH}`, {});
		const execution = await waitFor('the webhook execution to be recorded', async () => {
			const found = (await executions(DEVICE_WORKFLOW)).find((e) => !before.has(e.id));
			return found && found.status !== 'running' && found.status !== 'new' ? found : undefined;
		});
		const ranOn = [workerA, workerB].filter((w) => w.executionIds().includes(execution.id)).map((w) => w.name);
		return { response, execution, ranOn };
	}

	/** Runs a test's steps; a failure names the step and what n8n recorded of the workflow's executions. */
	async function withStepReport(workflowId: string, body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			const recorded = await executions(workflowId).catch((e: Error) => `(could not read: ${e.message})`);
			(error as Error).message = `at step "${currentStep}": ${(error as Error).message}\nexecutions of ${workflowId}, newest first: ${JSON.stringify(recorded)}`;
			throw error;
		}
	}

	test('one device-code sign-in serves both workers; a token rotated by one worker is used by the other', () => withStepReport(DEVICE_WORKFLOW, async () => {
		// 1. Not signed in yet: the run (on worker A) fails with the code to enter; the user approves it.
		step('1. not signed in: the run fails with a code');
		const first = await callWebhook();
		expect(first.ranOn).toEqual(['worker-a']);
		expect(first.execution.status).toBe('error');
		const pending = cloud.deviceCodeList().filter((d: { status: string }) => d.status === 'pending');
		expect(pending).toHaveLength(1);
		cloud.approveDeviceCode();

		// 2. Signed in from now on.
		step('2. signed in');
		const second = await callWebhook();
		expect(second.ranOn).toEqual(['worker-a']);
		expect(second.execution.status).toBe('success');
		expect(second.response.status).toBe(200);
		expect(second.response.json).toHaveLength(3);
		// both runs' jobs stay in Redis after they finished (N8N_EXECUTIONS_QUEUE_KEEP_LAST_*): main's wait for a
		// run cannot miss one that finished first (see queueEnvironment)
		expect(finishedJobsInRedis()).toBeGreaterThanOrEqual(2);

		// 3. Access tokens expire: worker A refreshes, Entra hands out a new refresh token (rotation).
		step('3. worker A refreshes');
		const beforeA = cloud.requests.length;
		cloud.expireAccessTokens();
		const third = await callWebhook();
		expect(third.ranOn).toEqual(['worker-a']);
		expect(third.execution.status).toBe('success');
		const refreshByA = cloud.requests.slice(beforeA).filter((r) => isTokenRequest(r) && grantType(r) === 'refresh_token');
		expect(refreshByA).toHaveLength(1);
		expect(refreshByA[0].status).toBe(200);
		const tokenUsedByA = form(refreshByA[0]).get('refresh_token')!;

		// 4. Worker A goes away, worker B takes over; tokens expire again.
		step('4. worker A stops, worker B starts');
		await workerA.stop();
		await workerB.start();
		step('4. worker B refreshes');
		const beforeB = cloud.requests.length;
		cloud.expireAccessTokens();
		const fourth = await callWebhook();
		expect(fourth.ranOn).toEqual(['worker-b']);
		expect(fourth.execution.status).toBe('success');
		expect(fourth.response.json).toHaveLength(3);
		const refreshByB = cloud.requests.slice(beforeB).filter((r) => isTokenRequest(r) && grantType(r) === 'refresh_token');
		expect(refreshByB).toHaveLength(1);
		expect(refreshByB[0].status).toBe(200);
		const tokenUsedByB = form(refreshByB[0]).get('refresh_token')!;

		// B used the refresh token minted for A's refresh in step 3 (not the one A used, nor any older one):
		// it reached B only through the credential A saved in PostgreSQL.
		expect(tokenUsedByB).not.toBe(tokenUsedByA);
		const refreshTokens = (cloud as unknown as { refreshTokens: Map<string, { issuedAt: number }> }).refreshTokens;
		const minted = refreshTokens.get(tokenUsedByB)!;
		expect(minted).toBeDefined();
		expect(minted.issuedAt).toBeGreaterThanOrEqual(refreshByA[0].time);
		expect(minted.issuedAt).toBeLessThan(refreshByB[0].time);
		const usedBefore = cloud.requests.slice(0, beforeB).filter((r) => isTokenRequest(r) && form(r).get('refresh_token') === tokenUsedByB);
		expect(usedBefore).toHaveLength(0);

		// 5. Both workers up, tokens expired again, executions at the same time: every one refreshes (no locking
		// in n8n: the last write wins) and succeeds; no new sign-in.
		step('5. worker A starts again');
		await workerA.start();
		step('5. six runs at once on both workers');
		const beforeBoth = cloud.requests.length;
		cloud.expireAccessTokens();
		const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => httpJson(main.port, 'POST', `/webhook/${WEBHOOK_PATH}`, {})));
		expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
		const concurrentRefreshes = cloud.requests.slice(beforeBoth).filter((r) => isTokenRequest(r) && grantType(r) === 'refresh_token');
		expect(concurrentRefreshes.length).toBeGreaterThanOrEqual(1);
		expect(concurrentRefreshes.every((r) => r.status === 200)).toBe(true);

		// The sign-in happened exactly once: one device code asked for, one redeemed.
		const deviceCodeRequests = cloud.requests.filter((r) => r.server === 'login' && /\/devicecode$/.test(r.path));
		expect(deviceCodeRequests).toHaveLength(1);
		const redeemed = cloud.requests.filter((r) => isTokenRequest(r) && /device_code/.test(grantType(r)) && r.status === 200);
		expect(redeemed).toHaveLength(1);
		saveJson(SUITE, 'device-code-executions', { first, second, third, fourth, workerA: workerA.executionIds(), workerB: workerB.executionIds() });
	}));

	test('the trigger on main delivers every incident exactly once, across main restarts; workers run the executions', async () => {
		const ticketIds = () => sink.tickets.map((t) => String(t.incidentId));
		const seeded = cloud.incidents.map((i) => i.id);
		expect(seeded).toHaveLength(20);
		// activation poll at main's start: the 20 seeded incidents
		await waitFor('tickets for the seeded incidents', () => (seeded.every((id) => ticketIds().includes(id)) ? true : undefined));

		// new incidents, then main restarts: its activation poll picks them up (or the minute poll did already)
		const added = cloud.createIncidents(3, { status: 'active' }).map((i: { id: string }) => i.id);
		await main.stop();
		await main.start({ timeoutMs: 180000 });
		await waitFor('tickets for the new incidents', () => (added.every((id: string) => ticketIds().includes(id)) ? true : undefined));

		// once more: a restart with nothing new must not deliver anything again
		const more = cloud.createIncidents(2, { status: 'active' }).map((i: { id: string }) => i.id);
		await main.stop();
		await main.start({ timeoutMs: 180000 });
		cookie = await restLogin(main.port, OWNER_EMAIL, OWNER_PASSWORD);
		await waitFor('tickets for the last incidents', () => (more.every((id: string) => ticketIds().includes(id)) ? true : undefined));
		const runs = await waitFor('every ticket execution to finish', async () => {
			const list = await executions(TICKET_WORKFLOW);
			return list.every((e) => e.status !== 'running' && e.status !== 'new') ? list : undefined;
		});

		const expected = [...seeded, ...added, ...more].sort();
		expect([...ticketIds()].sort()).toEqual(expected); // each exactly once
		expect(runs.every((e) => e.status === 'success')).toBe(true);
		// the poll ran on main; each execution it started ran on a worker
		const onWorkers = new Set([...workerA.executionIds(), ...workerB.executionIds()]);
		expect(runs.length).toBeGreaterThanOrEqual(3);
		for (const run of runs) expect(onWorkers.has(run.id)).toBe(true);
		expect(main.readLogs()).not.toMatch(/Worker started execution/);
		saveJson(SUITE, 'trigger-tickets', { tickets: sink.tickets, executions: runs });
	});

	test('no token or secret in any log of main or the workers', () => {
		const logs = [main, workerA.instance, workerB.instance]
			.flatMap((n8n) => fs.readdirSync(n8n.logDir).map((f) => fs.readFileSync(path.join(n8n.logDir, f), 'utf8')))
			.join('\n');
		const refreshTokens = (cloud as unknown as { refreshTokens: Map<string, unknown> }).refreshTokens;
		const secrets = [cloud.apps.secret.clientSecret!, ...refreshTokens.keys()];
		expect(refreshTokens.size).toBeGreaterThanOrEqual(3);
		expect(secrets.filter((secret) => logs.includes(secret))).toEqual([]);
		// access tokens are JWTs
		expect(logs).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\./);
	});
});
