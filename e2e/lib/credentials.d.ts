// Types for credentials.js.
import type { CredentialImport } from './n8n';
import type { CredentialRef } from './workflows';

export const CREDENTIAL_TYPES: { deviceCode: string; clientCredentials: string; managedIdentity: string };
export interface SimConnectionInfo {
	authorityHost: string;
	graphEndpoint: string;
	tenantId: string;
	publicClientId: string;
	caCertPath: string;
	identityEndpoint: string;
	identityHeader: string;
	apps: {
		secret: { clientId: string; clientSecret: string };
		certificate: { clientId: string; certificatePem: string };
	};
	identities: { userAssigned: { clientId: string } };
	/** a CONNECT proxy for n8n's https traffic; with it simEnvironment also turns on SSRF protection */
	proxyUrl?: string;
}
export function simCredentials(sim: SimConnectionInfo): {
	clientSecret: CredentialImport;
	clientCertificate: CredentialImport;
	systemIdentity: CredentialImport;
	userAssignedIdentity: CredentialImport;
	deviceCode: CredentialImport;
};
export function credentialRef(credential: CredentialImport): CredentialRef;
export function simEnvironment(sim: SimConnectionInfo): Record<string, string>;
