/**
 * The leaf of the token module: credential type names and the types shared by its files and its callers.
 * Imports nothing, so every other module (transport, descriptions, credential types) can use it.
 */

/** The credential type names (n8n's `name` of each credential class): the one definition. */
export const DEVICE_CODE_CREDENTIAL = 'microsoft365DefenderDeviceCodeApi';
export const CLIENT_CREDENTIALS_CREDENTIAL = 'microsoft365DefenderClientCredentialsApi';
export const MANAGED_IDENTITY_CREDENTIAL = 'microsoft365DefenderManagedIdentityApi';

/** The node's `authentication` values (INTERFACE.md) and the credential type each selects. */
export const CREDENTIAL_TYPES: Readonly<Record<'deviceCode' | 'clientCredentials' | 'managedIdentity', string>> = {
	deviceCode: DEVICE_CODE_CREDENTIAL,
	clientCredentials: CLIENT_CREDENTIALS_CREDENTIAL,
	managedIdentity: MANAGED_IDENTITY_CREDENTIAL,
};

/** Device Code Sign-In operations pass one of these as `signInAction` in the credential data. */
export type SignInAction = 'start' | 'complete' | 'signOut';

/**
 * Which API a token is for. Every credential type serves both; the request's URL origin picks one, and a
 * token only ever goes to its own host.
 */
export type Audience = 'graph' | 'mde';

export const AUDIENCE_NAMES: Record<Audience, string> = { graph: 'Microsoft Graph', mde: 'Defender for Endpoint' };

/** Renew a token this long before it expires (app tokens and both device-code tokens alike). */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** What the credential test gets from the token module. */
export type TokenForTest =
	| { status: 'token'; token: string; graphEndpoint: string; account?: string }
	| { status: 'signInRequired'; message: string };
