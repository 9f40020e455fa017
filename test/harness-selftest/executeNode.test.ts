import { CredentialStore, executeNode } from '../harness';
import { allCredentialTypes, HarnessNode, startFakeApi, type FakeApi } from './fixtures';

describe('harness executeNode', () => {
	let api: FakeApi;
	beforeEach(async () => {
		api = await startFakeApi();
	});
	afterEach(async () => await api.close());

	test('runs 2 items, resolving an expression per item and applying parameter defaults', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessFunctionAuthApi', { baseUrl: api.url });
		const out = await executeNode(new HarnessNode(), {
			store,
			parameters: { itemId: '={{ $json.id }}' },
			credentials: { harnessFunctionAuthApi: ref },
			items: [{ json: { id: 'a1' } }, { json: { id: 'b2' } }],
		});
		expect(out.error).toBeUndefined();
		expect(out.items.map((i) => i.json)).toEqual([
			{ id: 'a1', suffix: '-default', mode: 'manual' },
			{ id: 'b2', suffix: '-default', mode: 'manual' },
		]);
		// the token comes from the stored credential data's default ('static-token')
		expect(api.requests).toEqual([
			{ method: 'GET', path: '/items/a1', authorization: 'Bearer static-token', apiKey: undefined },
			{ method: 'GET', path: '/items/b2', authorization: 'Bearer static-token', apiKey: undefined },
		]);
	});

	test('a thrown error is returned, with the first output empty', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessFunctionAuthApi', { baseUrl: api.url });
		const out = await executeNode(new HarnessNode(), {
			store,
			parameters: { itemId: 'missing' },
			credentials: { harnessFunctionAuthApi: ref },
		});
		expect(out.items).toEqual([]);
		expect(out.error?.constructor.name).toBe('NodeApiError');
		expect((out.error as { httpCode?: string }).httpCode).toBe('404');
	});

	test('a required parameter left empty: n8n refuses to run (WorkflowHasIssuesError), no request', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessFunctionAuthApi', { baseUrl: api.url });
		const out = await executeNode(new HarnessNode(), {
			store,
			parameters: {},
			credentials: { harnessFunctionAuthApi: ref },
			continueOnFail: true,
		});
		expect(out.error?.constructor.name).toBe('WorkflowHasIssuesError');
		expect(out.error?.message).toBe(`The 'Harness Node' node has issues:\n- Parameter "Item ID" is required.`);
		expect(out.items).toEqual([]);
		expect(api.requests).toEqual([]);
	});

	test('continueOnFail: failed items become {error} and good ones still run', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessFunctionAuthApi', { baseUrl: api.url });
		const out = await executeNode(new HarnessNode(), {
			store,
			parameters: { itemId: '={{ $json.id }}' },
			credentials: { harnessFunctionAuthApi: ref },
			items: [{ json: { id: '' } }, { json: { id: 'ok' } }],
			continueOnFail: true,
		});
		expect(out.error).toBeUndefined();
		expect(out.items.map((i) => i.json)).toEqual([
			{ error: 'Item ID is empty' },
			{ id: 'ok', suffix: '-default', mode: 'manual' },
		]);
	});

	test('generic (declarative) authenticate resolves its expression against the credential', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessGenericAuthApi', { baseUrl: api.url, apiKey: 'k1' });
		const out = await executeNode(new HarnessNode(), {
			store,
			parameters: { authentication: 'harnessGenericAuthApi', itemId: 'x' },
			credentials: { harnessGenericAuthApi: ref },
		});
		expect(out.error).toBeUndefined();
		expect(api.requests[0].apiKey).toBe('k1');
		expect(api.requests[0].authorization).toBeUndefined();
	});

	test('preAuthentication output is persisted; undeclared keys are stored but dropped when read back', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessPreAuthApi', { baseUrl: api.url, clientId: 'c1' });
		const run = async () =>
			await executeNode(new HarnessNode(), {
				store,
				parameters: { authentication: 'harnessPreAuthApi', itemId: 'x' },
				credentials: { harnessPreAuthApi: ref },
			});
		const first = await run();
		expect(first.error).toBeUndefined();
		expect(store.get(ref.id)).toEqual({
			baseUrl: api.url,
			clientId: 'c1',
			accessToken: 'token-1',
			refreshCount: 1,
			undeclaredNote: 'stored but never read back',
		});
		expect(store.updates).toEqual([
			{ type: 'harnessPreAuthApi', id: ref.id, keys: ['accessToken', 'refreshCount', 'undeclaredNote'] },
		]);
		// what a node is handed: defaults applied, the undeclared key gone
		expect(await store.read(ref.id)).toEqual({
			baseUrl: api.url,
			clientId: 'c1',
			accessToken: 'token-1',
			refreshCount: 1,
		});

		// a second execution reads the stored token: no new token request, nothing persisted
		await run();
		expect(api.tokensIssued).toBe(1);
		expect(store.updates).toHaveLength(1);
		expect(api.requests.map((r) => `${r.path} ${r.authorization ?? ''}`)).toEqual([
			'/token ',
			'/items/x Bearer token-1',
			'/items/x Bearer token-1',
		]);
	});

	test('401 -> preAuthentication once more -> the request is retried once with the new token', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessPreAuthApi', { baseUrl: api.url, accessToken: 'revoked' });
		const out = await executeNode(new HarnessNode(), {
			store,
			parameters: { authentication: 'harnessPreAuthApi', itemId: 'x' },
			credentials: { harnessPreAuthApi: ref },
		});
		expect(out.error).toBeUndefined();
		expect(api.requests.map((r) => `${r.path} ${r.authorization ?? ''}`)).toEqual([
			'/items/x Bearer revoked',
			'/token ',
			'/items/x Bearer token-1',
		]);
		expect(store.get(ref.id).accessToken).toBe('token-1');
	});

	test('401 on the retry too -> NodeApiError "Authorization failed", only one retry', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessPreAuthApi', { baseUrl: api.url, accessToken: 'revoked' });
		const realAdd = api.validTokens.add.bind(api.validTokens);
		api.validTokens.add = () => api.validTokens; // the API issues tokens it then refuses
		const out = await executeNode(new HarnessNode(), {
			store,
			parameters: { authentication: 'harnessPreAuthApi', itemId: 'x' },
			credentials: { harnessPreAuthApi: ref },
		});
		api.validTokens.add = realAdd;
		expect(out.error?.constructor.name).toBe('NodeApiError');
		expect(out.error?.message).toMatch(/Authorization failed/);
		expect((out.error as { httpCode?: string }).httpCode).toBe('401');
		expect(api.requests.map((r) => r.path)).toEqual(['/items/x', '/token', '/items/x']);
	});
});
