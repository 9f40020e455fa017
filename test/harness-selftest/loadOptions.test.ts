import { CredentialStore, searchList, testCredential } from '../harness';
import { allCredentialTypes, HarnessNode, startFakeApi, type FakeApi } from './fixtures';

describe('harness list search and credential test', () => {
	let api: FakeApi;
	beforeEach(async () => {
		api = await startFakeApi();
	});
	afterEach(async () => await api.close());

	test('listSearch runs on a LoadOptionsContext with the credential and a filter', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessFunctionAuthApi', { baseUrl: api.url });
		const result = await searchList(new HarnessNode(), 'searchItems', {
			store,
			credentials: { harnessFunctionAuthApi: ref },
			filter: 'a',
		});
		expect(result.results).toEqual([
			{ name: 'alpha', value: 'alpha@alpha,beta,gamma' },
			{ name: 'beta', value: 'beta@alpha,beta,gamma' },
			{ name: 'gamma', value: 'gamma@alpha,beta,gamma' },
		]);
		expect(api.requests).toEqual([
			{
				method: 'GET',
				path: '/items/alpha,beta,gamma',
				authorization: 'Bearer static-token',
				apiKey: undefined,
			},
		]);
	});

	test('listSearch with a preAuthentication credential persists the token', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessPreAuthApi', { baseUrl: api.url });
		await searchList(new HarnessNode(), 'searchItems', {
			store,
			parameters: { authentication: 'harnessPreAuthApi' },
			credentials: { harnessPreAuthApi: ref },
			filter: 'gam',
		});
		expect(api.requests.map((r) => `${r.path} ${r.authorization ?? ''}`)).toEqual([
			'/token ',
			'/items/gamma Bearer token-1',
		]);
		expect(store.get(ref.id).accessToken).toBe('token-1');
	});

	test('credential test: form data with defaults applied, through the legacy request helper', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ok = await testCredential(new HarnessNode(), 'harnessFunctionAuthApi', {
			store,
			data: { baseUrl: api.url }, // token comes from the property default
		});
		expect(ok).toEqual({ status: 'OK', message: 'Connection successful' });
		expect(api.requests[0]).toMatchObject({ path: '/items/test', authorization: 'Bearer static-token' });

		const refused = await testCredential(new HarnessNode(), 'harnessFunctionAuthApi', {
			store,
			data: { baseUrl: api.url, token: 'wrong' },
		});
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^Refused: /);
		expect(store.updates).toEqual([]);
	});

	test('credential test of a stored credential; a type without testedBy has no test', async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessFunctionAuthApi', { baseUrl: api.url, token: 'static-token' });
		expect(await testCredential(new HarnessNode(), 'harnessFunctionAuthApi', { store, ref })).toEqual({
			status: 'OK',
			message: 'Connection successful',
		});
		expect(
			await testCredential(new HarnessNode(), 'harnessGenericAuthApi', { store, data: {} }),
		).toEqual({ status: 'Error', message: 'No testing function found for this credential.' });
	});
});
