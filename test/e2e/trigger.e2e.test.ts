// The Microsoft 365 Defender Trigger in a real n8n 2.40.7 (`n8n start`, a published workflow polling every
// minute) against the simulated cloud. The workflow posts each emitted incident to a collector in this
// process. Checked: the activation poll emits nothing that existed; incidents sharing a timestamp are
// delivered once each; n8n persists the trigger's state; after a restart the incidents created while n8n
// was down are delivered once and nothing is repeated by the scheduled polls that follow.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import type { N8nInstance } from '../../e2e/lib/n8n';
import { DEFENDER_TRIGGER_TYPE, linkedWorkflow } from '../../e2e/lib/workflows';
import { graphRequests, recordCloudEvidence, type SimCloud, startCloud } from './support/cloud';
import { newN8n, saveJson, suiteDir } from './support/run';

const SUITE = 'trigger';
const WORKFLOW_ID = 'triggerE2e01';
const TRIGGER_NAME = 'Defender Trigger';

interface Collector {
	url: string;
	ids: string[];
	close(): Promise<void>;
}

async function startCollector(): Promise<Collector> {
	const ids: string[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			try {
				ids.push(String((JSON.parse(body) as { id: unknown }).id));
			} catch {
				ids.push(`unreadable: ${body.slice(0, 80)}`);
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/collect`,
		ids,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(250);
	}
}

describe('incident trigger in n8n 2.40.7', () => {
	let cloud: SimCloud;
	let n8n: N8nInstance;
	let collector: Collector;
	const listRequests = () =>
		graphRequests(cloud).filter((r) => r.method === 'GET' && r.path.endsWith('/security/incidents'));

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 20 });
		collector = await startCollector();
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
		const credentials = simCredentials(cloud);
		const app = credentialRef(credentials.clientSecret);
		await n8n.importCredentials([credentials.clientSecret]);
		const trigger = {
			id: '00000000-0000-4000-8000-00000000e201',
			name: TRIGGER_NAME,
			type: DEFENDER_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				authentication: 'clientCredentials',
				event: 'incidentCreated',
			},
			credentials: { [app.type]: { id: app.id, name: app.name } },
		};
		const post = {
			id: '00000000-0000-4000-8000-00000000e202',
			name: 'Collect',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [0, 0],
			parameters: {
				method: 'POST',
				url: collector.url,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify({ id: $json.id }) }}',
				options: {},
			},
		};
		await n8n.importWorkflows([linkedWorkflow({ id: WORKFLOW_ID, name: 'Defender trigger e2e', chain: [trigger, post] })]);
		await n8n.publishWorkflow(WORKFLOW_ID);
	});

	afterAll(async () => {
		await n8n?.stop();
		await collector?.close();
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	/** the trigger's static data as n8n saved it in its database (read with n8n stopped) */
	async function persistedTriggerState(): Promise<Record<string, unknown> | undefined> {
		const file = path.join(suiteDir(SUITE), 'exported-workflow.json');
		await n8n.cliOrThrow(['export:workflow', `--id=${WORKFLOW_ID}`, `--output=${file}`], { done: /Successfully exported/ });
		const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ staticData?: unknown }> | { staticData?: unknown };
		const workflow = Array.isArray(exported) ? exported[0] : exported;
		let staticData = workflow.staticData as Record<string, unknown> | string | null | undefined;
		if (typeof staticData === 'string') staticData = JSON.parse(staticData) as Record<string, unknown>;
		return (staticData?.[`node:${TRIGGER_NAME}`] as Record<string, unknown> | undefined) ?? undefined;
	}

	test('delivers each new incident once, across a restart, and never what existed at activation', async () => {
		await n8n.start();
		// the activation poll (a few seconds after n8n is ready)
		await waitFor('the activation poll', () => listRequests().length >= 1, 60_000);
		await sleep(1000);
		expect(collector.ids).toEqual([]);

		const createdDateTime = new Date(Date.now() - 1000).toISOString();
		const trio = [1, 2, 3].map(() => String(cloud.createIncident({ createdDateTime }).id));
		await waitFor('the trio to be delivered by a scheduled poll', () => collector.ids.length >= 3, 90_000);
		await sleep(1000);
		expect(collector.ids).toEqual(trio);

		await n8n.stop();
		const saved = await persistedTriggerState();
		saveJson(SUITE, 'persisted-trigger-state', saved ?? null);
		expect(saved?.incidentPoll).toMatchObject({ version: 1 });
		expect(Object.keys((saved?.incidentPoll as { seen: object }).seen)).toEqual(expect.arrayContaining(trio));

		// created while n8n is down; delivered by the activation poll after the restart
		const whileDown = cloud.createIncidents(2).map((i) => String(i.id));
		const listsBefore = listRequests().length;
		await n8n.start();
		await waitFor('the incidents created while n8n was down', () => collector.ids.length >= 5, 60_000);
		// one more scheduled poll after the activation one repeats nothing
		await waitFor('a scheduled poll after the restart', () => listRequests().length >= listsBefore + 2, 90_000);
		await sleep(2000);
		expect(collector.ids).toEqual([...trio, ...whileDown]);
	});
});
