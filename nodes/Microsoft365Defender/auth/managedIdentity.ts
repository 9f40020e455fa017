import { ManagedIdentityCredential, type ManagedIdentityCredentialClientIdOptions } from '@azure/identity';
import { ManagedIdentityApplication } from '@azure/msal-node';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { AppTokenSource } from './clientCredentials';
import { resolveCloud } from './clouds';
import { TokenRequestError, redactSecrets } from './errors';
import { type Audience, audienceEndpoint } from './tokenAudience';
import { validateClientId } from './validate';

/**
 * Azure managed identity through @azure/identity's ManagedIdentityCredential, which finds the
 * identity endpoint itself (App Service / Functions, Azure Arc, Cloud Shell, Service Fabric, AKS
 * workload identity, IMDS on VMs and containers). System-assigned when clientId is empty. The resource
 * is the audience's host.
 */
export function managedIdentityTokenSource(
	credentials: ICredentialDataDecryptedObject,
	audience: Audience = 'graph',
): AppTokenSource {
	const cloud = resolveCloud(credentials, false);
	const endpoint = audienceEndpoint(cloud, audience);
	const clientId = validateClientId(credentials.clientId, true);
	return {
		kind: 'managedIdentity',
		audience,
		endpoint,
		// ManagedIdentityCredential turns "<resource>/.default" into the resource it asks for
		scope: `${endpoint}/.default`,
		secrets: [],
		create: (httpClient, { managedIdentityMaxRetries }) => {
			const options: ManagedIdentityCredentialClientIdOptions & { sendProbeRequest?: boolean } = {
				httpClient,
				...(clientId ? { clientId } : {}),
				// outside Azure the IMDS address does not answer: probe it briefly (1 s) instead of waiting
				sendProbeRequest: true,
				...(managedIdentityMaxRetries !== undefined ? { retryOptions: { maxRetries: managedIdentityMaxRetries } } : {}),
			};
			return new ManagedIdentityCredential(options);
		},
	};
}

/**
 * msal-node keeps managed-identity tokens in one store shared by every ManagedIdentityApplication of the
 * process (a private static), so dropping our credential object does not drop its token. Cleared when
 * Graph refused a managed-identity token, so the next request fetches a new one.
 */
export function clearManagedIdentityTokenStore(): void {
	const shared = ManagedIdentityApplication as unknown as { nodeStorage?: { clear?: () => void } };
	if (typeof shared.nodeStorage?.clear === 'function') shared.nodeStorage.clear();
}

/** A managed identity that fails because there is none (not on Azure) gets a message saying so. */
export function toManagedIdentityError(error: unknown): TokenRequestError {
	const e = error as { name?: string; message?: string; cause?: { message?: string; errorCode?: string } };
	const text = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
	const unreachable =
		/IMDS endpoint, but it is not available|Network unreachable|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|socket hang up|network_error|request timed out/i.test(
			text,
		) || e?.cause?.errorCode === 'network_error';
	if (unreachable) {
		return new TokenRequestError(
			'No managed-identity endpoint was found: n8n does not seem to run on Azure with a managed identity (VM, VM scale set, App Service, Functions, Container Apps, AKS or Azure Arc). Use a client-credentials or device-code credential outside Azure.',
			'managed_identity_unavailable',
		);
	}
	const detail = redactSecrets(
		text
			.replace(/^\s*ManagedIdentityCredential:\s*/, '')
			.replace(/\s+/g, ' ')
			.trim(),
	);
	return new TokenRequestError(`The managed identity could not get a token: ${detail}`, 'managed_identity_error');
}
