// Device-code sign-in across separate n8n processes (each `n8n execute` is a new process; only n8n's
// database carries the sign-in from one to the next):
//   1. not signed in: the run fails with the sign-in instructions (the sim's verification URL and user code)
//   2. the user approves the code in the (simulated) browser
//   3. the next run signs in (device_code grant), stores the sign-in, and works
//   4. a further run reuses the stored access token: no device-code request, no token request
//   5. once Graph refuses that token, the stored refresh token gets a new one (refresh_token grant)
//   6-8. the Device Code Sign-In operations: test, sign out (the next run asks for a new code), then
//        start + approve + complete, after which the list works again without a new code
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
import { defenderNode, manualWorkflow } from '../../e2e/lib/workflows';
import { formOf, graphRequests, recordCloudEvidence, SimCloud, startCloud, tokenRequests } from './support/cloud';
import { describeRun, executeAndKeep, expectSucceeded, newN8n } from './support/run';

const SUITE = 'device-code';
const WORKFLOW_ID = 'deviceCodeList001';
const SIGN_IN_STEPS = ['test', 'signOut', 'start', 'complete'] as const;
const stepWorkflowId = (operation: string) => `deviceSignIn${operation}`.slice(0, 21);

describe('device-code sign-in in n8n 2.40.7, across n8n processes', () => {
	let cloud: SimCloud;
	let n8n: N8nInstance;

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 6 });
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
		const { deviceCode } = simCredentials(cloud);
		const user = credentialRef(deviceCode);
		await n8n.importCredentials([deviceCode]);
		await n8n.importWorkflows([
			manualWorkflow({
				id: WORKFLOW_ID,
				name: 'e2e: list incidents as the signed-in user',
				nodes: [defenderNode('List', { authentication: 'deviceCode', resource: 'incident', operation: 'getAll', limit: 2 }, user)],
			}),
			...SIGN_IN_STEPS.map((operation) =>
				manualWorkflow({
					id: stepWorkflowId(operation),
					name: `e2e: device sign-in ${operation}`,
					nodes: [defenderNode('Step', { authentication: 'deviceCode', resource: 'deviceSignIn', operation }, user)],
				}),
			),
		]);
	});

	afterAll(async () => {
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	let userCode: string;

	test('1. the first run fails with the code to enter and where', async () => {
		const result = await executeAndKeep(n8n, SUITE, WORKFLOW_ID, '1-not-signed-in');
		expect(result.code).toBe(1);
		expect(cloud.counts().deviceCode).toBe(1);
		expect(graphRequests(cloud)).toHaveLength(0);
		const codes = cloud.deviceCodeList();
		expect(codes).toHaveLength(1);
		userCode = codes[0].userCode;
		expect(result.error).toBeDefined();
		const text = `${result.error.message} ${result.error.description ?? ''}`;
		expect(text).toContain(`${cloud.authorityHost}/devicelogin`);
		expect(text).toContain(userCode);
	});

	test('2-3. after the user approves the code, the next n8n process signs in and runs', async () => {
		expect(userCode).toBeDefined();
		cloud.approveDeviceCode(userCode);
		cloud.clearRequests();
		const result = await executeAndKeep(n8n, SUITE, WORKFLOW_ID, '2-after-approval');
		expectSucceeded(result);
		expect(nodeOutput(result.run, 'List')!.map((i) => i.id)).toEqual(cloud.incidents.slice(0, 2).map((i) => i.id));
		const grants = tokenRequests(cloud).map((r) => formOf(r).grant_type);
		expect(grants).toContain('urn:ietf:params:oauth:grant-type:device_code');
		expect(cloud.counts().deviceCode).toBe(0); // the pending code was redeemed, no new one started
		// Graph saw the user's delegated token
		const authorization = String(graphRequests(cloud)[0].headers.authorization);
		const claims = JSON.parse(Buffer.from(authorization.replace(/^Bearer /, '').split('.')[1], 'base64url').toString('utf8'));
		expect(claims.upn).toBe('soc.analyst@simcontoso.onmicrosoft.com');
		expect(claims.scp).toMatch(/SecurityIncident\.ReadWrite\.All/);
	});

	test('4. a third n8n process reuses the stored sign-in: no device-code and no token request', async () => {
		cloud.clearRequests();
		const result = await executeAndKeep(n8n, SUITE, WORKFLOW_ID, '3-stored-sign-in');
		if (result.code !== 0) throw new Error(describeRun(result));
		expect(nodeOutput(result.run, 'List')).toHaveLength(2);
		expect(cloud.counts()).toMatchObject({ deviceCode: 0, token: 0 });
		expect(graphRequests(cloud).length).toBeGreaterThan(0);
	});

	test('5. when Graph refuses the stored access token, the stored refresh token gets a new one', async () => {
		(cloud as unknown as { expireAccessTokens(): void }).expireAccessTokens();
		cloud.clearRequests();
		const result = await executeAndKeep(n8n, SUITE, WORKFLOW_ID, '4-refreshed');
		expectSucceeded(result);
		expect(nodeOutput(result.run, 'List')).toHaveLength(2);
		const grants = tokenRequests(cloud).map((r) => formOf(r).grant_type);
		expect(grants).toEqual(['refresh_token']);
		expect(cloud.counts().deviceCode).toBe(0);
	});

	test('6. Test Sign-In shows the signed-in account', async () => {
		const result = await executeAndKeep(n8n, SUITE, stepWorkflowId('test'), '5-test-sign-in');
		expectSucceeded(result);
		expect(nodeOutput(result.run, 'Step')).toEqual([
			expect.objectContaining({ signedIn: true, account: 'soc.analyst@simcontoso.onmicrosoft.com' }),
		]);
	});

	test('7. after Sign Out the next run asks for a new code', async () => {
		const signOut = await executeAndKeep(n8n, SUITE, stepWorkflowId('signOut'), '6-sign-out');
		expectSucceeded(signOut);
		expect(nodeOutput(signOut.run, 'Step')).toEqual([expect.objectContaining({ signedOut: true })]);
		cloud.clearRequests();
		const list = await executeAndKeep(n8n, SUITE, WORKFLOW_ID, '7-after-sign-out');
		expect(list.code).toBe(1);
		expect(cloud.counts().deviceCode).toBe(1);
		expect(graphRequests(cloud)).toHaveLength(0);
		const newCode = cloud.deviceCodeList()[0].userCode;
		expect(newCode).not.toBe(userCode);
		expect(`${list.error.message} ${list.error.description ?? ''}`).toContain(newCode);
	});

	test('8. Start Sign-In, approval, Complete Sign-In: signed in again', async () => {
		const start = await executeAndKeep(n8n, SUITE, stepWorkflowId('start'), '8-start-sign-in');
		expectSucceeded(start);
		const [started] = nodeOutput(start.run, 'Step')!;
		expect(started.verificationUri).toBe(`${cloud.authorityHost}/devicelogin`);
		expect(started.userCode).toBe(cloud.deviceCodeList()[0].userCode);
		cloud.approveDeviceCode(started.userCode);

		const complete = await executeAndKeep(n8n, SUITE, stepWorkflowId('complete'), '9-complete-sign-in');
		expectSucceeded(complete);
		expect(nodeOutput(complete.run, 'Step')).toEqual([
			expect.objectContaining({ signedIn: true, account: 'soc.analyst@simcontoso.onmicrosoft.com' }),
		]);

		cloud.clearRequests();
		const list = await executeAndKeep(n8n, SUITE, WORKFLOW_ID, '10-signed-in-again');
		expectSucceeded(list);
		expect(nodeOutput(list.run, 'List')).toHaveLength(2);
		expect(cloud.counts()).toMatchObject({ deviceCode: 0, token: 0 });
	});
});
