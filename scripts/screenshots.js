#!/usr/bin/env node
'use strict';
// Takes the README's screenshots from a running n8n 2.40.7 with the packed package, against the simulated
// tenant, in Debian's headless Chromium (e2e/browser/editor.js): the canvas of each template in examples/,
// the approval template's form (published, for an alert the sim raises), the node picker's actions and List
// Incidents with Output "Simplified". Writes small PNGs to
// docs/screenshots/ (committed: they are documentation).
//
//   npm run build && node scripts/screenshots.js      (N8N_E2E_CACHE: the n8n install, as for npm run test:e2e)
//
// Reuses the e2e suite's n8n launcher (e2e/lib/n8n.js), credentials and REST client.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Editor } = require('../e2e/browser/editor');
const { configureTemplate, readTemplate, templateFiles } = require('../e2e/browser/templates');
const { credentialRef, simCredentials, simEnvironment } = require('../e2e/lib/credentials');
const { N8nInstance, ensureN8nRuntime, installCommunityPackage, packPackage, REPO_DIR } = require('../e2e/lib/n8n');
const { E2E_OWNER, N8nRestClient } = require('../e2e/lib/rest');
const { defenderNode, manualWorkflow } = require('../e2e/lib/workflows');
const sim = require('../sim');
const { startTicketSink } = require('../demo/ticket-sink');

const OUT_DIR = path.join(REPO_DIR, 'docs', 'screenshots');
const LIST_WORKFLOW = 'shotListIncident';
const APPROVAL_TEMPLATE = 'alert-approval-isolate.json';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every second until it gives a value; fails naming `what` after `ms`. */
async function until(what, ms, probe) {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
		await sleep(1000);
	}
}

async function main() {
	if (!fs.existsSync(path.join(REPO_DIR, 'dist'))) throw new Error('dist/ is missing: run npm run build first');
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'm365d-shots-'));
	const runtime = ensureN8nRuntime();
	const tarball = packPackage(path.join(work, 'package'));
	installCommunityPackage(path.join(work, 'nodes-template'), tarball);
	const cloud = await sim.startSimulatedCloud({ pageSize: 5, incidents: 8, deviceCodeIntervalSec: 0 });
	// the approval template's chat: its message carries the form's link
	const chat = await startTicketSink();
	let n8n;
	let editor;
	try {
		n8n = await N8nInstance.create({
			runtime,
			userFolder: path.join(work, 'n8n'),
			nodesTemplateDir: path.join(work, 'nodes-template'),
			env: { ...simEnvironment(cloud), N8N_SECURE_COOKIE: 'false' },
		});
		const sims = simCredentials(cloud);
		const clientSecret = { ...sims.clientSecret, data: { ...sims.clientSecret.data, mdeEndpoint: cloud.info().mdeEndpoint } };
		const openAi = { id: 'shotsOpenAi00001', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-not-used', url: 'https://api.openai.com/v1' } };
		await n8n.importCredentials([clientSecret, openAi]);
		const credentials = [credentialRef(clientSecret), { type: openAi.type, id: openAi.id, name: openAi.name }];
		const templates = templateFiles().map((file) => ({ file, workflow: configureTemplate(readTemplate(file), credentials) }));
		// a copy of the approval template that runs (its chat URL set); the canvas shot shows the template as shipped
		const approval = { ...configureTemplate(readTemplate(APPROVAL_TEMPLATE), credentials, { 'Ask for a decision': chat.url }), id: 'shotApprovalRun' };
		await n8n.importWorkflows([
			...templates.map((t) => t.workflow),
			approval,
			manualWorkflow({
				id: LIST_WORKFLOW,
				name: 'List Incidents',
				nodes: [defenderNode('List Incidents', { authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', limit: 5, output: 'simple' }, credentialRef(clientSecret))],
			}),
		]);
		await n8n.publishWorkflow(approval.id);
		await n8n.start();
		const rest = new N8nRestClient(n8n.port);
		await rest.signInAsOwner();
		fs.mkdirSync(OUT_DIR, { recursive: true });
		editor = await Editor.open(`http://127.0.0.1:${n8n.port}`, OUT_DIR);
		await editor.signIn(E2E_OWNER.email, E2E_OWNER.password);
		for (const { file, workflow } of templates) {
			await editor.openWorkflow(workflow.id);
			await editor.page.click('[data-test-id="canvas-zoom-to-fit"]').catch(() => undefined);
			await new Promise((resolve) => setTimeout(resolve, 800));
			console.log(await editor.shot(`template-${file.replace(/\.json$/, '')}`));
		}
		// the approval form of an alert the trigger picks up (its activation poll, or the next minute's)
		await sleep(5000);
		const alert = cloud.createAlert({ severity: 'high', title: 'Phishing link clicked' });
		const message = await until('the approval message for the alert', 150_000, () => chat.tickets.find((t) => t.alertId === alert.id));
		const form = new URL(message.formUrl);
		form.hostname = '127.0.0.1';
		// the message goes out just before the Wait node puts the run to sleep: the form exists from then on
		const executionId = form.pathname.split('/').pop();
		await until(`execution ${executionId} waiting for the form`, 60_000, async () => (await rest.execution(executionId)).status === 'waiting');
		await editor.page.goto(form.toString(), { waitUntil: 'networkidle2' });
		console.log(await editor.shot('template-alert-approval-form'));
		// submitted in the browser as a person does: the run goes on and the incident gets its comment
		await editor.page.select('select', 'Isolate and block');
		await editor.page.type('input[type="text"]', 'Lee Gu');
		await editor.page.type('textarea', 'Confirmed phishing');
		await editor.clickButton(/^Submit$/);
		await editor.waitForText(/Your decision is recorded/);
		await until('the incident comment after the form was submitted', 60_000, () =>
			cloud.getIncident(alert.incidentId).comments.some((c) => /^Approved in n8n by Lee Gu/.test(c.comment)),
		);
		console.log(`incident ${alert.incidentId}: ${cloud.getIncident(alert.incidentId).comments.at(-1).comment}`);
		await editor.openWorkflow(LIST_WORKFLOW);
		await editor.pickerActions('Microsoft 365 Defender', 'Microsoft 365 Defender');
		console.log(await editor.shot('node-picker-actions'));
		await editor.openWorkflow(LIST_WORKFLOW);
		await editor.openNode('List Incidents');
		await editor.clickButton(/^Execute step$/, { within: '[data-test-id="ndv"]' });
		await editor.waitForText(/5 items/, { selector: '[data-test-id="ndv"]', timeout: 60_000 });
		console.log(await editor.shot('list-incidents-simplified'));
	} finally {
		if (editor) await editor.close();
		if (n8n) await n8n.stop();
		await cloud.stop();
		await chat.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
