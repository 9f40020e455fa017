/* What the integration test setups share about the simulated cloud (sim/, types in sim/index.d.ts): starting
 * it trusted by this process, the store with our three credential types, and credential fields pointing at it.
 * Product test seams (token caches, retry policy) stay in each setup. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { Microsoft365DefenderClientCredentialsApi } from '../../credentials/Microsoft365DefenderClientCredentialsApi.credentials';
import { Microsoft365DefenderDeviceCodeApi } from '../../credentials/Microsoft365DefenderDeviceCodeApi.credentials';
import { Microsoft365DefenderManagedIdentityApi } from '../../credentials/Microsoft365DefenderManagedIdentityApi.credentials';
import { startSimulatedCloud, type SimCloud, type SimOptions, type SimSecretApp } from '../../sim';
import { CredentialStore, trustCa } from '../harness';

export const credentialTypes = () => [
	new Microsoft365DefenderClientCredentialsApi(),
	new Microsoft365DefenderDeviceCodeApi(),
	new Microsoft365DefenderManagedIdentityApi(),
];

/** A credential store that knows our three credential types. */
export function newStore(): CredentialStore {
	return new CredentialStore(credentialTypes());
}

/** The simulated cloud, its CA trusted by this process (the harness's trustCa: the node's TLS clients reach it). */
export async function startTrustedCloud(options: SimOptions = {}): Promise<SimCloud> {
	const cloud = await startSimulatedCloud(options);
	trustCa(cloud.caCertPem);
	return cloud;
}

/** The `custom` cloud pointing at the simulated one. */
export function customCloud(cloud: SimCloud): ICredentialDataDecryptedObject {
	return { cloud: 'custom', authorityHost: cloud.authorityHost, graphEndpoint: cloud.graphEndpoint };
}

/** Client-credentials fields (client secret) of one of the sim's apps, the secret app by default. */
export function secretApp(cloud: SimCloud, overrides: ICredentialDataDecryptedObject = {}, app: SimSecretApp = cloud.apps.secret): ICredentialDataDecryptedObject {
	return {
		...customCloud(cloud),
		tenantId: cloud.tenantId,
		clientId: app.clientId,
		authMethod: 'clientSecret',
		clientSecret: app.clientSecret,
		...overrides,
	};
}

/** Client-credentials fields (certificate) of the sim's certificate app. */
export function certificateApp(cloud: SimCloud, overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		...customCloud(cloud),
		tenantId: cloud.tenantId,
		clientId: cloud.apps.certificate.clientId,
		authMethod: 'certificate',
		certificate: cloud.apps.certificate.certificatePem,
		...overrides,
	};
}
