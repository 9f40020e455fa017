// n8n's own HTTP Request node with our credential as its "Predefined Credential Type" (what the node's
// Custom API Call points users to): a Graph security call the node does not wrap gets our token; a request to
// any other host fails with our error and that host receives nothing.
import { CREDENTIAL_TYPES, simCredentials, simEnvironment } from '../../e2e/lib/credentials';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
import { manualWorkflow } from '../../e2e/lib/workflows';
import { startCaptureServer } from '../../sim';
import { graphRequests, recordCloudEvidence, SimCloud, startCloud } from './support/cloud';
import { executeAndKeep, expectSucceeded, newN8n } from './support/run';

const SUITE = 'http-request';

function httpRequestNode(name: string, url: string, credential: ReturnType<typeof simCredentials>['clientSecret']) {
	return {
		id: `http-${name.replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 0],
		parameters: { method: 'GET', url, authentication: 'predefinedCredentialType', nodeCredentialType: CREDENTIAL_TYPES.clientCredentials, options: {} },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

describe('HTTP Request node with a Microsoft 365 Defender credential (n8n 2.40.7)', () => {
	let cloud: SimCloud;
	let n8n: N8nInstance;
	let foreign: Awaited<ReturnType<typeof startCaptureServer>>;

	beforeAll(async () => {
		cloud = await startCloud({ incidents: 3 });
		foreign = await startCaptureServer();
		n8n = await newN8n(SUITE, 'n8n', simEnvironment(cloud));
	});

	afterAll(async () => {
		await foreign?.stop();
		if (cloud) {
			recordCloudEvidence(SUITE, cloud);
			await cloud.stop();
		}
	});

	test('predefined credential: a Graph endpoint we do not wrap gets the token; another host gets nothing and a clear error', async () => {
		const credential = simCredentials(cloud).clientSecret;
		await n8n.importCredentials([credential]);
		await n8n.importWorkflows([
			manualWorkflow({ id: 'httpGraphTop1', name: 'e2e: HTTP Request to Graph', nodes: [httpRequestNode('Graph', `${cloud.graphEndpoint}/v1.0/security/incidents?$top=1`, credential)] }),
			manualWorkflow({ id: 'httpForeignHost', name: 'e2e: HTTP Request to another host', nodes: [httpRequestNode('Foreign', `${foreign.url}/v1.0/security/incidents`, credential)] }),
		]);

		const graphFrom = graphRequests(cloud).length;
		const ok = await executeAndKeep(n8n, SUITE, 'httpGraphTop1', 'graph');
		expectSucceeded(ok);
		const out = nodeOutput(ok.run, 'Graph')!;
		expect(out).toHaveLength(1);
		expect((out[0].value as Array<{ id: string }>).map((i) => i.id)).toHaveLength(1);
		const sent = graphRequests(cloud, graphFrom).filter((r) => r.path === '/v1.0/security/incidents');
		expect(sent).toHaveLength(1);
		expect(sent[0].query.$top).toBe('1');
		expect(String(sent[0].headers.authorization)).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

		const bad = await executeAndKeep(n8n, SUITE, 'httpForeignHost', 'foreign-host');
		expect(bad.code).toBe(1);
		const text = `${bad.error?.message ?? ''} ${bad.error?.description ?? ''}`;
		expect(text).toContain(`No token is sent to ${foreign.url}`);
		expect(text).toContain(`Microsoft Graph (${cloud.graphEndpoint})`);
		expect(foreign.requests).toEqual([]);
	});
});
