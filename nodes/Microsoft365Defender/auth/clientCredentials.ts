import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential, type TokenCredentialOptions } from '@azure/identity';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { resolveCloud } from './clouds';
import { type Audience, audienceEndpoint } from './tokenAudience';
import { validateClientCredentials } from './validate';

export interface AppTokenSource {
	kind: 'clientCredentials' | 'managedIdentity';
	audience: Audience;
	/** the host the token is for (checked against the token's `aud`) */
	endpoint: string;
	scope: string;
	/** values that must never appear in a message */
	secrets: string[];
	/** the tenant's sign-in metadata; read to explain a failure msal reports without Entra's text */
	metadataUrl?: string;
	/** the library's credential object, sending through `httpClient` (n8n's HTTP stack) */
	create(httpClient: TokenCredentialOptions['httpClient'], options: { managedIdentityMaxRetries?: number }): TokenCredential;
}

/**
 * An app's own sign-in (client credentials grant) with a client secret or a certificate, through
 * @azure/identity, for `<audience host>/.default`. Validates every field first, so bad input fails
 * before any network call.
 */
export function clientCredentialsTokenSource(
	credentials: ICredentialDataDecryptedObject,
	audience: Audience = 'graph',
): AppTokenSource {
	const cloud = resolveCloud(credentials);
	const endpoint = audienceEndpoint(cloud, audience);
	const input = validateClientCredentials(credentials);
	const options = {
		authorityHost: cloud.authorityHost,
		// hosts outside Microsoft's public list (custom clouds) cannot be looked up by instance discovery
		disableInstanceDiscovery: cloud.disableInstanceDiscovery,
	};
	const secret = input.authMethod === 'clientSecret' ? input.clientSecret! : input.certificatePem!;
	return {
		kind: 'clientCredentials',
		audience,
		endpoint,
		scope: `${endpoint}/.default`,
		secrets: [secret],
		metadataUrl: `${cloud.authorityHost}/${encodeURIComponent(input.tenantId)}/v2.0/.well-known/openid-configuration`,
		create: (httpClient) =>
			input.authMethod === 'clientSecret'
				? new ClientSecretCredential(input.tenantId, input.clientId, input.clientSecret!, { ...options, httpClient })
				: new ClientCertificateCredential(input.tenantId, input.clientId, { certificate: input.certificatePem! }, { ...options, httpClient }),
	};
}
