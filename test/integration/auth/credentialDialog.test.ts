/**
 * Issue 15 item 1 (and issue 11's device-code double poll): the device-code sign-in completes from the
 * credential dialog. n8n's credential test persists nothing, so the code it shows is kept in this process by
 * settings: Retry after approval redeems that same code (no second /devicecode), also before the
 * credential is saved, success names the account, and the next run adopts the sign-in.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { testCredential } from '../../harness';
import { DEVICE, customCloud, expectNoSecrets, newStore, nodeType, runNode, tokenRequests, useCloud } from './authTestBed';

const bed = useCloud();

const DIALOG_MESSAGE =
	/^Not signed in yet\. To sign in, open (\S+) and enter the code ([A-Z]{4}-[A-Z]{4}), then press Retry\. The code expires at \d\d:\d\d UTC\.$/;

function deviceData(overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId, ...overrides };
}

const deviceCodeRedemptions = () =>
	tokenRequests(bed.cloud)
		.map((r) => new URLSearchParams(r.body))
		.filter((form) => form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:device_code')
		.map((form) => form.get('device_code'));

it('test -> code; approve; Retry -> success with the account, redeeming the first code; the next run adopts it', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, deviceData());
	const first = await testCredential(nodeType, DEVICE, { store, ref });
	expect(first.status).toBe('Error');
	const [, url, code] = DIALOG_MESSAGE.exec(first.message)!;
	expect(url).toBe(`${bed.cloud.authorityHost}/devicelogin`);
	expect(first.message).not.toMatch(/run this node/);

	// Retry before approving: still the same code, no new one
	const waiting = await testCredential(nodeType, DEVICE, { store, ref });
	expect(waiting.message).toContain(`enter the code ${code}, then press Retry`);

	bed.cloud.approveDeviceCode(code);
	const retried = await testCredential(nodeType, DEVICE, { store, ref });
	expect(retried).toEqual({ status: 'OK', message: `Connection successful, signed in as ${bed.cloud.user.userPrincipalName}` });
	expect(bed.cloud.counts().deviceCode).toBe(1);
	const redeemed = deviceCodeRedemptions();
	expect(new Set(redeemed).size).toBe(1);

	// the test stored nothing; the first run adopts the sign-in: no new code, no second redemption
	expect(store.get(ref.id).tokenCache ?? '').toBe('');
	const run = await runNode(store, DEVICE, ref);
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(3);
	expect(bed.cloud.counts().deviceCode).toBe(1);
	expect(deviceCodeRedemptions()).toEqual(redeemed);
	expect(String(store.get(ref.id).tokenCache)).not.toBe('');
	for (const result of [first, waiting, retried]) expectNoSecrets(result.message, bed.cloud);
});

it('before the credential is saved (test of unsaved data): the same flow, and the saved credential then runs', async () => {
	const store = newStore();
	const first = await testCredential(nodeType, DEVICE, { store, data: deviceData() });
	const code = DIALOG_MESSAGE.exec(first.message)![2];
	bed.cloud.approveDeviceCode(code);
	const retried = await testCredential(nodeType, DEVICE, { store, data: deviceData() });
	expect(retried.status).toBe('OK');
	expect(retried.message).toContain(bed.cloud.user.userPrincipalName);

	const ref = store.add(DEVICE, deviceData());
	expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
	expect(bed.cloud.counts().deviceCode).toBe(1);
});

it('other settings do not share a kept code', async () => {
	const store = newStore();
	const first = await testCredential(nodeType, DEVICE, { store, data: deviceData() });
	const other = await testCredential(nodeType, DEVICE, { store, data: deviceData({ tenantId: bed.cloud.tenantId }) });
	expect(DIALOG_MESSAGE.exec(other.message)![2]).not.toBe(DIALOG_MESSAGE.exec(first.message)![2]);
	expect(bed.cloud.counts().deviceCode).toBe(2);
});

it('two runs right after approval that read the same pending code both succeed; no fresh code (issue 11)', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, deviceData());
	const first = await runNode(store, DEVICE, ref);
	const code = /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(first.error!.message)![1];
	bed.cloud.approveDeviceCode(code);
	// the second run read the credential before the first one stored the sign-in
	const readBeforeFirstStored = store.get(ref.id);
	expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
	const late = newStore();
	const lateRef = late.add(DEVICE, readBeforeFirstStored);
	const second = await runNode(late, DEVICE, lateRef);
	expect(second.error).toBeUndefined();
	expect(second.items).toHaveLength(3);
	expect(bed.cloud.counts().deviceCode).toBe(1);
	expect(deviceCodeRedemptions()).toHaveLength(1);
});

it('Sign Out forgets a sign-in a credential test kept', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, deviceData());
	const first = await testCredential(nodeType, DEVICE, { store, ref });
	bed.cloud.approveDeviceCode(DIALOG_MESSAGE.exec(first.message)![2]);
	expect((await testCredential(nodeType, DEVICE, { store, ref })).status).toBe('OK');
	const signOut = await runNode(store, DEVICE, ref, { resource: 'deviceSignIn', operation: 'signOut' });
	expect(signOut.error).toBeUndefined();
	const after = await testCredential(nodeType, DEVICE, { store, ref });
	expect(after.status).toBe('Error');
	expect(bed.cloud.counts().deviceCode).toBe(2);
});
