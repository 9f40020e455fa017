// The polling trigger in a running n8n (`n8n start`), published like a production workflow:
// Microsoft 365 Defender Trigger (incident created, every minute) -> HTTP Request POSTing each incident to a
// local sink (standing in for a ticketing system). New incidents appear in the simulated cloud before,
// during and after an n8n restart; each must reach the sink exactly once, and none that existed before
// the workflow was first activated.
//
// Timing: the activation poll runs ~3 s after n8n is up, later polls once a minute (at a random second),
// so each n8n start needs at most two polls: about 1-2 minutes for the whole test.
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance } from '../../e2e/lib/n8n';
import { defenderTriggerNode, httpPostNode, linkedWorkflow } from '../../e2e/lib/workflows';
import { graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { newN8n, saveJson } from './support/run';
import { Sink, startSink, waitUntil } from './support/sink';

const SUITE = 'trigger';
// at most 16 characters, like n8n's own ids: n8n 1.x saves no static data (the trigger's state) for
// a workflow with a longer id (2.x: 21)
const WORKFLOW_ID = 'triggerTickets01';
const NEXT_POLL_MS = 100_000; // a minute between polls, plus room for a slow machine

describe('incident trigger in a running n8n 2.40.7, across a restart', () => {
	let cloud: SimCloud;
	let sink: Sink;
	let n8n: N8nInstance;

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 5 });
		sink = await startSink();
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
		const { clientSecret } = simCredentials(cloud);
		await n8n.importCredentials([clientSecret]);
		await n8n.importWorkflows([
			linkedWorkflow({
				id: WORKFLOW_ID,
				name: 'e2e: new Defender incidents to the ticketing system',
				chain: [
					defenderTriggerNode('New Incident', { authentication: 'clientCredentials', event: 'incidentCreated' }, credentialRef(clientSecret)),
					httpPostNode('Create Ticket', sink.url),
				],
			}),
		]);
		await n8n.publishWorkflow(WORKFLOW_ID);
	});

	afterAll(async () => {
		if (n8n) await n8n.stop();
		if (sink) saveJson(SUITE, 'sink-received', sink.received);
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
		if (sink) await sink.stop();
	});

	const incidentPolls = () =>
		graphRequests(cloud).filter((r) => r.method === 'GET' && r.path === '/v1.0/security/incidents' && r.status === 200).length;
	const ticketsFor = (id: string) => sink.received.filter((ticket) => ticket.incidentId === id).length;
	const allArrived = (ids: string[]) => () => ids.every((id) => ticketsFor(id) > 0);

	test('every new incident reaches the sink exactly once, before, during and after a restart', async () => {
		const existing = cloud.incidents.map((incident) => String(incident.id));

		// first start: the activation poll only notes where "new" begins
		await n8n.start();
		await waitUntil(() => incidentPolls() >= 1, 60_000, 'the activation poll');
		const beforeRestart = cloud.createIncidents(2).map((incident) => String(incident.id));
		await waitUntil(allArrived(beforeRestart), NEXT_POLL_MS, `tickets for ${beforeRestart.join(', ')} (first n8n process)`);
		await n8n.stop();

		// created while n8n is down: the new process's activation poll picks them up
		const whileDown = cloud.createIncidents(2).map((incident) => String(incident.id));
		const pollsBeforeRestart = incidentPolls();
		await n8n.start();
		await waitUntil(allArrived(whileDown), 60_000, `tickets for ${whileDown.join(', ')} (activation after restart)`);
		expect(incidentPolls()).toBeGreaterThan(pollsBeforeRestart);

		// and one created while the second process runs: the next regular poll
		const afterRestart = cloud.createIncidents(1).map((incident) => String(incident.id));
		await waitUntil(allArrived(afterRestart), NEXT_POLL_MS, `ticket for ${afterRestart[0]} (second n8n process)`);
		await n8n.stop();

		const created = [...beforeRestart, ...whileDown, ...afterRestart];
		for (const id of created) expect({ id, tickets: ticketsFor(id) }).toEqual({ id, tickets: 1 });
		for (const id of existing) expect({ id, tickets: ticketsFor(id) }).toEqual({ id, tickets: 0 });
		expect(sink.received).toHaveLength(created.length);
		for (const ticket of sink.received) {
			const incident = cloud.getIncident(String(ticket.incidentId));
			expect(ticket).toEqual({ incidentId: incident.id, title: incident.displayName, severity: incident.severity });
		}
	}, 8 * 60_000);
});
