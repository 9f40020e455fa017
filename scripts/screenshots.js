#!/usr/bin/env node
'use strict';
// Takes the README's screenshots from a running n8n 2.40.7 with the packed package, against the simulated
// tenant, in Debian's headless Chromium (e2e/browser/editor.js): the canvas of each template in examples/,
// the node picker's actions and List Incidents with Output "Simplified". Writes small PNGs to
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

const OUT_DIR = path.join(REPO_DIR, 'docs', 'screenshots');
const LIST_WORKFLOW = 'shotListIncident';

async function main() {
	if (!fs.existsSync(path.join(REPO_DIR, 'dist'))) throw new Error('dist/ is missing: run npm run build first');
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'm365d-shots-'));
	const runtime = ensureN8nRuntime();
	const tarball = packPackage(path.join(work, 'package'));
	installCommunityPackage(path.join(work, 'nodes-template'), tarball);
	const cloud = await sim.startSimulatedCloud({ pageSize: 5, incidents: 8, deviceCodeIntervalSec: 0 });
	let n8n;
	let editor;
	try {
		n8n = await N8nInstance.create({
			runtime,
			userFolder: path.join(work, 'n8n'),
			nodesTemplateDir: path.join(work, 'nodes-template'),
			env: { ...simEnvironment(cloud), N8N_SECURE_COOKIE: 'false' },
		});
		const { clientSecret } = simCredentials(cloud);
		const openAi = { id: 'shotsOpenAi00001', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-not-used', url: 'https://api.openai.com/v1' } };
		await n8n.importCredentials([clientSecret, openAi]);
		const credentials = [credentialRef(clientSecret), { type: openAi.type, id: openAi.id, name: openAi.name }];
		const templates = templateFiles().map((file) => ({ file, workflow: configureTemplate(readTemplate(file), credentials) }));
		await n8n.importWorkflows([
			...templates.map((t) => t.workflow),
			manualWorkflow({
				id: LIST_WORKFLOW,
				name: 'List Incidents',
				nodes: [defenderNode('List Incidents', { authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', limit: 5, output: 'simple' }, credentialRef(clientSecret))],
			}),
		]);
		await n8n.start();
		await new N8nRestClient(n8n.port).signInAsOwner();
		fs.mkdirSync(OUT_DIR, { recursive: true });
		editor = await Editor.open(`http://127.0.0.1:${n8n.port}`, OUT_DIR);
		await editor.signIn(E2E_OWNER.email, E2E_OWNER.password);
		for (const { file, workflow } of templates) {
			await editor.openWorkflow(workflow.id);
			await editor.page.click('[data-test-id="canvas-zoom-to-fit"]').catch(() => undefined);
			await new Promise((resolve) => setTimeout(resolve, 800));
			console.log(await editor.shot(`template-${file.replace(/\.json$/, '')}`));
		}
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
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
