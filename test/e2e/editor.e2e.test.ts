// The n8n 2.40.7 editor in a real browser (Debian's headless Chromium driven by puppeteer-core, no
// downloaded browser; e2e/browser/editor.js) against `n8n start` with the packed package and the simulated
// tenant: sign in, open a workflow, find each action of the node once in the node picker, run List
// Incidents with Output "Simplified" and read the items in the output panel; create a device-code
// credential in the credential dialog and sign in with the code it shows (issue 15 item 1: Retry redeems
// that same code); choose Custom API Call in a configured node. Screenshots are kept as artefacts in
// <run>/suites/editor/screenshots (e2e/.work, git-ignored).
import * as path from 'node:path';

import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance } from '../../e2e/lib/n8n';
import { E2E_OWNER, N8nRestClient } from '../../e2e/lib/rest';
import { defenderNode, manualWorkflow } from '../../e2e/lib/workflows';
import { formOf, graphRequests, isTokenEndpoint, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
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
	selectOption(parameter: string, label: string, options?: { within?: string }): Promise<void>;
	fillParameter(parameter: string, value: string, options?: { within?: string }): Promise<void>;
	parameterValues(within: string): Promise<Record<string, string>>;
	openNewCredential(typeDisplayName: string): Promise<void>;
	saveCredential(): Promise<{ status: string; message: string }>;
	retryCredentialTest(): Promise<{ status: string; message: string }>;
	credentialBanner(): Promise<string>;
	expandCredentialDetails(): Promise<void>;
	closeCredentialDialog(): Promise<void>;
	closeNode(): Promise<void>;
	canvasNodeNames(): Promise<string[]>;
	text(selector?: string): Promise<string>;
	waitForText(pattern: RegExp, options?: { selector?: string; timeout?: number }): Promise<void>;
	close(): Promise<void>;
}
interface EditorClass {
	open(baseUrl: string, shotsDir: string): Promise<EditorPage>;
}

const SUITE = 'editor';
const LIST_WORKFLOW = 'editorListIncid1';
const HUNT_WORKFLOW = 'editorHuntQuery1';
const KQL = 'DeviceProcessEvents | where FileName == "powershell.exe" | take 5';
const CREDENTIAL_DIALOG = '[data-test-id="credential-edit-dialog"]';
const NDV = '[data-test-id="ndv"]';

/** What the dialog shows under "More details" while not signed in (our credential test's message). */
const NOT_SIGNED_IN = /Not signed in yet\. To sign in, open (\S+) and enter the code ([A-Z]{4}-[A-Z]{4}), then press Retry\. The code expires at \d\d:\d\d UTC\./;
/** The same after a Retry before the user signed in. */
const WAITING = /Waiting for the sign-in\. To sign in, open (\S+) and enter the code ([A-Z]{4}-[A-Z]{4}), then press Retry\. The code expires at \d\d:\d\d UTC\./;

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
	let rest: N8nRestClient;

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
			manualWorkflow({
				id: HUNT_WORKFLOW,
				name: 'e2e editor: hunting query',
				nodes: [
					defenderNode(
						'Hunt',
						{ authentication: 'clientCredentials', resource: 'huntingQuery', operation: 'run', query: KQL },
						credentialRef(credentials.clientSecret),
					),
				],
			}),
		]);
		await n8n.start();
		rest = new N8nRestClient(n8n.port);
		await rest.signInAsOwner(); // sets the owner up on the new database
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
		// n8n's picker leaves Custom API Call out of the actions (it is only in the panel's Resource list)
		expect(actions).not.toContain('Custom API Call');
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

	// Issue 15 item 1: the device-code sign-in completes in the credential dialog with the code it showed.
	test('device-code credential in the dialog: Save shows the code under "More details"; after approval Retry succeeds with that same code', async () => {
		const from = cloud.requests.length;
		await editor.openNewCredential('Microsoft 365 Defender (Device Code) API');
		await editor.selectOption('cloud', 'Custom Endpoints', { within: CREDENTIAL_DIALOG });
		await editor.fillParameter('authorityHost', cloud.authorityHost, { within: CREDENTIAL_DIALOG });
		await editor.fillParameter('graphEndpoint', cloud.graphEndpoint, { within: CREDENTIAL_DIALOG });
		await editor.fillParameter('tenantId', cloud.tenantId, { within: CREDENTIAL_DIALOG });
		await editor.fillParameter('clientId', cloud.publicClientId, { within: CREDENTIAL_DIALOG });
		expect(await editor.parameterValues(CREDENTIAL_DIALOG)).toMatchObject({
			authorityHost: cloud.authorityHost,
			graphEndpoint: cloud.graphEndpoint,
			tenantId: cloud.tenantId,
			clientId: cloud.publicClientId,
		});
		await editor.shot('05-device-code-credential-filled');

		// Save: n8n saves, runs the connection test and shows its own red banner; our message is hidden
		const first = await editor.saveCredential();
		expect(first.status).toBe('Error');
		expect(first.message).toMatch(NOT_SIGNED_IN);
		const banner = await editor.credentialBanner();
		expect(banner).toContain('Couldn’t connect with these settings');
		expect(banner).toContain('More details');
		expect(banner).not.toContain('Not signed in yet');
		await editor.shot('06-device-code-saved-red-banner');

		await editor.expandCredentialDetails();
		const details = await editor.credentialBanner();
		await editor.shot('07-device-code-more-details');
		const shown = NOT_SIGNED_IN.exec(details);
		expect(shown).not.toBeNull();
		const [, url, userCode] = shown!;
		expect(url).toBe(`${cloud.authorityHost}/devicelogin`);
		expect(first.message).toContain(userCode);

		// Retry before signing in: the same code again, not a new one
		const waiting = await editor.retryCredentialTest();
		expect(waiting.status).toBe('Error');
		expect(WAITING.exec(waiting.message)?.slice(1)).toEqual([url, userCode]);
		if ((await editor.credentialBanner()).includes('More details')) await editor.expandCredentialDetails();
		expect(WAITING.exec(await editor.credentialBanner())?.slice(1)).toEqual([url, userCode]);
		await editor.shot('08-device-code-retry-before-sign-in');

		// the user enters the code at the sign-in page and signs in
		cloud.approveDeviceCode(userCode);
		const retried = await editor.retryCredentialTest();
		// our test's answer names the account; the editor shows only its own text
		expect(retried).toEqual({ status: 'OK', message: `Connection successful, signed in as ${cloud.user.userPrincipalName}` });
		const success = await editor.credentialBanner();
		await editor.shot('09-device-code-retry-success');
		expect(success).toContain('Connection tested successfully');
		expect(success).not.toContain('Couldn’t connect');
		expect(await editor.text(CREDENTIAL_DIALOG)).not.toContain(cloud.user.userPrincipalName);

		// the sim: one device code asked for (none after Retry), and that one redeemed
		const signIns = cloud.requests.slice(from).filter((r) => r.server === 'login');
		expect(signIns.filter((r) => r.path.endsWith('/oauth2/v2.0/devicecode'))).toHaveLength(1);
		const issued = [...cloud.deviceCodes.values()].filter((c) => c.userCode === userCode);
		expect(issued.map((c) => c.status)).toEqual(['redeemed']);
		const redeemed = signIns
			.filter(isTokenEndpoint)
			.map(formOf)
			.filter((form) => form.grant_type === 'urn:ietf:params:oauth:grant-type:device_code')
			.map((form) => form.device_code);
		expect(redeemed.length).toBeGreaterThan(0);
		expect(new Set(redeemed)).toEqual(new Set([issued[0].deviceCode]));
		expect(cloud.deviceCodeList()).toHaveLength(1);

		// saved as the type, with the sim's settings
		const stored = await rest.request('GET', '/rest/credentials');
		const saved = (stored.json.data as Array<{ type: string; name: string }>).filter((c) => c.type === 'microsoft365DefenderDeviceCodeApi');
		expect(saved).toHaveLength(1);
		await editor.closeCredentialDialog();
	});

	// What n8n 2.40.7 does with "Custom API Call" (README, "Custom API Call / HTTP Request node").
	test('Custom API Call in a configured hunting node: n8n shows its HTTP Request notice, adds no node, and drops the query', async () => {
		const before = await workflowNodes(rest, HUNT_WORKFLOW);
		expect(before.find((n) => n.name === 'Hunt')?.parameters).toMatchObject({ resource: 'huntingQuery', operation: 'run', query: KQL });
		await editor.openWorkflow(HUNT_WORKFLOW);
		await editor.openNode('Hunt');
		expect(await editor.text(NDV)).toContain('Query');
		await editor.shot('10-hunting-node-panel');

		await editor.selectOption('resource', 'Custom API Call', { within: NDV });
		await editor.page.waitForSelector(`${NDV} [data-test-id="node-parameters-http-notice"]`, { visible: true, timeout: 15_000 });
		await editor.shot('11-custom-api-call-notice');
		const notice = await editor.text(`${NDV} [data-test-id="node-parameters-http-notice"]`);
		expect(notice).toBe("Use the HTTP Request node to make a custom API call. We'll take care of the Microsoft 365 Defender auth for you. Learn more");
		const link = await editor.page.$eval(`${NDV} [data-test-id="node-parameters-http-notice"] a`, (a) => a.getAttribute('href'));
		expect(link).toBe('https://docs.n8n.io/integrations/custom-operations/');
		// the panel is still the Defender node's; its other parameters are hidden
		const parameters = await editor.text(`${NDV} [data-test-id="node-parameters"]`);
		expect(parameters).toContain('Credential');
		expect(parameters).not.toContain('Operation');
		expect(parameters).not.toContain('Query');

		await editor.closeNode();
		await editor.shot('12-custom-api-call-canvas');
		expect(await editor.canvasNodeNames()).toEqual(['Start', 'Hunt']);

		// n8n's autosave keeps the node as it is now: same node, credential and connection; the query is gone
		const after = await waitForWorkflow(rest, HUNT_WORKFLOW, (nodes) => nodes.find((n) => n.name === 'Hunt')?.parameters.resource === '__CUSTOM_API_CALL__');
		expect(after.map((n) => n.type)).toEqual(before.map((n) => n.type));
		const hunt = after.find((n) => n.name === 'Hunt')!;
		const huntBefore = before.find((n) => n.name === 'Hunt')!;
		expect({ id: hunt.id, credentials: hunt.credentials }).toEqual({ id: huntBefore.id, credentials: huntBefore.credentials });
		expect(hunt.parameters).toEqual({ resource: '__CUSTOM_API_CALL__' });
		expect(after.some((n) => n.type === 'n8n-nodes-base.httpRequest')).toBe(false);
	});
});

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

async function workflowNodes(rest: N8nRestClient, id: string): Promise<WorkflowNode[]> {
	const answer = await rest.request('GET', `/rest/workflows/${id}`);
	if (answer.status !== 200) throw new Error(`GET /rest/workflows/${id} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
	return answer.json.data.nodes as WorkflowNode[];
}

/** The workflow's stored nodes once `done` holds for them (n8n's autosave), failing after `timeoutMs`. */
async function waitForWorkflow(rest: N8nRestClient, id: string, done: (nodes: WorkflowNode[]) => boolean, timeoutMs = 20_000): Promise<WorkflowNode[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const nodes = await workflowNodes(rest, id);
		if (done(nodes)) return nodes;
		if (Date.now() > deadline) throw new Error(`workflow ${id} not saved as expected within ${timeoutMs} ms: ${JSON.stringify(nodes)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
