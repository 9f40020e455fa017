#!/usr/bin/env node
'use strict';
// Checks a running demo (`npm start`) the way a user would use it, through n8n's REST API:
// health, owner sign-in, the example workflows (hunting summary, close false positives, device-code sign-in
// with the sim's approval), and the published triggers: a new high-severity incident becomes one ticket, a new
// high-severity alert one ticket with its device and file; then that alert's device is isolated.
//   node demo/check.js            (exit code 0 = all good; prints one line per check)
// Used by demo/selftest.sh; works against the simulated tenant only.

const fs = require('node:fs');
const path = require('node:path');

const { control, readInfo } = require('./sim-control');
const { IDS, templateWorkflows } = require('./workflows');
const { resolveN8nRuntime } = require('../e2e/lib/n8n');
const { N8nRestClient } = require('../e2e/lib/rest');
const { CREDENTIAL_TYPES } = require('../e2e/lib/credentials');

const PORT = Number(process.env.N8N_PORT || 5678);
const SINK_PORT = Number(process.env.DEMO_SINK_PORT || 5690);
const SECRETS_FILE = path.join(__dirname, '.work', 'demo-secrets.json');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// n8n's REST API keeps the owner's session cookie; the ticket sink speaks plain JSON over http too
const n8nRest = new N8nRestClient(PORT);
const sinkHttp = new N8nRestClient(SINK_PORT);
const n8n = (method, route, body) => n8nRest.request(method, route, body);

function check(condition, message) {
	if (!condition) throw new Error(`FAILED: ${message}`);
	process.stdout.write(`ok   ${message}\n`);
}

let flatted;
function runData(execution) {
	flatted = flatted || require(path.join(resolveN8nRuntime().cacheDir, 'node_modules', 'flatted'));
	return flatted.parse(execution.data).resultData;
}
function nodeItems(resultData, node) {
	const runs = resultData.runData[node];
	return runs && runs[0] && runs[0].data ? runs[0].data.main[0].map((item) => item.json) : undefined;
}

/** Runs a manual workflow through the REST API (as the editor's "Execute workflow" does) and waits for it. */
async function runWorkflow(workflowId, trigger = 'Run manually') {
	const started = await n8n('POST', `/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger } });
	if (started.status !== 200 || !started.json.data.executionId) throw new Error(`run ${workflowId}: HTTP ${started.status} ${started.text.slice(0, 300)}`);
	const id = started.json.data.executionId;
	for (let i = 0; i < 120; i++) {
		const execution = await n8n('GET', `/rest/executions/${id}`);
		const data = execution.json && execution.json.data;
		if (data && data.finished !== undefined && data.status !== 'running' && data.status !== 'new') return { ...data, resultData: runData(data) };
		await sleep(500);
	}
	throw new Error(`execution ${id} of ${workflowId} did not finish within 60 s`);
}

async function main() {
	const health = await n8n('GET', '/healthz/readiness');
	check(health.status === 200, `n8n answers on http://localhost:${PORT} (readiness 200)`);

	const secrets = JSON.parse(fs.readFileSync(SECRETS_FILE, 'utf8'));
	const login = await n8n('POST', '/rest/login', {
		emailOrLdapLoginId: process.env.DEMO_OWNER_EMAIL || 'demo@example.com',
		password: process.env.DEMO_OWNER_PASSWORD || secrets.ownerPassword,
	});
	check(login.status === 200, 'the owner account exists and signs in (no setup page)');

	const workflows = (await n8n('GET', '/rest/workflows')).json.data;
	for (const id of Object.values(IDS.workflows)) check(workflows.some((w) => w.id === id), `workflow "${(workflows.find((w) => w.id === id) || { name: id }).name}" is imported`);
	check(workflows.find((w) => w.id === IDS.workflows.ticket).active === true, 'the ticket workflow is published (active)');
	check(workflows.find((w) => w.id === IDS.workflows.alertTicket).active === true, 'the alert ticket workflow is published (active)');

	// the templates of examples/ the demo imports (unpublished, the app credential picked, HTTP Request nodes
	// pointed at the ticket sink)
	const templates = templateWorkflows({ type: CREDENTIAL_TYPES.clientCredentials, id: '', name: '' }, '');
	check(templates.length >= 4, `${templates.length} templates of examples/ are offered`);
	for (const template of templates) check(workflows.some((w) => w.id === template.id), `template "${template.name}" is imported`);

	const credentials = (await n8n('GET', '/rest/credentials')).json.data;
	const simIds = [IDS.credentials.appSecret, IDS.credentials.appCertificate, IDS.credentials.deviceCode, IDS.credentials.managedIdentity];
	check(simIds.every((id) => credentials.some((c) => c.id === id)), 'the four simulated-tenant credentials are there');

	// the daily hunting digest template, by its "Run now" trigger: one digest message at the sink
	const sinkBefore = (await sinkHttp.request('GET', '/tickets')).json.length;
	const digest = await runWorkflow('tplHuntingDigest1', 'Run now');
	const messages = (await sinkHttp.request('GET', '/tickets')).json.slice(sinkBefore);
	check(
		digest.status === 'success' && messages.length === 1 && /alert/i.test(String(messages[0].text)),
		`template "daily hunting digest", Run now → one chat message: "${messages[0] && String(messages[0].text).slice(0, 80)}"`,
	);

	const hunting = await runWorkflow(IDS.workflows.hunting);
	const summary = nodeItems(hunting.resultData, 'Summary');
	check(hunting.status === 'success' && summary && summary[0].devices > 0 && summary[0].processEvents > 0, `hunting query → summary: "${summary && summary[0].summary}"`);

	const info = readInfo();
	const before = (await control(info, 'GET', '/incidents')).value.filter((i) => i.severity === 'informational' && i.status === 'active');
	const closing = await runWorkflow(IDS.workflows.falsePositives);
	const closed = nodeItems(closing.resultData, 'Resolve as false positive') || [];
	const after = (await control(info, 'GET', '/incidents')).value;
	check(
		closing.status === 'success' && before.length > 0 && closed.length === before.length &&
			before.every((b) => {
				const a = after.find((i) => i.id === b.id);
				return a.status === 'resolved' && a.classification === 'falsePositive' && a.determination === 'notMalicious';
			}),
		`close false positives: ${before.length} active informational incident(s) resolved as falsePositive/notMalicious`,
	);

	// Device code: the first run shows the code, the sim approves it, the next run is signed in.
	const first = await runWorkflow(IDS.workflows.deviceCode);
	const firstError = first.resultData.error || {};
	const code = `${firstError.message || ''} ${firstError.description || ''}`.match(/\b[A-Z0-9]{4}-[A-Z0-9]{4}\b|\b[A-Z0-9]{8,9}\b/);
	check(first.status === 'error' && code, `device code: the first run asks to sign in with code ${code && code[0]}`);
	await control(info, 'POST', '/device-codes/approve', {});
	const second = await runWorkflow(IDS.workflows.deviceCode);
	const newest = nodeItems(second.resultData, 'Newest incidents');
	check(second.status === 'success' && newest && newest.length === 5, 'device code: after approval the next run lists 5 incidents as the signed-in user');

	// The published trigger: a new high-severity incident becomes exactly one ticket (the poll is every minute).
	const title = `check.js incident ${Date.now()}`;
	const incident = await control(info, 'POST', '/incidents', { severity: 'high', status: 'active', displayName: title });
	let tickets = [];
	for (let i = 0; i < 150 && tickets.length === 0; i++) {
		await sleep(1000);
		// the incident's own alerts make alert tickets that name it too: count the incident ticket only
		tickets = (await sinkHttp.request('GET', '/tickets')).json.filter((t) => t.incidentId === incident.id && t.alertId === undefined);
	}
	check(tickets.length === 1 && tickets[0].title === title, `new high-severity incident ${incident.id} → one ticket in the sink`);

	// The published alert trigger: a new high-severity alert becomes one ticket with its device and file.
	const alert = await control(info, 'POST', '/alerts', { severity: 'high', title: `check.js alert ${Date.now()}` });
	const device = alert.evidence.find((e) => e['@odata.type'] === '#microsoft.graph.security.deviceEvidence');
	const file = alert.evidence.find((e) => e['@odata.type'] === '#microsoft.graph.security.fileEvidence');
	let alertTickets = [];
	for (let i = 0; i < 150 && alertTickets.length === 0; i++) {
		await sleep(1000);
		alertTickets = (await sinkHttp.request('GET', '/tickets')).json.filter((t) => t.alertId === alert.id);
	}
	check(
		alertTickets.length === 1 && alertTickets[0].mdeDeviceId === device.mdeDeviceId && alertTickets[0].sha256 === file.fileDetails.sha256,
		`new high-severity alert ${alert.id} → one ticket with its device and file`,
	);

	// Defender for Endpoint: that alert (the newest high-severity one) has its device isolated; the node waits
	// until the machine action is done.
	const isolating = await runWorkflow(IDS.workflows.isolate);
	const [action] = nodeItems(isolating.resultData, 'Isolate its device') || [];
	check(
		isolating.status === 'success' && action && action.type === 'Isolate' && action.status === 'Succeeded' && action.machineId === device.mdeDeviceId,
		`newest high-severity alert → its device ${device.deviceDnsName} isolated (machine action ${action && action.id}: ${action ? action.status : (isolating.resultData.error || {}).message})`,
	);
}

main().catch((error) => {
	process.stdout.write(`${error.message}\n`);
	process.exit(1);
});
