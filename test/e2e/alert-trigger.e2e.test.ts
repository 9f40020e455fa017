// The trigger's alertCreated event in a running n8n (`n8n start`), published: Microsoft 365 Defender Trigger
// (new high-severity alerts) -> HTTP Request POSTing the device and file of each alert's evidence to a local
// sink. Alerts appear before, during and after an n8n restart; each matching one must reach the sink
// exactly once, with its evidence; low-severity ones and those that existed before activation never.
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance } from '../../e2e/lib/n8n';
import { defenderTriggerNode, httpPostNode, linkedWorkflow } from '../../e2e/lib/workflows';
import { graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { newN8n, saveJson } from './support/run';
import { Sink, startSink, waitUntil } from './support/sink';

const SUITE = 'alert-trigger';
const WORKFLOW_ID = 'alertToTickets01';
const NEXT_POLL_MS = 100_000; // a minute between polls, plus room for a slow machine
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TICKET =
	"={{ JSON.stringify({ alertId: $json.id, severity: $json.severity, device: $json.evidence.find(e => e['@odata.type'] === '#microsoft.graph.security.deviceEvidence')?.mdeDeviceId, sha256: $json.evidence.find(e => e['@odata.type'] === '#microsoft.graph.security.fileEvidence')?.fileDetails?.sha256 }) }}";

describe('alert trigger in a running n8n 2.40.7, across a restart', () => {
	let cloud: SimCloud & Json;
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
				name: 'e2e: new high-severity alerts to the ticketing system',
				chain: [
					defenderTriggerNode('New Alert', { authentication: 'clientCredentials', event: 'alertCreated', filters: { severity: ['high'] } }, credentialRef(clientSecret)),
					httpPostNode('Create Ticket', sink.url, TICKET),
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

	const alertPolls = () => graphRequests(cloud).filter((r) => r.path === '/v1.0/security/alerts_v2' && r.status === 200).length;
	const ticketsFor = (id: string) => sink.received.filter((ticket) => ticket.alertId === id).length;
	const allArrived = (ids: string[]) => () => ids.every((id) => ticketsFor(id) > 0);
	const newAlerts = (n: number) => Array.from({ length: n }, () => String(cloud.createAlert({ severity: 'high' }).id));

	test('every new high-severity alert reaches the sink exactly once with its device and file, across a restart', async () => {
		const existing = cloud.alerts.map((alert: Json) => String(alert.id));

		await n8n.start();
		await waitUntil(() => alertPolls() >= 1, 60_000, 'the activation poll');
		const low = String(cloud.createAlert({ severity: 'low' }).id);
		const beforeRestart = newAlerts(2);
		await waitUntil(allArrived(beforeRestart), NEXT_POLL_MS, `tickets for ${beforeRestart.join(', ')} (first n8n process)`);
		await n8n.stop();

		const whileDown = newAlerts(2);
		await n8n.start();
		await waitUntil(allArrived(whileDown), 60_000, `tickets for ${whileDown.join(', ')} (activation after restart)`);

		const afterRestart = newAlerts(1);
		await waitUntil(allArrived(afterRestart), NEXT_POLL_MS, `ticket for ${afterRestart[0]} (second n8n process)`);
		await n8n.stop();

		const created = [...beforeRestart, ...whileDown, ...afterRestart];
		for (const id of created) expect({ id, tickets: ticketsFor(id) }).toEqual({ id, tickets: 1 });
		for (const id of [...existing, low]) expect({ id, tickets: ticketsFor(id) }).toEqual({ id, tickets: 0 });
		expect(sink.received).toHaveLength(created.length);
		for (const ticket of sink.received) {
			const alert = cloud.getAlert(String(ticket.alertId));
			const device = alert.evidence.find((e: Json) => e['@odata.type'] === '#microsoft.graph.security.deviceEvidence');
			const file = alert.evidence.find((e: Json) => e['@odata.type'] === '#microsoft.graph.security.fileEvidence');
			expect(ticket).toEqual({ alertId: alert.id, severity: 'high', device: device.mdeDeviceId, sha256: file.fileDetails.sha256 });
		}
		const polls = graphRequests(cloud).filter((r) => r.path === '/v1.0/security/alerts_v2');
		expect(polls.every((r) => r.query.$filter.includes("severity eq 'high'"))).toBe(true);
	}, 8 * 60_000);
});
