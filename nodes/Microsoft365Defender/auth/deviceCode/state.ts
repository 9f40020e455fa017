import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { isTokenFor } from '../tokenAudience';
import { REFRESH_MARGIN_MS, type SignInAction } from '../types';
import type { PendingSignIn } from './grant';
import { cachedAccessToken, isSignedIn } from './session';
import { type DeviceCodeSettings, deviceCodeSettings } from './settings';

/**
 * A device-code credential as the token module sees it, read once from the stored fields: its settings,
 * whether the stored tokens are theirs, the sign-in, the pending code and the Device Code Sign-In action.
 */
export interface DeviceCodeState {
	settings: DeviceCodeSettings;
	/**
	 * The stored tokens may belong to other settings (`signedInWith` differs, or is missing beside a token
	 * cache: an imported or crafted credential). Their tokens are then never used nor sent anywhere.
	 */
	changed: boolean;
	/** msal's serialized cache; '' when changed */
	tokenCache: string;
	signedIn: boolean;
	/** the stored pending sign-in; undefined when changed */
	pending?: PendingSignIn;
	action?: SignInAction;
	/** why the last refresh got no Defender for Endpoint token, and when */
	mdeError?: { message: string; at: number };
}

export function isSignInAction(value: unknown): value is SignInAction {
	return value === 'start' || value === 'complete' || value === 'signOut';
}

export function parsePendingSignIn(value: unknown): PendingSignIn | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	try {
		const pending = JSON.parse(value) as PendingSignIn;
		return typeof pending.deviceCode === 'string' && typeof pending.userCode === 'string' ? pending : undefined;
	} catch {
		return undefined;
	}
}

function parseMdeError(value: unknown): DeviceCodeState['mdeError'] {
	if (typeof value !== 'string' || value === '') return undefined;
	try {
		const stored = JSON.parse(value) as { message?: unknown; at?: unknown };
		return typeof stored.message === 'string' && typeof stored.at === 'number' ? { message: stored.message, at: stored.at } : undefined;
	} catch {
		return undefined;
	}
}

/** Reads the credential (CredentialInputError naming the field for bad settings, before any request). */
export function readDeviceCodeState(credentials: ICredentialDataDecryptedObject): DeviceCodeState {
	const settings = deviceCodeSettings(credentials);
	const stored = typeof credentials.tokenCache === 'string' ? credentials.tokenCache : '';
	const signedInWith = typeof credentials.signedInWith === 'string' ? credentials.signedInWith : '';
	const changed = signedInWith === '' ? stored !== '' : signedInWith !== settings.fingerprint;
	const tokenCache = changed ? '' : stored;
	return {
		settings,
		changed,
		tokenCache,
		signedIn: isSignedIn(tokenCache),
		pending: changed ? undefined : parsePendingSignIn(credentials.pendingSignIn),
		action: isSignInAction(credentials.signInAction) ? credentials.signInAction : undefined,
		mdeError: parseMdeError(credentials.mdeTokenError),
	};
}

function expiring(token: { expiresOn: Date } | undefined, now: number): boolean {
	return !token || token.expiresOn.getTime() - now < REFRESH_MARGIN_MS;
}

/**
 * True when the state's tokens need preAuthentication before the next request: settings changed, or the
 * Graph token (or, with Defender for Endpoint access, its token) expires within the refresh margin. A
 * refused Defender for Endpoint token is asked for again only once the margin has passed since.
 */
export function needsRefresh(state: DeviceCodeState, now: number): boolean {
	if (state.changed) return true;
	if (expiring(cachedAccessToken(state.tokenCache), now)) return true;
	if (state.settings.mdeEndpoint === undefined) return false;
	const mdeToken = cachedAccessToken(state.tokenCache, 'mde');
	// a token of a Defender for Endpoint host no longer configured counts as missing: the refresh gets one
	if (!expiring(mdeToken, now) && isTokenFor(mdeToken!.token, state.settings.mdeEndpoint, 'mde')) return false;
	return !state.mdeError || now - state.mdeError.at >= REFRESH_MARGIN_MS;
}
