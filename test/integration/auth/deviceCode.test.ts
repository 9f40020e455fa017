/**
 * Device-code sign-in as a user lives it, through the real node, n8n-core's ExecuteContext and the harness
 * CredentialsHelper (which persists what preAuthentication returns, like n8n): not signed in -> code in the
 * error; approve; next run works; a fresh process works from the stored credential alone; expired access
 * tokens -> refresh grant; revoked / expired refresh token -> "sign in again" with a new code.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resetTokenCaches as resetTokenCachesForTests } from './resetTokenCaches';
import type { CredentialRef, CredentialStore } from '../../harness';
import {
	DEVICE,
	customCloud,
	expectNoSecrets,
	newStore,
	runNode,
	tokenRequests,
	visibleText,
	type SimCloud,
	useCloud,
} from './authTestBed';

const SIGN_IN_MESSAGE =
	/To sign in, open (\S+) and enter the code ([A-Z]{4}-[A-Z]{4}), then run this node again\. The code expires at \d\d:\d\d UTC\./;

const bed = useCloud();

beforeEach(() => {
	bed.cloud.setAccessTokenLifetime(3600);
});

function deviceCredential(overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId, ...overrides };
}

function codeFrom(message: string | undefined): string {
	const match = SIGN_IN_MESSAGE.exec(message ?? '');
	if (!match) throw new Error(`no sign-in instructions in: ${message}`);
	expect(match[1]).toBe(`${bed.cloud.authorityHost}/devicelogin`);
	return match[2];
}

/** A credential signed in through the node: run (code), approve, run. */
async function signedIn(store: CredentialStore): Promise<CredentialRef> {
	const ref = store.add(DEVICE, deviceCredential());
	const first = await runNode(store, DEVICE, ref);
	bed.cloud.approveDeviceCode(codeFrom(first.error?.message));
	const second = await runNode(store, DEVICE, ref);
	expect(second.error).toBeUndefined();
	return ref;
}

/** n8n restarted (or another queue-mode worker): only the stored credential data survives. */
function freshProcess(store: CredentialStore, ref: CredentialRef): { store: CredentialStore; ref: CredentialRef } {
	resetTokenCachesForTests();
	const next = newStore();
	return { store: next, ref: next.add(DEVICE, store.get(ref.id)) };
}

function storedRefreshTokens(data: ICredentialDataDecryptedObject): string[] {
	const cache = JSON.parse(String(data.tokenCache || '{}')) as { RefreshToken?: Record<string, { secret: string }> };
	return Object.values(cache.RefreshToken ?? {}).map((entry) => entry.secret);
}

it('not signed in: the run fails with the URL and the code; approved: the next run works', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, deviceCredential());
	const first = await runNode(store, DEVICE, ref);
	const code = codeFrom(first.error?.message);
	expect(bed.cloud.counts().graph).toBe(0);
	expect(store.get(ref.id).session).toBe('');
	expect(store.get(ref.id).pendingSignIn).toContain(code);

	// still waiting: the same code again, no new one
	const waiting = await runNode(store, DEVICE, ref);
	expect(codeFrom(waiting.error?.message)).toBe(code);
	expect(bed.cloud.counts().deviceCode).toBe(1);

	bed.cloud.approveDeviceCode(code);
	const done = await runNode(store, DEVICE, ref);
	expect(done.error).toBeUndefined();
	expect(done.items).toHaveLength(3);
	const stored = store.get(ref.id);
	expect(stored.pendingSignIn).toBe('');
	expect(Date.parse(String(stored.session))).toBeGreaterThan(Date.now());
	expect(storedRefreshTokens(stored)).toHaveLength(1);
	// only declared fields are stored, none is dropped on read
	expect((await store.read(ref.id)).tokenCache).toBe(stored.tokenCache);
	for (const result of [first, waiting, done]) expectNoSecrets(visibleText(result), bed.cloud);
});

it('later runs reuse the access token: no token request at all', async () => {
	const store = newStore();
	const ref = await signedIn(store);
	bed.cloud.clearRequests();
	for (let run = 0; run < 3; run++) expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
	expect(tokenRequests(bed.cloud)).toHaveLength(0);
	expect(bed.cloud.counts().deviceCode).toBe(0);
});

it('a fresh n8n process works from the stored credential with no new device code', async () => {
	const store = newStore();
	const ref = await signedIn(store);
	const fresh = freshProcess(store, ref);
	bed.cloud.clearRequests();
	const result = await runNode(fresh.store, DEVICE, fresh.ref, undefined, 'trigger');
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(3);
	expect(bed.cloud.counts().deviceCode).toBe(0);
	expect(tokenRequests(bed.cloud)).toHaveLength(0);
});

it('after every access token expired (401), a fresh process refreshes with the refresh token and persists the rotated one', async () => {
	const store = newStore();
	const ref = await signedIn(store);
	const before = storedRefreshTokens(store.get(ref.id));
	bed.cloud.expireAccessTokens();
	const fresh = freshProcess(store, ref);
	bed.cloud.clearRequests();
	const result = await runNode(fresh.store, DEVICE, fresh.ref);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(3);
	const grants = tokenRequests(bed.cloud).map((r) => new URLSearchParams(r.body).get('grant_type'));
	expect(grants).toEqual(['refresh_token']);
	expect(bed.cloud.counts().deviceCode).toBe(0);
	const after = storedRefreshTokens(fresh.store.get(fresh.ref.id));
	expect(after).toHaveLength(1);
	expect(after[0]).not.toBe(before[0]);
	expectNoSecrets(visibleText(result), bed.cloud);
});

it('an access token about to expire is refreshed before the request (no 401)', async () => {
	bed.cloud.setAccessTokenLifetime(120); // inside the 5-minute margin
	const store = newStore();
	const ref = await signedIn(store);
	bed.cloud.clearRequests();
	const result = await runNode(store, DEVICE, ref);
	expect(result.error).toBeUndefined();
	expect(tokenRequests(bed.cloud).map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual(['refresh_token']);
	expect(bed.cloud.requests.filter((r) => r.server === 'graph' && r.status === 401)).toHaveLength(0);
});

it.each([
	['revoked', 'AADSTS50173', () => bed.cloud.revokeRefreshTokens()],
	['expired', 'AADSTS700082', () => bed.cloud.expireRefreshTokens()],
])('a %s refresh token: the error asks to sign in again with a new code, and that sign-in works', async (_kind, code, breakIt) => {
	const store = newStore();
	const ref = await signedIn(store);
	breakIt();
	bed.cloud.expireAccessTokens();
	const failed = await runNode(store, DEVICE, ref);
	expect(failed.error?.message).toMatch(/sign in again/);
	expect(failed.error?.message).toContain(code);
	const newCode = codeFrom(failed.error?.message);
	expect(store.get(ref.id).tokenCache).toBe('');
	expectNoSecrets(visibleText(failed), bed.cloud);

	bed.cloud.approveDeviceCode(newCode);
	const result = await runNode(store, DEVICE, ref);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(3);
});

it('a declined sign-in starts a new code', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, deviceCredential());
	const first = codeFrom((await runNode(store, DEVICE, ref)).error?.message);
	bed.cloud.declineDeviceCode(first);
	const second = await runNode(store, DEVICE, ref);
	expect(second.error?.message).toMatch(/declined/);
	expect(codeFrom(second.error?.message)).not.toBe(first);
});

it('bad input fails before any request, naming the field', async () => {
	const store = newStore();
	const cases: Array<[ICredentialDataDecryptedObject, RegExp]> = [
		[{ tenantId: '' }, /"tenantId".*empty/],
		[{ clientId: 'graph-cli' }, /"clientId".*GUID/],
		[{ authorityHost: 'http://127.0.0.1:1' }, /"authorityHost".*https/],
		[{ cloud: 'moon' }, /"cloud".*unknown/],
	];
	for (const [overrides, expected] of cases) {
		const ref = store.add(DEVICE, deviceCredential(overrides));
		expect((await runNode(store, DEVICE, ref)).error?.message).toMatch(expected);
	}
	expect(bed.cloud.requests).toHaveLength(0);
});

it('changed sign-in settings: the old tokens are neither used nor sent; a new sign-in starts', async () => {
	const store = newStore();
	const ref = await signedIn(store);
	const oldRefreshToken = storedRefreshTokens(store.get(ref.id))[0];
	const otherClient = (bed.cloud as SimCloud & { registerPublicClient(): string }).registerPublicClient();
	store.set(ref.id, { ...store.get(ref.id), clientId: otherClient });
	bed.cloud.clearRequests();

	const result = await runNode(store, DEVICE, ref);
	expect(result.error?.message).toMatch(/client ID of this credential changed since the last sign-in: sign in again/);
	const code = codeFrom(result.error?.message);
	expect(bed.cloud.counts().graph).toBe(0);
	expect(JSON.stringify(bed.cloud.requests)).not.toContain(oldRefreshToken);
	expect(store.get(ref.id).tokenCache).toBe('');

	bed.cloud.approveDeviceCode(code);
	const next = await runNode(store, DEVICE, ref);
	expect(next.error).toBeUndefined();
	expect(next.items).toHaveLength(3);
});

it('a client id that is no public client app: Entra\'s error and what to change', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, deviceCredential({ clientId: bed.cloud.apps.secret.clientId }));
	const result = await runNode(store, DEVICE, ref);
	expect(result.error?.message).toMatch(/Starting the device-code sign-in was refused by Microsoft Entra ID: invalid_client: AADSTS7000218/);
	expect(result.error?.message).toMatch(/Allow public client flows/);
});

it('a tenant that does not exist: Entra\'s AADSTS90002', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, deviceCredential({ tenantId: 'nosuchtenant.onmicrosoft.com' }));
	const result = await runNode(store, DEVICE, ref);
	expect(result.error?.message).toMatch(/AADSTS90002/);
	expect(result.error?.message).toMatch(/Check the Tenant ID/);
});
