// Types for credentials.js.
import type { SimInfo } from '../../sim';
import type { CredentialImport } from './n8n';
import type { CredentialRef } from './workflows';

export const CREDENTIAL_TYPES: { deviceCode: string; clientCredentials: string; managedIdentity: string };
/** What these functions read of the sim (its info(), or the SimCloud itself), plus the e2e suites' proxy. */
export type SimConnectionInfo = Pick<SimInfo, 'authorityHost' | 'graphEndpoint' | 'tenantId' | 'publicClientId' | 'caCertPath' | 'identityEndpoint' | 'identityHeader' | 'apps' | 'identities'> & {
	/** a CONNECT proxy for n8n's https traffic; with it simEnvironment also turns on SSRF protection */
	proxyUrl?: string;
};
export function simCredentials(sim: SimConnectionInfo): {
	clientSecret: CredentialImport;
	clientCertificate: CredentialImport;
	systemIdentity: CredentialImport;
	userAssignedIdentity: CredentialImport;
	deviceCode: CredentialImport;
};
export function credentialRef(credential: CredentialImport): CredentialRef;
export function simEnvironment(sim: SimConnectionInfo): Record<string, string>;
