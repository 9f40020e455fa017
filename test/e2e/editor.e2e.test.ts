// The n8n 2.40.7 editor in a real browser (Debian's headless Chromium driven by puppeteer-core, no
// downloaded browser; e2e/browser/editor.js) against `n8n start` with the packed package and the simulated
// tenant: sign in, open a workflow, find each action of the node once in the node picker, run List
// Incidents with Output "Simplified" and read the items in the output panel. Screenshots are kept as
// artefacts in <run>/suites/editor/screenshots (e2e/.work, git-ignored).
import * as path from 'node:path';

import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance } from '../../e2e/lib/n8n';
import { E2E_OWNER, N8nRestClient } from '../../e2e/lib/rest';
import { defenderNode, manualWorkflow } from '../../e2e/lib/workflows';
import { graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { newN8n, suiteDir } from './support/run';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Editor } = require('../../e2e/browser/editor') as { Editor: EditorClass };

interface EditorPage {
	page: import('puppeteer-core').Page;
	shots: string[];
	shot(name: string): Promise<string>;
	signIn(email: string, password: string): Promise<void>;
	openWorkflow(id: string): Promise<void>;
	openNode(name: string): Promise<void>;
	openNodePicker(): Promise<void>;
	pickerActions(search: string, nodeName: string): Promise<{ heading: string; actions: string[] }>;
	clickButton(pattern: RegExp, options?: { within?: string }): Promise<void>;
	text(selector?: string): Promise<string>;
	waitForText(pattern: RegExp, options?: { selector?: string; timeout?: number }): Promise<void>;
	close(): Promise<void>;
}
interface EditorClass {
	open(baseUrl: string, shotsDir: string): Promise<EditorPage>;
}

const SUITE = 'editor';
const LIST_WORKFLOW = 'editorListIncid1';

/** The node's actions as n8n 2.40.7's picker shows them (the `action` of each operation). */
const ACTIONS = [
	'Get an alert', 'Get many alerts', 'Update an alert',
	'Run a hunting query',
	'Get an incident', 'Get many incidents', 'Update an incident',
	'Start a device code sign in', 'Complete the device code sign in', 'Test the device code sign in', 'Sign out',
];

describe('the n8n editor in headless Chromium', () => {
	let cloud: SimCloud;
	let n8n: N8nInstance;
	let editor: EditorPage;

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 6 });
		n8n = await newN8n(SUITE, 'n8n', { ...simEnvironment(cloud), N8N_SECURE_COOKIE: 'false' });
		const credentials = simCredentials(cloud);
		await n8n.importCredentials([credentials.clientSecret]);
		await n8n.importWorkflows([
			manualWorkflow({
				id: LIST_WORKFLOW,
				name: 'e2e editor: List Incidents, simplified',
				nodes: [
					defenderNode(
						'List Incidents',
						{ authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', limit: 4, output: 'simple' },
						credentialRef(credentials.clientSecret),
					),
				],
			}),
		]);
		await n8n.start();
		await new N8nRestClient(n8n.port).signInAsOwner(); // sets the owner up on the new database
		editor = await Editor.open(`http://127.0.0.1:${n8n.port}`, path.join(suiteDir(SUITE), 'screenshots'));
		await editor.signIn(E2E_OWNER.email, E2E_OWNER.password);
	});

	afterAll(async () => {
		if (editor) await editor.close();
		if (n8n) await n8n.stop();
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	test('sign in and open a workflow: the canvas shows the node', async () => {
		await editor.openWorkflow(LIST_WORKFLOW);
		await editor.shot('01-workflow');
		expect(await editor.text('.vue-flow')).toContain('List Incidents');
	});

	// Issue 15 item 2: with two `resource` properties n8n 2.40.7 listed every action twice.
	test('the node picker lists each action of the node once', async () => {
		await editor.openWorkflow(LIST_WORKFLOW);
		const { heading, actions } = await editor.pickerActions('Microsoft 365 Defender', 'Microsoft 365 Defender');
		await editor.shot('02-node-picker-actions');
		for (const action of ACTIONS) expect(actions).toContain(action);
		const repeated = actions.filter((action, i) => actions.indexOf(action) !== i);
		expect({ heading, repeated }).toEqual({ heading: `Actions (${new Set(actions).size})`, repeated: [] });
	});

	test('List Incidents with Output "Simplified": the output panel shows the items, main fields first', async () => {
		await editor.openWorkflow(LIST_WORKFLOW);
		await editor.openNode('List Incidents');
		await editor.shot('03-list-incidents-panel');
		cloud.clearRequests();
		await editor.clickButton(/^Execute step$/, { within: '[data-test-id="ndv"]' });
		await editor.waitForText(/4 items/, { selector: '[data-test-id="ndv"]', timeout: 60_000 });
		await editor.shot('04-list-incidents-simplified-output');
		const panel = await editor.text('[data-test-id="ndv"]');
		const output = panel.slice(panel.indexOf('OUTPUT'));
		const header = ['id', 'displayName', 'severity', 'status', 'classification', 'determination', 'assignedTo'];
		const positions = header.map((field) => output.indexOf(`\n${field}\n`));
		expect(positions.every((position) => position > 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
		expect(output).not.toContain('tenantId');
		expect(output).not.toContain('@odata');
		for (const incident of cloud.incidents.slice(0, 4)) expect(output).toContain(String(incident.displayName));
		const listed = graphRequests(cloud).filter((r) => r.path === '/v1.0/security/incidents');
		expect(listed.map((r) => r.query)).toEqual([{ $top: '4' }]);
	});
});
