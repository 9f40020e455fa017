/*
 * The credential test goes through the transport's credentialTestRequest adapter: a refusal reads as the
 * node's own error for the same request (Graph's message once, the status and code, the permission hint).
 */
import { resetTokenCaches as resetTokenCachesForTests } from '../auth/resetTokenCaches';
import { testCredential } from '../../harness';
import { CLIENT, newStore, nodeType, runNode, secretApp, startCloud, type SimCloud } from '../auth/authTestBed';

let cloud: SimCloud & { registerApp(o: { roles: string[]; secret: boolean }): { clientId: string; clientSecret: string } };
beforeAll(async () => {
	cloud = (await startCloud()) as typeof cloud;
});
afterAll(async () => await cloud.stop());
beforeEach(() => resetTokenCachesForTests());

it('a 403: the same statement as the node gives, with the permission the test needs and the request-id', async () => {
	const bare = cloud.registerApp({ roles: [], secret: true });
	const data = secretApp(cloud, { clientId: bare.clientId, clientSecret: bare.clientSecret });
	const store = newStore();
	const node = await runNode(store, CLIENT, store.add(CLIENT, data), { resource: 'incident', operation: 'getAll', returnAll: false, limit: 1 });
	expect(node.error?.message).toMatch(/\(HTTP 403, Forbidden\)$/);

	const result = await testCredential(nodeType, CLIENT, { store: newStore(), data });
	expect(result.status).toBe('Error');
	expect(result.message).toEqual(
		expect.stringContaining(`Microsoft Graph refused the request: ${node.error!.message}. Missing permission? This needs the Microsoft Graph permission SecurityIncident.Read.All (SecurityIncident.ReadWrite.All to update; ThreatHunting.Read.All for hunting queries) (an application permission with admin consent`),
	);
	expect(result.message).toMatch(/; request-id [0-9a-f-]{36}$/);
	// said once
	const graphMessage = node.error!.message.replace(/ \(HTTP 403, Forbidden\)$/, '');
	expect(result.message.split(graphMessage)).toHaveLength(2);
});
