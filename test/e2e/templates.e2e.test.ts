// The workflow templates in examples/*.json, each imported with `n8n import:workflow` exactly as shipped
// (only the credential and the ticket / chat URLs set, as a user does after importing) and run in a real
// n8n 2.40.7 against the simulated tenant:
// - new high-severity incident -> ticket and chat message (published trigger, `n8n start`);
// - daily hunting digest (its "Run now" manual trigger, `n8n execute`);
// - ticket closed -> incident resolved in Defender (published webhook, called like a ticket system would);
// - AI agent triage with the node as a tool (n8n's AI Agent and OpenAI chat model nodes; only the model's
//   answers come from a local stand-in, support/fakeLlm.ts);
// - high-severity alert -> approval form (Wait node, "On Form Submitted") -> isolate the device, block the URL,
//   comment on the incident (published; the form opened and submitted as a person's browser does).
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { configureTemplate as configure, readTemplate, templateFiles } from '../../e2e/browser/templates';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
import { N8nRestClient } from '../../e2e/lib/rest';
import { graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { executeAndKeep, expectSucceeded, newN8n, saveJson } from './support/run';
import { FINAL_ANSWER_PREFIX, startFakeLlm, type FakeLlm } from './support/fakeLlm';
import { startSink, waitUntil, type Sink } from './support/sink';

const SUITE = 'templates';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('workflow templates (examples/*.json) in n8n 2.40.7', () => {
	let cloud: SimCloud;
	let sink: Sink;
	let n8n: N8nInstance;
	let llm: FakeLlm;
	const agentTemplate = readTemplate('ai-agent-triage.json');
	const ticketTemplate = readTemplate('incident-to-ticket-and-chat.json');
	const digestTemplate = readTemplate('daily-hunting-digest.json');
	const closedTemplate = readTemplate('ticket-closed-to-defender.json');
	const approvalTemplate = readTemplate('alert-approval-isolate.json');

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 6 });
		sink = await startSink();
		llm = await startFakeLlm();
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
		const sim = simCredentials(cloud);
		// the app credential also reaches the sim's Defender for Endpoint API (the approval template's device and indicator)
		const clientSecret = { ...sim.clientSecret, data: { ...sim.clientSecret.data, mdeEndpoint: cloud.mdeEndpoint } };
		const openAi = { id: 'e2eFakeOpenAi001', name: 'Stand-in chat model', type: 'openAiApi', data: { apiKey: 'sk-e2e-stand-in', url: llm.url } };
		await n8n.importCredentials([clientSecret, openAi]);
		const credential = [credentialRef(clientSecret), { type: openAi.type, id: openAi.id, name: openAi.name }];
		await n8n.importWorkflows([
			configure(agentTemplate, credential, {}),
			configure(ticketTemplate, credential, { 'Create ticket': `${sink.url}?system=tickets`, 'Post to chat': `${sink.url}?system=chat` }),
			configure(digestTemplate, credential, { 'Post to chat': `${sink.url}?system=chat` }),
			configure(closedTemplate, credential, {}),
			configure(approvalTemplate, credential, { 'Ask for a decision': `${sink.url}?system=chat` }),
		]);
	});

	afterAll(async () => {
		if (n8n) await n8n.stop();
		if (sink) saveJson(SUITE, 'sink-received', sink.received);
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
		if (sink) await sink.stop();
		if (llm) {
			saveJson(SUITE, 'llm-requests', llm.requests);
			await llm.stop();
		}
	});

	test('every template is a workflow n8n imports: unique node names and ids, connections between existing nodes, no credential id', () => {
		for (const file of templateFiles()) {
			const template = readTemplate(file);
			const names = (template.nodes as Json[]).map((node) => node.name);
			expect({ file, unique: new Set(names).size === names.length }).toEqual({ file, unique: true });
			const ids = (template.nodes as Json[]).map((node) => node.id);
			expect({ file, uniqueIds: new Set(ids).size === ids.length }).toEqual({ file, uniqueIds: true });
			for (const [from, outputs] of Object.entries(template.connections as Record<string, Json>)) {
				expect(names).toContain(from);
				for (const link of Object.values(outputs as Record<string, Json[][]>).flat(2)) expect(names).toContain(link.node);
			}
			for (const node of template.nodes as Json[]) {
				for (const ref of Object.values((node.credentials ?? {}) as Record<string, Json>)) expect(ref.id).toBe('');
			}
		}
	});

	test('daily hunting digest: "Run now" runs the KQL query and posts one digest message', async () => {
		const result = await executeAndKeep(n8n, SUITE, digestTemplate.id, 'digest');
		expectSucceeded(result);
		const rows = nodeOutput(result.run, 'Alerts of the last day') ?? [];
		expect(rows.length).toBeGreaterThan(0);
		expect(Object.keys(rows[0]).sort()).toEqual(['Alerts', 'ServiceSource', 'Severity']);
		const [digest] = nodeOutput(result.run, 'Write digest') ?? [];
		expect(digest.total).toBe(rows.reduce((sum: number, row: Json) => sum + row.Alerts, 0));
		const chat = sink.received.filter((body) => String(body.text ?? '').startsWith('Defender daily digest'));
		expect(chat).toEqual([{ text: digest.text }]);
		const hunting = graphRequests(cloud).filter((r) => r.path === '/v1.0/security/runHuntingQuery');
		expect(JSON.parse(hunting[0].body).query).toBe(
			(digestTemplate.nodes as Json[]).find((node) => node.name === 'Alerts of the last day').parameters.query,
		);
	});

	test('AI agent triage: the agent calls the Defender tool, gets simplified incidents, and answers from them', async () => {
		const active = cloud.createIncident({ severity: 'high', status: 'active' });
		const result = await executeAndKeep(n8n, SUITE, agentTemplate.id, 'agent');
		expectSucceeded(result);
		const listed = graphRequests(cloud).filter((r) => r.path === '/v1.0/security/incidents');
		expect(listed.at(-1)?.query).toEqual({ $filter: "status eq 'active' and severity eq 'high'", $top: '10' });
		// the tool result the model got: simplified incidents (no tenantId, no comments)
		const toolMessage = llm.requests.flatMap((body) => body.messages).find((m: Json) => m.role === 'tool');
		expect(toolMessage.content).toContain(String(active.id));
		expect(toolMessage.content).toContain('incidentWebUrl');
		expect(toolMessage.content).not.toContain('tenantId');
		expect(toolMessage.content).not.toContain('comments');
		expect(llm.requests[0].tools.map((t: Json) => t.function.name)).toEqual(['New_high-severity_incidents']);
		const [answer] = nodeOutput(result.run, 'Triage agent') ?? [];
		expect(String(answer.output)).toContain(FINAL_ANSWER_PREFIX);
		expect(String(answer.output)).toContain(String(active.id));
	});

	describe('published, in a running n8n', () => {
		let pollsBeforeStart = 0;
		beforeAll(async () => {
			await n8n.publishWorkflow(ticketTemplate.id);
			await n8n.publishWorkflow(closedTemplate.id);
			await n8n.publishWorkflow(approvalTemplate.id);
			pollsBeforeStart = graphRequests(cloud).filter((r) => r.path === '/v1.0/security/incidents' && r.status === 200).length;
			await n8n.start();
		});

		test('new high-severity incident: one ticket and one chat message for it, none for a low one', async () => {
			const incidentPolls = () => graphRequests(cloud).filter((r) => r.path === '/v1.0/security/incidents' && r.status === 200).length;
			// the trigger's activation poll (the agent test's list request came before: count from the start)
			await waitUntil(() => incidentPolls() > pollsBeforeStart, 60_000, 'the activation poll');
			const high = cloud.createIncident({ severity: 'high' });
			const low = cloud.createIncident({ severity: 'low' });
			const ticketsOf = (id: string) => sink.received.filter((body) => body.defenderIncidentId === id);
			const chatsOf = (id: string) => sink.received.filter((body) => String(body.text ?? '').includes(`incident ${id}:`));
			await waitUntil(() => ticketsOf(high.id).length > 0 && chatsOf(high.id).length > 0, 150_000, 'the ticket and the chat message');
			expect(ticketsOf(high.id)).toEqual([
				{ title: `[Defender] ${high.displayName}`, severity: 'high', defenderIncidentId: high.id, assignedTo: high.assignedTo, link: high.incidentWebUrl },
			]);
			expect(chatsOf(high.id)).toEqual([{ text: `High-severity Defender incident ${high.id}: ${high.displayName} ${high.incidentWebUrl}` }]);
			expect(ticketsOf(low.id)).toEqual([]);
		});

		test('ticket closed: the webhook resolves the incident with the verdict and a comment', async () => {
			const incident = cloud.incidents.find((i: Json) => i.status === 'active') ?? cloud.createIncident({ status: 'active' });
			const response = await fetch(`http://127.0.0.1:${n8n.port}/webhook/defender-ticket-closed`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					defenderIncidentId: incident.id,
					ticketId: 'TCK-4711',
					classification: 'falsePositive',
					determination: 'notMalicious',
					resolution: 'admin script, expected',
					closedBy: 'lee.gu@contoso.com',
				}),
				signal: AbortSignal.timeout(30_000),
			});
			expect(response.status).toBe(200);
			await waitUntil(() => cloud.getIncident(incident.id).status === 'resolved', 60_000, 'the incident resolved');
			const resolved = cloud.getIncident(incident.id);
			expect(resolved).toMatchObject({ status: 'resolved', classification: 'falsePositive', determination: 'notMalicious' });
			const comments = resolved.comments as Json[];
			await waitUntil(() => comments.some((c: Json) => /TCK-4711/.test(c.comment)), 30_000, 'the comment');
			expect(comments.at(-1).comment).toBe(
				'Closed in the ticket system (ticket TCK-4711) by lee.gu@contoso.com: admin script, expected',
			);
		});

		test('high-severity alert: approval form, nothing isolated before it; approved: device isolated, URL blocked, incident commented; rejected: nothing done, incident says so', async () => {
			const alertPolls = () => graphRequests(cloud).filter((r) => r.path === '/v1.0/security/alerts_v2' && r.status === 200).length;
			await waitUntil(() => alertPolls() > 0, 120_000, "the alert trigger's activation poll");
			const alert = cloud.createAlert({ severity: 'high', title: 'Phishing link clicked' });
			// a second alert in the same poll: it gets its own run and form, and is rejected
			const other = cloud.createAlert({ severity: 'high', title: 'Second alert of the poll' });
			const evidenceOf = (a: Json, type: string) => (a.evidence as Json[]).find((e) => e['@odata.type'] === `#microsoft.graph.security.${type}`);
			const { mdeDeviceId, deviceDnsName } = evidenceOf(alert, 'deviceEvidence');
			const { url } = evidenceOf(alert, 'urlEvidence');
			// the evidence's device is onboarded to Defender for Endpoint (one of the sim's seeded machines)
			expect(cloud.mde.findMachine(mdeDeviceId)?.computerDnsName).toBe(deviceDnsName);
			const mdeWrites = () => cloud.requests.filter((r) => r.server === 'mde' && r.method === 'POST');
			const isolationsOf = (deviceId: string) => mdeWrites().filter((r) => r.path === `/api/machines/${deviceId}/isolate`);
			const requestOf = (a: Json): Json => sink.received.find((body) => body.alertId === a.id);
			await waitUntil(() => requestOf(alert) !== undefined, 150_000, 'the approval request');
			const approval = requestOf(alert);
			expect(approval.text).toBe(
				`Defender alert ${alert.id} (Phishing link clicked) on device ${deviceDnsName}, URL ${url}. Isolate the device and block the URL? Decide here: ${approval.formUrl}`,
			);
			expect(mdeWrites()).toEqual([]);

			// every alert of a poll gets its own run and form (seen in CI when it did not: alerts of one poll shared
			// one run, one approval released all of them, and the first one's device failed the whole run)
			await waitUntil(() => requestOf(other) !== undefined, 60_000, 'the second approval request');
			const requests = sink.received.filter((body) => body.alertId !== undefined);
			expect(new Set(requests.map((body) => body.formUrl)).size).toBe(requests.length);

			const rest = new N8nRestClient(n8n.port);
			await rest.signInAsOwner();
			/** Opens the run's form and submits it, as the person's browser does. */
			async function decide(a: Json, formUrl: string, decision: string, decidedBy: string, reason: string): Promise<void> {
				const form = new URL(formUrl);
				expect(form.pathname).toMatch(/^\/form-waiting\/\d+$/);
				form.hostname = '127.0.0.1';
				const executionId = form.pathname.split('/').pop()!;
				// the message goes out just before the Wait node runs: the form exists once n8n has put the run to sleep
				await waitUntil(async () => (await rest.execution(executionId)).status === 'waiting', 60_000, `execution ${executionId} waiting for the form`);
				const page = await fetch(form, { signal: AbortSignal.timeout(30_000) });
				const html = await page.text();
				expect(page.status).toBe(200);
				// the form: the alert it is about, the fields, and the text the browser shows once it is submitted
				const device = evidenceOf(a, 'deviceEvidence').deviceDnsName;
				const about = [`Defender alert ${a.id}: ${a.title}`, `Device: ${device}`, `URL: ${evidenceOf(a, 'urlEvidence').url}`, `Incident: ${a.incidentId}`];
				for (const text of [...about, 'Isolate the device and block the URL?', 'Decision', 'Isolate and block', 'Reject', 'Decided by', 'Reason', 'Your decision is recorded']) {
					expect(html).toContain(text);
				}
				const body = new FormData();
				body.set('field-0', decision);
				body.set('field-1', decidedBy);
				body.set('field-2', reason);
				const submitted = await fetch(form, { method: 'POST', body, signal: AbortSignal.timeout(30_000) });
				expect({ status: submitted.status, answer: (await submitted.text()).slice(0, 300) }).toMatchObject({ status: 200 });
			}
			/** Waits for the incident's comment, or says how far the resumed run got. */
			async function commentOn(incidentId: string, pattern: RegExp): Promise<string> {
				const comments = () => (cloud.getIncident(incidentId).comments as Json[]).map((c) => String(c.comment));
				await waitUntil(() => comments().some((c) => pattern.test(c)), 120_000, `the comment on incident ${incidentId}`).catch((timedOut: Error) => {
					const mde = cloud.requests.filter((r) => r.server === 'mde').map((r) => `${r.method} ${r.path} ${r.status}`);
					throw new Error(`${timedOut.message}; Defender for Endpoint requests: ${JSON.stringify(mde)}`);
				});
				return comments().at(-1)!;
			}

			await decide(alert, approval.formUrl, 'Isolate and block', 'Lee Gu', 'Confirmed phishing');
			const approvedComment = await commentOn(alert.incidentId, /^Approved in n8n/);
			expect(isolationsOf(mdeDeviceId).map((r) => JSON.parse(r.body))).toEqual([
				{ Comment: `Isolated by n8n after approval by Lee Gu: Defender alert ${alert.id} (Phishing link clicked)`, IsolationType: 'Full' },
			]);
			const indicators = mdeWrites().filter((r) => r.path === '/api/indicators');
			expect(indicators.map((r) => JSON.parse(r.body))).toEqual([
				{
					indicatorValue: url,
					indicatorType: 'Url',
					action: 'Block',
					title: `URL of Defender alert ${alert.id}`,
					description: `Blocked by n8n after approval by Lee Gu: Phishing link clicked (incident ${alert.incidentId})`,
				},
			]);
			const action = cloud.mde.actions.list().find((a: Json) => a.machineId === mdeDeviceId && a.type === 'Isolate');
			const indicator = cloud.mde.indicators.items.find((i: Json) => i.indicatorValue === url);
			expect({ action: action?.type, indicator: indicator?.action }).toEqual({ action: 'Isolate', indicator: 'Block' });
			expect(approvedComment).toBe(
				`Approved in n8n by Lee Gu: device ${deviceDnsName} isolated (machine action ${action?.id}), URL ${url} blocked (indicator ${indicator?.id}). Reason: Confirmed phishing`,
			);

			// the second alert's form: rejected; its incident says so, and nothing more reaches Defender for Endpoint
			const writesBefore = mdeWrites().length;
			await decide(other, requestOf(other).formUrl, 'Reject', 'Ana Bowman', 'Known test device');
			expect(await commentOn(other.incidentId, /^Rejected in n8n/)).toBe(
				'Rejected in n8n by Ana Bowman: nothing isolated or blocked. Reason: Known test device',
			);
			expect(mdeWrites().slice(writesBefore)).toEqual([]);
		});
	});
});
