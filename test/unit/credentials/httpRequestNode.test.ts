/* Our credential types as "Predefined Credential Type" of n8n's HTTP Request node: their httpRequestNode. */
import type { ICredentialType } from 'n8n-workflow';

import { Microsoft365DefenderClientCredentialsApi } from '../../../credentials/Microsoft365DefenderClientCredentialsApi.credentials';
import { Microsoft365DefenderDeviceCodeApi } from '../../../credentials/Microsoft365DefenderDeviceCodeApi.credentials';
import { Microsoft365DefenderManagedIdentityApi } from '../../../credentials/Microsoft365DefenderManagedIdentityApi.credentials';

const types: ICredentialType[] = [
	new Microsoft365DefenderDeviceCodeApi(),
	new Microsoft365DefenderClientCredentialsApi(),
	new Microsoft365DefenderManagedIdentityApi(),
];

test('each credential type declares an HTTP Request node entry of its own, shown, with a Graph security placeholder', () => {
	expect(types.map((t) => t.httpRequestNode)).toEqual([
		{ name: 'Microsoft 365 Defender (Device Code)', docsUrl: expect.any(String), apiBaseUrlPlaceholder: 'https://graph.microsoft.com/v1.0/security/' },
		{ name: 'Microsoft 365 Defender (Client Credentials)', docsUrl: expect.any(String), apiBaseUrlPlaceholder: 'https://graph.microsoft.com/v1.0/security/' },
		{ name: 'Microsoft 365 Defender (Managed Identity)', docsUrl: expect.any(String), apiBaseUrlPlaceholder: 'https://graph.microsoft.com/v1.0/security/' },
	]);
	for (const type of types) {
		// no fixed apiBaseUrl: the Graph host depends on the credential's cloud (sovereign clouds, custom)
		expect(type.httpRequestNode).not.toHaveProperty('apiBaseUrl');
		expect(type.httpRequestNode!.docsUrl).toMatch(/^https:\/\/learn\.microsoft\.com\/en-us\/graph\/api\/resources\/security-api-overview/);
		// what n8n's loader needs to list the type under HTTP Request's "Predefined Credential Type" (has:authenticate)
		// and to add Custom API Call to the node
		expect(typeof type.authenticate).toBe('function');
	}
});
