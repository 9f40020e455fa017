/**
 * The token module: which token a request to Microsoft Graph or Defender for Endpoint carries, for the
 * three credential types. Layout (docs/ARCHITECTURE.md): `types.ts` (names, shared types; a leaf),
 * `authenticate.ts`, `appTokens.ts` (client credentials, managed identity), `deviceCode/` (grant, msal
 * session, state, preAuthentication, credential test, sign-ins kept in process), `clouds.ts`,
 * `tokenAudience.ts`, `httpClient.ts`, `errors.ts`, `validate.ts`.
 */
export * from './errors';
export * from './types';
export {
	resolveCloud,
	CLOUDS,
	CLOUD_NAMES,
	DELEGATED_PERMISSIONS,
	MDE_DELEGATED_PERMISSIONS,
	type ResolvedCloud,
	type CloudName,
} from './clouds';
export { audienceEndpoint, audienceOfRequest } from './tokenAudience';
export { authenticateRequest, forgetAppToken } from './authenticate';
export { appTokens, type AppTokenOptions } from './appTokens';
export { getTokenForCredentialTest } from './credentialTest';
export { devicePreAuthentication, needsDeviceCodeRefresh } from './deviceCode/preAuthentication';
export { signedInAccount, isSignedIn } from './deviceCode/session';
export { deviceCodeFingerprint } from './deviceCode/settings';
export { parsePendingSignIn } from './deviceCode/state';
export { signInsInProcess } from './deviceCode/signInsInProcess';
export { type PendingSignIn } from './deviceCode/grant';
export {
	forgetN8nHttp,
	rememberN8nHttp,
	tokenHttpFromHttpRequest,
	tokenHttpFromLegacyRequest,
	tokenRequestPolicy,
	type TokenHttp,
} from './httpClient';
