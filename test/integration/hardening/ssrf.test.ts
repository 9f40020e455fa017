/**
 * Issue 11, item 3: with n8n's SSRF protection on, token traffic is held to the same rules as Graph
 * requests: nothing reaches a blocked address (the sim on 127.0.0.1), the client secret is never POSTed
 * there, and no body of the blocked service is copied into an error. Then, with 127.0.0.1 allowed, the
 * same credentials work (the rules are n8n's, not a blanket refusal).
 */
import { testCredential } from '../../harness';
import { CLIENT, DEVICE, customCloud, newStore, nodeType, runNode, secretApp, useCloud } from '../auth/authTestBed';

// read by n8n's SsrfProtectionConfig when its HTTP stack is first used in this file's module registry
process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';

const bed = useCloud();

const loginRequests = () => bed.cloud.requests.filter((r) => r.server === 'login');

it('client secret: the token request is blocked by n8n, Entra (the sim) never sees the secret', async () => {
	const store = newStore();
	const result = await runNode(store, CLIENT, store.add(CLIENT, secretApp(bed.cloud)));
	expect(result.error?.message).toMatch(/SSRF|blocked/i);
	expect(loginRequests()).toHaveLength(0);
	expect(bed.cloud.requests).toHaveLength(0);
});

it('client secret, wrong tenant: the metadata explanation is blocked too, and no foreign text is echoed', async () => {
	const store = newStore();
	const result = await runNode(store, CLIENT, store.add(CLIENT, secretApp(bed.cloud, { tenantId: 'nosuchtenant.onmicrosoft.com' })));
	expect(result.error).toBeDefined();
	expect(result.error!.message).not.toMatch(/AADSTS90002|not found/);
	expect(bed.cloud.requests).toHaveLength(0);
});

it('credential test: blocked, nothing reaches the sim', async () => {
	const result = await testCredential(nodeType, CLIENT, { store: newStore(), data: secretApp(bed.cloud) });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/SSRF|blocked/i);
	expect(bed.cloud.requests).toHaveLength(0);
});

it('device code: starting the sign-in is blocked, nothing reaches the sim', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const result = await runNode(store, DEVICE, ref);
	expect(result.error?.message).toMatch(/SSRF|blocked/i);
	expect(bed.cloud.requests).toHaveLength(0);
});
