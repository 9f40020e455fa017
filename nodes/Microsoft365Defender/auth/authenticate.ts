import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { appTokens } from './appTokens';
import { MDE_PERMISSIONS_HINT, resolveCloud } from './clouds';
import { cachedAccessToken } from './deviceCode/session';
import { SETTINGS_CHANGED } from './deviceCode/preAuthentication';
import { isSignInAction, readDeviceCodeState } from './deviceCode/state';
import { CredentialInputError, DeviceSignInActionDone, SignInRequiredError, TokenRequestError, rememberThrownInsideN8n } from './errors';
import { type Audience, assertTokenFor, audienceEndpoint, audienceOfRequest, foreignHostError } from './tokenAudience';
import { DEVICE_CODE_CREDENTIAL, MANAGED_IDENTITY_CREDENTIAL } from './types';

function withBearer(requestOptions: IHttpRequestOptions, token: string): IHttpRequestOptions {
	return { ...requestOptions, headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` } };
}

function currentBearer(requestOptions: IHttpRequestOptions): string | undefined {
	const headers = (requestOptions.headers ?? {}) as IDataObject;
	const value = headers.Authorization ?? headers.authorization;
	return typeof value === 'string' && value.startsWith('Bearer ') ? value.slice(7) : undefined;
}

function mdeAccessOffError(): CredentialInputError {
	return new CredentialInputError(
		'mdeAccess',
		`Defender for Endpoint requests (Device and Indicator resources) need "Defender for Endpoint Access" turned on in this device-code credential. ${MDE_PERMISSIONS_HINT}`,
	);
}

/**
 * The device-code token for the request, read from what preAuthentication stored: never a network call.
 * Not signed in -> SignInRequiredError with the code to enter.
 */
function deviceCodeToken(credentials: ICredentialDataDecryptedObject, audience: Audience | undefined, requestOptions: IHttpRequestOptions): string {
	if (audience === 'mde' && credentials.mdeAccess !== true) throw mdeAccessOffError();
	const state = readDeviceCodeState(credentials);
	if (state.changed) throw new SignInRequiredError(undefined, SETTINGS_CHANGED);
	if (!state.signedIn) throw new SignInRequiredError(state.pending, state.pending?.reason);
	const { cloud } = state.settings;
	if (audience === undefined) throw foreignHostError(cloud, requestOptions);
	const accessToken = cachedAccessToken(state.tokenCache, audience);
	if (!accessToken) {
		if (audience === 'graph') throw new SignInRequiredError(undefined);
		throw new TokenRequestError(
			state.mdeError?.message ?? `The sign-in holds no Defender for Endpoint token yet; run the node again. ${MDE_PERMISSIONS_HINT}`,
			'no_mde_token',
		);
	}
	assertTokenFor(accessToken.token, audienceEndpoint(cloud, audience), audience);
	return accessToken.token;
}

/**
 * The credential types' `authenticate`: attaches `Authorization: Bearer <token>` for the audience the
 * request's URL origin names (Graph, Defender for Endpoint), and no token to any other host. App tokens
 * come from the per-process cache; on n8n's retry after a 401 the options already carry the token we gave,
 * which the API refused: it is replaced. Device code attaches what preAuthentication stored.
 */
export async function authenticateRequest(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	try {
		// a Device Code Sign-In operation's step is done once preAuthentication ran: no request is sent
		if (credentialType === DEVICE_CODE_CREDENTIAL && isSignInAction(credentials.signInAction)) throw new DeviceSignInActionDone();
		const cloud = resolveCloud(credentials, credentialType !== MANAGED_IDENTITY_CREDENTIAL);
		const audience = audienceOfRequest(cloud, requestOptions);
		if (credentialType === DEVICE_CODE_CREDENTIAL) return withBearer(requestOptions, deviceCodeToken(credentials, audience, requestOptions));
		if (audience === undefined) throw foreignHostError(cloud, requestOptions);
		const token = await appTokens.token(credentialType, credentials, audience, { refused: currentBearer(requestOptions) });
		return withBearer(requestOptions, token);
	} catch (error) {
		throw rememberThrownInsideN8n(error);
	}
}

/**
 * Forgets the app tokens this process holds for the credential (client credentials, managed identity), so
 * the next authenticate gets new ones: for a token the API refused when n8n did not retry itself.
 */
export function forgetAppToken(credentialType: string, credentials: ICredentialDataDecryptedObject): void {
	if (credentialType !== DEVICE_CODE_CREDENTIAL) appTokens.forget(credentialType, credentials);
}
