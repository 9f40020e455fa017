import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { TokenRequestError, rememberThrownInsideN8n, toTokenRequestError } from '../errors';
import { type TokenHttp, tokenHttpFromHttpRequest } from '../httpClient';
import { type PendingSignIn, startDeviceCodeSignIn } from './grant';
import { type SessionResult, cachedAccessToken, isSignInLost, isSignedIn, refreshSession } from './session';
import { signInsInProcess } from './signInsInProcess';
import type { DeviceCodeSettings } from './settings';
import { type DeviceCodeState, needsRefresh, readDeviceCodeState } from './state';

export const SETTINGS_CHANGED = 'The cloud, tenant or client ID of this credential changed since the last sign-in: sign in again.';

/** The stored fields of a session msal just wrote (persisted by n8n as preAuthentication's result). */
export function sessionFields(session: SessionResult): IDataObject {
	return {
		tokenCache: session.tokenCache,
		session: session.expiresOn.toISOString(),
		mdeTokenError: session.mdeError ? JSON.stringify({ message: session.mdeError, at: Date.now() }) : '',
	};
}

/** `session` value: the Graph access token's expiry while signed in, '' when preAuthentication must run. */
function sessionOf(state: DeviceCodeState): string {
	if (!state.signedIn) return '';
	return cachedAccessToken(state.tokenCache)?.expiresOn.toISOString() ?? '';
}

export function lostSignInReason(error: unknown): string {
	const text = `${(error as { errorMessage?: string }).errorMessage ?? ''} ${(error as Error).message ?? ''}`;
	const code = text.match(/AADSTS\d+/)?.[0];
	return `The Microsoft sign-in of this credential has expired or was revoked${code ? ` (${code})` : ''}: sign in again.`;
}

async function startSignIn(http: TokenHttp, settings: DeviceCodeSettings, reason?: string): Promise<PendingSignIn> {
	const pending = await startDeviceCodeSignIn(http, settings);
	return reason ? { ...pending, reason } : pending;
}

/**
 * The device-code credential's `preAuthentication` (n8n calls it with `this.helpers.httpRequest` while
 * `session` is '', after a 401, and in a credential test). What it returns is persisted in the
 * credential. Signed in: refresh (rotated refresh token persisted). Sign-in lost: start a new one.
 * Not signed in: poll the pending code once, or start one. Never waits for the user.
 */
export async function devicePreAuthentication(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	try {
		const state = readDeviceCodeState(credentials);
		const result = await deviceSignInStep(tokenHttpFromHttpRequest(this.helpers.httpRequest), state);
		const signedInWith = result.tokenCache === '' && result.pendingSignIn === '' ? '' : state.settings.fingerprint;
		return { ...result, signedInWith };
	} catch (error) {
		throw rememberThrownInsideN8n(error);
	}
}

async function deviceSignInStep(http: TokenHttp, state: DeviceCodeState): Promise<IDataObject> {
	const { settings, action, changed, tokenCache, signedIn } = state;
	if (action === 'signOut' || action === 'start') signInsInProcess.forget(settings.fingerprint);
	if (action === 'signOut') return { tokenCache: '', pendingSignIn: '', session: '', mdeTokenError: '' };
	// a code a credential test showed for these settings is the one the user may have entered
	const pending = changed ? undefined : (state.pending ?? (signedIn ? undefined : signInsInProcess.find(settings.fingerprint)?.pending));
	const forget = changed ? { tokenCache: '' } : {};

	if (action === 'start') {
		const started = await startDeviceCodeSignIn(http, settings);
		return { ...forget, pendingSignIn: JSON.stringify(started), session: sessionOf(state) };
	}
	if (changed) {
		const restarted = await startSignIn(http, settings, SETTINGS_CHANGED);
		return { tokenCache: '', pendingSignIn: JSON.stringify(restarted), session: '' };
	}

	if (pending && (!signedIn || action === 'complete')) {
		const result = await signInsInProcess.redeem(http, settings, pending, false);
		if (result.status === 'approved') {
			signInsInProcess.adopted(settings.fingerprint);
			return { ...sessionFields(result.session), pendingSignIn: '' };
		}
		if (result.status === 'pending') {
			return { pendingSignIn: JSON.stringify(result.pending), session: sessionOf(state) };
		}
		const restarted = await startSignIn(http, settings, result.reason);
		return { pendingSignIn: JSON.stringify(restarted), session: sessionOf(state) };
	}

	if (signedIn) {
		try {
			return sessionFields(await refreshSession(settings, tokenCache, true, http));
		} catch (error) {
			if (!isSignInLost(error)) throw error instanceof TokenRequestError ? error : toTokenRequestError(error, 'Refreshing the sign-in');
			const restarted = await startSignIn(http, settings, lostSignInReason(error));
			return { tokenCache: '', pendingSignIn: JSON.stringify(restarted), session: '' };
		}
	}

	const started = await startSignIn(http, settings);
	return { pendingSignIn: JSON.stringify(started), session: '' };
}

/**
 * For the transport: true when the device-code credential needs preAuthentication before the request
 * (its tokens expire within the refresh margin, or belong to other settings). The transport then passes
 * `credentialsDecrypted` with `session: ''` to httpRequestWithAuthentication, so preAuthentication
 * refreshes and n8n persists the rotated tokens.
 */
export function needsDeviceCodeRefresh(credentials: ICredentialDataDecryptedObject, now = Date.now()): boolean {
	// not signed in: n8n runs preAuthentication anyway while `session` is ''; a stale non-empty one
	// (e.g. an imported credential) would otherwise keep it from ever starting a sign-in
	let state: DeviceCodeState;
	try {
		state = readDeviceCodeState(credentials);
	} catch {
		return false; // bad input: authenticate reports it before any request
	}
	const signedIn = state.changed ? isSignedIn(credentials.tokenCache) : state.signedIn;
	if (!signedIn) return typeof credentials.session === 'string' && credentials.session !== '';
	return needsRefresh(state, now);
}
