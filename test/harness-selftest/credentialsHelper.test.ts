import type { IHttpRequestHelper, INode } from 'n8n-workflow';

import { CredentialsHelper, CredentialStore } from '../harness';
import { FunctionAuthApi, PreAuthApi } from './fixtures';

/** a preAuthentication type that counts its calls, echoes a clientId and may omit the expirable key */
function echoType() {
	const state = { calls: 0, omitExpirable: false };
	class EchoPreAuthApi extends PreAuthApi {
		name = 'harnessEchoPreAuthApi';

		async preAuthentication() {
			state.calls++;
			const output = { clientId: 'resolved-client', refreshCount: 7, accessToken: `at-${state.calls}` };
			if (state.omitExpirable) delete (output as Partial<typeof output>).accessToken;
			return output as typeof output & { undeclaredNote: string };
		}
	}
	const type = new EchoPreAuthApi();
	const store = new CredentialStore([type]);
	return { state, type, store, helper: new CredentialsHelper(store) };
}

const helpers = { helpers: { httpRequest: async () => ({}) } } as unknown as IHttpRequestHelper;

const nodeUsing = (type: string, id: string): INode => ({
	id: 'n',
	name: 'N',
	type: 'x',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { [type]: { id, name: 'c' } },
});

describe('harness CredentialsHelper.preAuthentication rules (n8n 2.40.7)', () => {
	test('runs only when the expirable value is empty or the credentials expired', async () => {
		const { state, type, store, helper } = echoType();
		const ref = store.add(type.name, { accessToken: 'still-good' });
		const creds = await store.read(ref.id);
		const node = nodeUsing(type.name, ref.id);
		expect(await helper.preAuthentication(helpers, creds, type.name, node, false)).toBeUndefined();
		expect(state.calls).toBe(0);
		await helper.preAuthentication(helpers, creds, type.name, node, true);
		expect(state.calls).toBe(1);
		expect(store.get(ref.id).accessToken).toBe('at-1');
	});

	test('stored expressions are kept (except the expirable key); output without the expirable key stores nothing', async () => {
		const { state, type, store, helper } = echoType();
		const ref = store.add(type.name, { clientId: '={{ "c" + "1" }}', accessToken: '' });
		const creds = await store.read(ref.id);
		expect(creds.clientId).toBe('c1'); // credential expressions are resolved on read
		const node = nodeUsing(type.name, ref.id);
		const out = await helper.preAuthentication(helpers, creds, type.name, node, false);
		expect(out).toMatchObject({ accessToken: 'at-1', clientId: 'resolved-client' });
		expect(store.get(ref.id)).toEqual({ clientId: '={{ "c" + "1" }}', accessToken: 'at-1', refreshCount: 7 });

		state.omitExpirable = true;
		expect(await helper.preAuthentication(helpers, creds, type.name, node, true)).toBeUndefined();
		expect(state.calls).toBe(2);
		expect(store.updates).toHaveLength(1);
	});

	test('a type without an expirable hidden property never runs preAuthentication', async () => {
		let calls = 0;
		class NoExpirable extends FunctionAuthApi {
			async preAuthentication() {
				calls++;
				return { token: 'x' };
			}
		}
		const type = new NoExpirable();
		const store = new CredentialStore([type]);
		const ref = store.add(type.name, { token: '' });
		const helper = new CredentialsHelper(store);
		const creds = await store.read(ref.id);
		expect(await helper.preAuthentication(helpers, creds, type.name, nodeUsing(type.name, ref.id), true)).toBeUndefined();
		expect(calls).toBe(0);
	});
});
