'use strict';
// Credentials for `n8n import:credentials` that point at a simulated cloud (sim/), one per way of signing
// in, all with cloud = custom. Takes the sim's info() (or GET /_sim/info): the SimCloud object works too.

const CREDENTIAL_TYPES = {
	deviceCode: 'microsoft365DefenderDeviceCodeApi',
	clientCredentials: 'microsoft365DefenderClientCredentialsApi',
	managedIdentity: 'microsoft365DefenderManagedIdentityApi',
};

/**
 * @param {{ authorityHost: string, graphEndpoint: string, tenantId: string, publicClientId: string,
 *   apps: { secret: { clientId: string, clientSecret: string }, certificate: { clientId: string, certificatePem: string } },
 *   identities: { userAssigned: { clientId: string } } }} sim
 */
function simCredentials(sim) {
	const custom = { cloud: 'custom', authorityHost: sim.authorityHost, graphEndpoint: sim.graphEndpoint };
	return {
		clientSecret: {
			id: 'e2eAppSecret0001',
			name: 'Defender app (client secret)',
			type: CREDENTIAL_TYPES.clientCredentials,
			data: { ...custom, tenantId: sim.tenantId, clientId: sim.apps.secret.clientId, authMethod: 'clientSecret', clientSecret: sim.apps.secret.clientSecret },
		},
		clientCertificate: {
			id: 'e2eAppCert000001',
			name: 'Defender app (certificate)',
			type: CREDENTIAL_TYPES.clientCredentials,
			data: { ...custom, tenantId: sim.tenantId, clientId: sim.apps.certificate.clientId, authMethod: 'certificate', certificate: sim.apps.certificate.certificatePem },
		},
		systemIdentity: {
			id: 'e2eSystemMi00001',
			name: 'Defender (system-assigned managed identity)',
			type: CREDENTIAL_TYPES.managedIdentity,
			data: { cloud: 'custom', graphEndpoint: sim.graphEndpoint, clientId: '' },
		},
		userAssignedIdentity: {
			id: 'e2eUserMi0000001',
			name: 'Defender (user-assigned managed identity)',
			type: CREDENTIAL_TYPES.managedIdentity,
			data: { cloud: 'custom', graphEndpoint: sim.graphEndpoint, clientId: sim.identities.userAssigned.clientId },
		},
		deviceCode: {
			id: 'e2eDeviceCode001',
			name: 'Defender (device code sign-in)',
			type: CREDENTIAL_TYPES.deviceCode,
			// the hidden sign-in state starts empty, as the credential form saves it
			data: { ...custom, tenantId: sim.tenantId, clientId: sim.publicClientId, tokenCache: '', pendingSignIn: '', session: '' },
		},
	};
}

/** What a credential reference in a workflow node needs. */
function credentialRef(credential) {
	return { type: credential.type, id: credential.id, name: credential.name };
}

/**
 * Environment n8n needs to reach the sim: its CA, and the App Service managed-identity endpoint. With
 * `sim.proxyUrl` (the e2e suites) also hardened as an operator would run it: n8n's SSRF protection on
 * (only the sim's loopback range allowed) and every https request through that CONNECT proxy.
 */
function simEnvironment(sim) {
	return {
		NODE_EXTRA_CA_CERTS: sim.caCertPath,
		IDENTITY_ENDPOINT: sim.identityEndpoint,
		IDENTITY_HEADER: sim.identityHeader,
		...(sim.proxyUrl
			? { N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.0/8', HTTPS_PROXY: sim.proxyUrl }
			: {}),
	};
}

module.exports = { CREDENTIAL_TYPES, simCredentials, credentialRef, simEnvironment };
