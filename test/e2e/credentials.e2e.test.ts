// Each app-only way of signing in, in a real n8n: client secret, client certificate (signed client
// assertion), system-assigned and user-assigned managed identity (App Service IDENTITY_ENDPOINT /
// IDENTITY_HEADER given to n8n's process). One workflow, one branch per credential.
import { credentialRef, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
import { defenderNode, linkedWorkflow } from '../../e2e/lib/workflows';
import { formOf, graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { executeAndKeep, expectSucceeded, newN8n } from './support/run';

const SUITE = 'credentials';

/** The appid claim of the bearer token a Graph request carried. */
function tokenAppId(authorization: unknown): string {
	const token = String(authorization).replace(/^Bearer /, '');
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).appid;
}

describe('credential types in n8n 2.40.7', () => {
	let cloud: SimCloud;
	let n8n: N8nInstance;

	beforeAll(async () => {
		cloud = await startCloud({ pageSize: 5, incidents: 8 });
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
	});

	afterAll(async () => {
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	test('client secret, certificate, system- and user-assigned managed identity each reach Graph as themselves', async () => {
		const credentials = simCredentials(cloud);
		const used = [
			{ node: 'Via Secret', credential: credentials.clientSecret, authentication: 'clientCredentials', appId: cloud.apps.secret.clientId },
			{ node: 'Via Certificate', credential: credentials.clientCertificate, authentication: 'clientCredentials', appId: cloud.apps.certificate.clientId },
			{ node: 'Via System Identity', credential: credentials.systemIdentity, authentication: 'managedIdentity', appId: cloud.identities.system.clientId },
			{ node: 'Via User Identity', credential: credentials.userAssignedIdentity, authentication: 'managedIdentity', appId: cloud.identities.userAssigned.clientId },
		];
		await n8n.importCredentials(used.map((u) => u.credential));
		const start = { id: 'credStart', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = linkedWorkflow({ id: 'credAllTypes00001', name: 'e2e: every credential type', chain: [start] });
		used.forEach((u, i) => {
			workflow.nodes.push({
				...defenderNode(u.node, { authentication: u.authentication, resource: 'incident', operation: 'get', incidentId: { __rl: true, mode: 'id', value: String(1001 + i) } }, credentialRef(u.credential)),
				position: [240, i * 160],
			});
		});
		workflow.connections = { Start: { main: [used.map((u) => ({ node: u.node, type: 'main', index: 0 }))] } };
		await n8n.importWorkflows([workflow]);

		const result = await executeAndKeep(n8n, SUITE, 'credAllTypes00001', 'every-credential-type');
		expectSucceeded(result);

		used.forEach((u, i) => {
			expect(nodeOutput(result.run, u.node)!.map((incident) => incident.id)).toEqual([String(1001 + i)]);
			const request = graphRequests(cloud).find((r) => r.path === `/v1.0/security/incidents/${1001 + i}`);
			expect(request).toBeDefined();
			expect(tokenAppId(request!.headers.authorization)).toBe(u.appId);
		});

		// how each signed in
		const appTokens = cloud.requests.filter((r) => r.server === 'login' && r.path.endsWith('/oauth2/v2.0/token')).map(formOf);
		const secretGrant = appTokens.filter((f) => f.client_id === cloud.apps.secret.clientId);
		expect(secretGrant).toHaveLength(1);
		expect(secretGrant[0]).toMatchObject({ grant_type: 'client_credentials', scope: `${cloud.graphEndpoint}/.default` });
		expect(secretGrant[0].client_secret).toBe(cloud.apps.secret.clientSecret);
		const certificateGrant = appTokens.filter((f) => f.client_id === cloud.apps.certificate.clientId);
		expect(certificateGrant).toHaveLength(1);
		expect(certificateGrant[0]).toMatchObject({
			grant_type: 'client_credentials',
			client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
		});
		expect(certificateGrant[0].client_secret).toBeUndefined();
		const identityCalls = cloud.requests.filter((r) => r.server === 'identity');
		expect(identityCalls.map((r) => r.query.client_id ?? 'system').sort()).toEqual([cloud.identities.userAssigned.clientId, 'system'].sort());
		for (const call of identityCalls) expect(call.query.resource.replace(/\/$/, '')).toBe(cloud.graphEndpoint);
	});
});
