// The credential editor's "Test" button for every credential type, in a running n8n (`n8n start`),
// through n8n's REST API as the instance owner (read the stored credential, send it back to
// POST /rest/credentials/test, as the editor does): client secret, certificate, system- and
// user-assigned managed identity, a device-code credential signed in (by two `n8n execute` runs and
// the user's approval) and one not signed in (then signed in from the dialog: Retry after approval
// redeems the code shown), and an app with a wrong secret.
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance } from '../../e2e/lib/n8n';
import { N8nRestClient } from '../../e2e/lib/rest';
import { defenderNode, manualWorkflow } from '../../e2e/lib/workflows';
import { formOf, graphRequests, recordCloudEvidence, SimCloud, startCloud, tokenRequests } from './support/cloud';
import { executeAndKeep, expectSucceeded, newN8n, saveJson } from './support/run';

const SUITE = 'credential-test';
const SIGN_IN_WORKFLOW = 'credTestSignIn01';

/** The appid (app-only) or upn (user) claim of the bearer token a Graph request carried. */
function tokenSubject(authorization: unknown): string {
	const token = String(authorization).replace(/^Bearer /, '');
	const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
	return claims.upn ?? claims.appid;
}

describe('credential test ("Test" in the credential editor) for every credential type', () => {
	let cloud: SimCloud;
	let n8n: N8nInstance;
	let rest: N8nRestClient;
	let credentials: ReturnType<typeof simCredentials>;
	const notSignedIn = { id: 'e2eDeviceCode002', name: 'Defender (device code, not signed in)' };
	const wrongSecret = { id: 'e2eAppBadSecret1', name: 'Defender app (wrong secret)' };

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 4 });
		n8n = await newN8n(SUITE, 'n8n', { ...simEnvironment(cloud), N8N_SECURE_COOKIE: 'false' });
		credentials = simCredentials(cloud);
		await n8n.importCredentials([
			credentials.clientSecret,
			credentials.clientCertificate,
			credentials.systemIdentity,
			credentials.userAssignedIdentity,
			credentials.deviceCode,
			{ ...credentials.deviceCode, ...notSignedIn },
			{ ...credentials.clientSecret, ...wrongSecret, data: { ...credentials.clientSecret.data, clientSecret: 'not-the-secret-of-this-app' } },
		]);
		// sign the device-code credential in the way a user does: run, approve the code, run again
		await n8n.importWorkflows([
			manualWorkflow({
				id: SIGN_IN_WORKFLOW,
				name: 'e2e: sign in for the credential test',
				nodes: [defenderNode('List', { authentication: 'deviceCode', resource: 'incident', operation: 'getAll', limit: 1 }, credentialRef(credentials.deviceCode))],
			}),
		]);
		const first = await executeAndKeep(n8n, SUITE, SIGN_IN_WORKFLOW, 'sign-in-1');
		expect(first.code).toBe(1);
		cloud.approveDeviceCode(cloud.deviceCodeList()[0].userCode);
		expectSucceeded(await executeAndKeep(n8n, SUITE, SIGN_IN_WORKFLOW, 'sign-in-2'));

		await n8n.start();
		rest = new N8nRestClient(n8n.port);
		await rest.signInAsOwner();
	});

	afterAll(async () => {
		if (n8n) await n8n.stop();
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	test('each signed-in credential type: "Connection successful", after reading incidents as itself', async () => {
		const cases = [
			{ credential: credentials.clientSecret, subject: cloud.apps.secret.clientId },
			{ credential: credentials.clientCertificate, subject: cloud.apps.certificate.clientId },
			{ credential: credentials.systemIdentity, subject: cloud.identities.system.clientId },
			{ credential: credentials.userAssignedIdentity, subject: cloud.identities.userAssigned.clientId },
			{ credential: credentials.deviceCode, subject: 'soc.analyst@simcontoso.onmicrosoft.com' },
		];
		const results: Record<string, unknown> = {};
		for (const { credential, subject } of cases) {
			cloud.clearRequests();
			const result = await rest.testStoredCredential(credential.id);
			results[credential.name] = result;
			expect({ name: credential.name, status: result.status }).toEqual({ name: credential.name, status: 'OK' });
			expect(result.message).toMatch(/^Connection successful/);
			const reads = graphRequests(cloud).filter((r) => r.method === 'GET' && r.path === '/v1.0/security/incidents');
			expect(reads).toHaveLength(1);
			expect(reads[0].query.$top).toBe('1');
			expect(tokenSubject(reads[0].headers.authorization)).toBe(subject);
		}
		expect(results[credentials.deviceCode.name]).toMatchObject({ message: 'Connection successful, signed in as soc.analyst@simcontoso.onmicrosoft.com' });
		saveJson(SUITE, 'results-ok', results);
	});

	test('a device-code credential that is not signed in: the code to enter and where', async () => {
		cloud.clearRequests();
		const before = new Set(cloud.deviceCodeList().map((c) => c.userCode));
		const result = await rest.testStoredCredential(notSignedIn.id);
		saveJson(SUITE, 'result-not-signed-in', result);
		const started = cloud.deviceCodeList().filter((c) => !before.has(c.userCode));
		expect(started).toHaveLength(1);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`${cloud.authorityHost}/devicelogin`);
		expect(result.message).toContain(started[0].userCode);
		expect(graphRequests(cloud)).toHaveLength(0);
	});

	test('the dialog loop: Retry after approving redeems the code shown (no second /devicecode), success names the account', async () => {
		// the previous test showed a code for this credential; the user presses Retry before approving
		const shown = cloud.deviceCodeList().filter((c) => c.status === 'pending').map((c) => c.userCode);
		cloud.clearRequests();
		const waiting = await rest.testStoredCredential(notSignedIn.id);
		expect(waiting.status).toBe('Error');
		const code = /enter the code ([A-Z]{4}-[A-Z]{4}), then press Retry\./.exec(waiting.message)?.[1];
		expect(shown).toContain(code);
		expect(waiting.message).not.toMatch(/run this node/);

		cloud.approveDeviceCode(code);
		const retried = await rest.testStoredCredential(notSignedIn.id);
		saveJson(SUITE, 'result-dialog-retry', { waiting, retried });
		expect(retried).toEqual({ status: 'OK', message: 'Connection successful, signed in as soc.analyst@simcontoso.onmicrosoft.com' });
		expect(cloud.counts().deviceCode).toBe(0);
		const redeemed = tokenRequests(cloud).map(formOf).filter((form) => form.grant_type === 'urn:ietf:params:oauth:grant-type:device_code');
		const polled = new Set(redeemed.map((form) => form.device_code));
		expect(polled.size).toBe(1);
		const reads = graphRequests(cloud).filter((r) => r.method === 'GET' && r.path === '/v1.0/security/incidents');
		expect(reads).toHaveLength(1);
		expect(tokenSubject(reads[0].headers.authorization)).toBe('soc.analyst@simcontoso.onmicrosoft.com');
	});

	test('a wrong client secret: Entra ID\'s refusal, without the secret', async () => {
		cloud.clearRequests();
		const result = await rest.testStoredCredential(wrongSecret.id);
		saveJson(SUITE, 'result-wrong-secret', result);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/AADSTS7000215/);
		expect(result.message).not.toContain('not-the-secret-of-this-app');
		expect(graphRequests(cloud)).toHaveLength(0);
	});
});
