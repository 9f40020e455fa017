/**
 * The Device Code Sign-In operations (start, complete, test, sign out) of the real node (resource
 * `deviceSignIn`) through n8n-core's ExecuteContext and the harness CredentialsHelper.
 */
import { DEVICE, customCloud, expectNoSecrets, newStore, runNode, useCloud, visibleText } from './authTestBed';

const bed = useCloud();

it('start shows the code; complete waits, then stores the sign-in; test calls Graph; sign out forgets it', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const run = async (operation: string) => await runNode(store, DEVICE, ref, { resource: 'deviceSignIn', operation });

	const started = await run('start');
	expect(started.error).toBeUndefined();
	const shown = started.items[0].json;
	expect(shown.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
	expect(shown.verificationUri).toBe(`${bed.cloud.authorityHost}/devicelogin`);
	expect(shown.message).toContain(`enter the code ${shown.userCode as string}`);
	expect(Date.parse(shown.expiresAt as string)).toBeGreaterThan(Date.now());
	expect(bed.cloud.counts().graph).toBe(0);
	expect(store.get(ref.id)).not.toHaveProperty('signInAction');

	const waiting = await run('complete');
	expect(waiting.error?.message).toMatch(/not complete yet/);
	expect(waiting.error?.message).toContain(shown.userCode as string);

	bed.cloud.approveDeviceCode(shown.userCode as string);
	const completed = await run('complete');
	expect(completed.error).toBeUndefined();
	expect(completed.items[0].json).toMatchObject({ signedIn: true, account: bed.cloud.user.userPrincipalName });
	expect(store.get(ref.id).tokenCache).not.toBe('');
	expect(store.get(ref.id).pendingSignIn).toBe('');

	const tested = await run('test');
	expect(tested.error).toBeUndefined();
	expect(tested.items[0].json).toMatchObject({ signedIn: true, account: bed.cloud.user.userPrincipalName });
	expect(bed.cloud.requests.some((r) => r.server === 'graph' && r.path === '/v1.0/security/incidents')).toBe(true);

	const signedOut = await run('signOut');
	expect(signedOut.error).toBeUndefined();
	expect(signedOut.items[0].json).toMatchObject({ signedOut: true, account: bed.cloud.user.userPrincipalName });
	expect(store.get(ref.id)).toMatchObject({ tokenCache: '', pendingSignIn: '', session: '' });

	// the next ordinary run starts a new sign-in
	const next = await runNode(store, DEVICE, ref);
	expect(next.error?.message).toMatch(/To sign in, open .* and enter the code [A-Z]{4}-[A-Z]{4}/);
	expect(next.error?.message).not.toContain(shown.userCode as string);

	for (const result of [started, waiting, completed, tested, signedOut, next]) expectNoSecrets(visibleText(result), bed.cloud);
});

it('start while signed in keeps the current sign-in working until the new one completes', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const run = async (operation: string) => await runNode(store, DEVICE, ref, { resource: 'deviceSignIn', operation });
	bed.cloud.approveDeviceCode((await run('start')).items[0].json.userCode as string);
	expect((await run('complete')).error).toBeUndefined();

	const restarted = await run('start');
	expect(restarted.error).toBeUndefined();
	const listed = await runNode(store, DEVICE, ref);
	expect(listed.error).toBeUndefined();
	expect(listed.items).toHaveLength(3);

	bed.cloud.approveDeviceCode(restarted.items[0].json.userCode as string);
	expect((await run('complete')).error).toBeUndefined();
	expect(store.get(ref.id).pendingSignIn).toBe('');
});

it('test while not signed in fails with the sign-in instructions', async () => {
	const store = newStore();
	const ref = store.add(DEVICE, { ...customCloud(bed.cloud), tenantId: 'organizations', clientId: bed.cloud.publicClientId });
	const result = await runNode(store, DEVICE, ref, { resource: 'deviceSignIn', operation: 'test' });
	expect(result.error?.message).toMatch(/To sign in, open .* and enter the code [A-Z]{4}-[A-Z]{4}/);
});
