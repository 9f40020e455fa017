import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { signInInstructions } from '../errors';
import type { TokenHttp } from '../httpClient';
import { assertTokenFor } from '../tokenAudience';
import { REFRESH_MARGIN_MS, type TokenForTest } from '../types';
import { type PendingSignIn, startDeviceCodeSignIn } from './grant';
import { lostSignInReason } from './preAuthentication';
import { cachedAccessToken, isSignInLost, refreshSession, signedInAccount } from './session';
import { signInsInProcess } from './signInsInProcess';
import type { DeviceCodeSettings } from './settings';
import { readDeviceCodeState } from './state';

function live(pending: PendingSignIn | undefined, now: number): PendingSignIn | undefined {
	return pending && new Date(pending.expiresAt).getTime() > now ? pending : undefined;
}

async function started(http: TokenHttp, settings: DeviceCodeSettings, reason?: string): Promise<TokenForTest> {
	const pending = await startDeviceCodeSignIn(http, settings);
	signInsInProcess.started(settings.fingerprint, pending);
	return { status: 'signInRequired', message: `${reason ?? 'Not signed in yet.'} ${signInInstructions(pending, 'dialog')}` };
}

/**
 * A device-code credential's token for n8n's credential test, which persists nothing (and may run before
 * the credential is saved). Signed in: the stored token (refreshed in memory when it expires within the
 * margin). Not signed in: the code this process keeps for these settings, redeemed once approved (so Retry
 * after approval succeeds and the next run adopts the sign-in), else a new code kept for the next test.
 */
export async function deviceCodeTokenForTest(credentials: ICredentialDataDecryptedObject, http: TokenHttp): Promise<TokenForTest> {
	const state = readDeviceCodeState(credentials);
	const { settings } = state;
	const graphEndpoint = settings.cloud.graphEndpoint;
	const now = Date.now();
	if (state.signedIn) {
		const account = signedInAccount(state.tokenCache)?.username;
		const cached = cachedAccessToken(state.tokenCache);
		if (cached && cached.expiresOn.getTime() - now > REFRESH_MARGIN_MS) {
			assertTokenFor(cached.token, graphEndpoint);
			return { status: 'token', token: cached.token, graphEndpoint, account };
		}
		try {
			const session = await refreshSession(settings, state.tokenCache, false, http);
			return { status: 'token', token: cachedAccessToken(session.tokenCache)?.token ?? '', graphEndpoint, account };
		} catch (error) {
			if (!isSignInLost(error)) throw error;
			return await started(http, settings, lostSignInReason(error));
		}
	}
	const pending = live(state.pending, now) ?? signInsInProcess.find(settings.fingerprint, now)?.pending;
	if (!pending) return await started(http, settings);
	const result = await signInsInProcess.redeem(http, settings, pending, true);
	if (result.status === 'approved') {
		const token = cachedAccessToken(result.session.tokenCache)?.token ?? '';
		return { status: 'token', token, graphEndpoint, account: result.session.account.username || undefined };
	}
	if (result.status === 'pending') {
		signInsInProcess.started(settings.fingerprint, result.pending);
		return { status: 'signInRequired', message: `Waiting for the sign-in. ${signInInstructions(result.pending, 'dialog')}` };
	}
	return await started(http, settings, result.reason);
}
