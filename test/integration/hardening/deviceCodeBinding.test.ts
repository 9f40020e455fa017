/**
 * Issue 11, item 2: a device-code token cache without the fingerprint of the settings it was made with
 * (imported or crafted credential) is treated as "settings changed": the user's token is never sent to a
 * changed Graph URL, on a run or in the credential test. A token for another Graph host is never attached.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { testCredential } from '../../harness';
import { DEVICE, customCloud, newStore, nodeType, runNode, useCloud } from '../auth/authTestBed';

const bed = useCloud();

async function signedIn() {
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const first = await runNode(store, DEVICE, ref);
	bed.cloud.approveDeviceCode(/code ([A-Z]{4}-[A-Z]{4})/.exec(first.error!.message)![1]);
	expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
	return { store, ref };
}

/** The same Graph server under another origin (localhost instead of 127.0.0.1): a "changed Graph URL". */
const otherGraphUrl = () => bed.cloud.graphEndpoint.replace('127.0.0.1', 'localhost');

const bearerRequestsTo = (origin: string) =>
	bed.cloud.requests.filter((r) => r.server === 'graph' && r.headers.host === new URL(origin).host && r.headers.authorization);

it.each([
	['fingerprint emptied', (data: ICredentialDataDecryptedObject) => ({ ...data, signedInWith: '' })],
	['fingerprint removed', ({ signedInWith: _removed, ...data }: ICredentialDataDecryptedObject) => data],
])('run: %s and Graph URL changed -> no token to the new URL, a new sign-in instead', async (_label, change) => {
	const { store, ref } = await signedIn();
	store.set(ref.id, { ...change(store.get(ref.id)), graphEndpoint: otherGraphUrl() });
	bed.cloud.clearRequests();
	const result = await runNode(store, DEVICE, ref);
	// a new sign-in is started for the new settings (the sim's Entra does not know the new host as a resource)
	expect(result.error?.message).toMatch(/device-code sign-in|sign in again/);
	expect(bed.cloud.counts().deviceCode).toBe(1);
	expect(bearerRequestsTo(otherGraphUrl())).toHaveLength(0);
});

it('credential test: fingerprint emptied and Graph URL changed -> no token sent, sign-in asked for', async () => {
	const { store, ref } = await signedIn();
	store.set(ref.id, { ...store.get(ref.id), signedInWith: '', graphEndpoint: otherGraphUrl() });
	bed.cloud.clearRequests();
	const result = await testCredential(nodeType, DEVICE, { store, ref });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/device-code sign-in|Not signed in yet/);
	expect(bearerRequestsTo(otherGraphUrl())).toHaveLength(0);
});

it('a stored token whose audience is another Graph host is never attached, even with a matching fingerprint', async () => {
	const { store, ref } = await signedIn();
	const { deviceCodeFingerprint } = await import('../../../nodes/Microsoft365Defender/auth');
	const changed = { ...store.get(ref.id), graphEndpoint: otherGraphUrl() };
	store.set(ref.id, { ...changed, signedInWith: deviceCodeFingerprint(changed) });
	bed.cloud.clearRequests();
	const result = await testCredential(nodeType, DEVICE, { store, ref });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/another Microsoft Graph host/);
	expect(bearerRequestsTo(otherGraphUrl())).toHaveLength(0);
});
