import { clientCredentialsTokenSource } from '../../../nodes/Microsoft365Defender/auth/clientCredentials';
import { managedIdentityTokenSource } from '../../../nodes/Microsoft365Defender/auth/managedIdentity';

const hash = (parts: unknown[]) => JSON.stringify(parts).length.toString();
const app = { tenantId: '6f1a2b3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c', clientId: '6f1a2b3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c', authMethod: 'clientSecret', clientSecret: 's' };

describe('token sources ask for the Graph host of their cloud', () => {
	it.each([
		['global', 'https://graph.microsoft.com/.default'],
		['usGov', 'https://graph.microsoft.us/.default'],
		['usGovDoD', 'https://dod-graph.microsoft.us/.default'],
	])('%s', (cloud, scope) => {
		expect(clientCredentialsTokenSource({ ...app, cloud }, hash).scope).toBe(scope);
		expect(managedIdentityTokenSource({ cloud, clientId: '' }, hash).scope).toBe(scope);
	});

	it('custom: the given Graph endpoint; a managed identity needs only that URL', () => {
		expect(managedIdentityTokenSource({ cloud: 'custom', graphEndpoint: 'https://graph.example/' }, hash).scope).toBe('https://graph.example/.default');
		expect(() => managedIdentityTokenSource({ cloud: 'custom', graphEndpoint: '' }, hash)).toThrow(/"graphEndpoint": is empty/);
	});

	it('the cache key covers every field that changes the token', () => {
		const realHash = (parts: unknown[]) => JSON.stringify(parts);
		const base = clientCredentialsTokenSource({ ...app, cloud: 'global' }, realHash).key;
		for (const change of [{ cloud: 'usGov' }, { clientSecret: 'other' }, { tenantId: 'contoso.com' }]) {
			expect(clientCredentialsTokenSource({ ...app, cloud: 'global', ...change }, realHash).key).not.toBe(base);
		}
	});
});
