import { appTokens } from '../../../nodes/Microsoft365Defender/auth';
import { clientCredentialsTokenSource } from '../../../nodes/Microsoft365Defender/auth/clientCredentials';
import { managedIdentityTokenSource } from '../../../nodes/Microsoft365Defender/auth/managedIdentity';

const app = { tenantId: '6f1a2b3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c', clientId: '6f1a2b3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c', authMethod: 'clientSecret', clientSecret: 's' };
const CLIENT = 'microsoft365DefenderClientCredentialsApi';

describe('token sources ask for the Graph host of their cloud', () => {
	it.each([
		['global', 'https://graph.microsoft.com/.default'],
		['usGov', 'https://graph.microsoft.us/.default'],
		['usGovDoD', 'https://dod-graph.microsoft.us/.default'],
	])('%s', (cloud, scope) => {
		expect(clientCredentialsTokenSource({ ...app, cloud }).scope).toBe(scope);
		expect(managedIdentityTokenSource({ cloud, clientId: '' }).scope).toBe(scope);
	});

	it('custom: the given Graph endpoint; a managed identity needs only that URL', () => {
		expect(managedIdentityTokenSource({ cloud: 'custom', graphEndpoint: 'https://graph.example/' }).scope).toBe('https://graph.example/.default');
		expect(() => managedIdentityTokenSource({ cloud: 'custom', graphEndpoint: '' })).toThrow(/"graphEndpoint": is empty/);
	});

	it('the Defender for Endpoint audience: its host as scope / resource; a custom cloud without it names the field', () => {
		expect(clientCredentialsTokenSource({ ...app, cloud: 'usGcc' }, 'mde').scope).toBe('https://api-gcc.securitycenter.microsoft.us/.default');
		expect(managedIdentityTokenSource({ cloud: 'global', clientId: '' }, 'mde').scope).toBe('https://api.securitycenter.microsoft.com/.default');
		expect(() => managedIdentityTokenSource({ cloud: 'custom', graphEndpoint: 'https://graph.example' }, 'mde')).toThrow(/"mdeEndpoint": is empty/);
	});

	it('the cache key covers every field that changes the token, and the audience', () => {
		const base = appTokens.key(CLIENT, { ...app, cloud: 'global' }, 'graph');
		const changes: Array<Record<string, string>> = [{ cloud: 'usGov' }, { clientSecret: 'other' }, { tenantId: 'contoso.com' }, { authMethod: 'certificate', certificate: 'pem' }, { mdeEndpoint: 'https://mde.example' }];
		for (const change of changes) {
			expect(appTokens.key(CLIENT, { ...app, cloud: 'global', ...change }, 'graph')).not.toBe(base);
		}
		expect(appTokens.key(CLIENT, { ...app, cloud: 'global' }, 'mde')).not.toBe(base);
		expect(appTokens.key(CLIENT, { ...app, cloud: 'global' }, 'graph')).toBe(base);
		// never the secret in clear
		expect(base).not.toContain('s"');
		expect(base).toMatch(/^[0-9a-f]{64}$/);
	});
});
