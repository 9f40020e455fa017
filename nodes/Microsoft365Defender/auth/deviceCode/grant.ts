import type { IDataObject } from 'n8n-workflow';

import { TokenRequestError, toTokenRequestError } from '../errors';
import type { TokenHttp } from '../httpClient';
import type { DeviceCodeSettings } from './settings';

/**
 * The OAuth 2.0 device authorization grant (RFC 8628) against Microsoft Entra ID, one step at a time:
 * msal's acquireTokenByDeviceCode polls until the user is done, which a node run cannot wait for, and
 * cannot resume a device code in another run or process. Start returns the code, each run polls once.
 */

/** A started sign-in, stored (JSON) in the credential's hidden `pendingSignIn` field. */
export interface PendingSignIn {
	deviceCode: string;
	userCode: string;
	verificationUri: string;
	/** ISO date the code stops working */
	expiresAt: string;
	/** seconds Entra wants between polls (a run polls once: people rerun far less often) */
	interval: number;
	/** why a new sign-in is needed, shown before the instructions (e.g. the old one was revoked) */
	reason?: string;
}

export interface DeviceCodeTokens {
	accessToken: string;
	refreshToken: string;
}

export type PollResult =
	| { status: 'approved'; tokens: DeviceCodeTokens }
	| { status: 'pending'; pending: PendingSignIn }
	| { status: 'restart'; reason: string };

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function parseBody(body: unknown): IDataObject {
	if (typeof body === 'string') {
		try {
			return JSON.parse(body) as IDataObject;
		} catch {
			// not echoed: whatever answered is not speaking OAuth
			return { error: 'invalid_response', error_description: 'The answer is not JSON.' };
		}
	}
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	return (body ?? {}) as IDataObject;
}

function endpoint(settings: DeviceCodeSettings, name: 'devicecode' | 'token'): string {
	return `${settings.cloud.authorityHost}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/${name}`;
}

function entraError(body: IDataObject, statusCode: number, what: string): TokenRequestError {
	const code = typeof body.error === 'string' ? body.error : `HTTP ${statusCode}`;
	const description = typeof body.error_description === 'string' ? body.error_description : '';
	return toTokenRequestError({ errorCode: code, errorMessage: description || code }, what);
}

async function post(http: TokenHttp, url: string, form: Record<string, string>, what: string) {
	let response;
	try {
		response = await http({
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: new URLSearchParams(form).toString(),
		});
	} catch (error) {
		throw toTokenRequestError(error, what);
	}
	return { statusCode: response.status, body: parseBody(response.body) };
}

export async function startDeviceCodeSignIn(http: TokenHttp, settings: DeviceCodeSettings, now = new Date()): Promise<PendingSignIn> {
	const { statusCode, body } = await post(
		http,
		endpoint(settings, 'devicecode'),
		{ client_id: settings.clientId, scope: ['openid', 'profile', ...settings.cloud.delegatedScopes].join(' ') },
		'Starting the device-code sign-in',
	);
	if (statusCode !== 200 || typeof body.device_code !== 'string' || typeof body.user_code !== 'string') {
		throw entraError(body, statusCode, 'Starting the device-code sign-in');
	}
	const expiresIn = Number(body.expires_in) > 0 ? Number(body.expires_in) : 900;
	return {
		deviceCode: body.device_code,
		userCode: body.user_code,
		verificationUri: String(body.verification_uri ?? body.verification_url ?? 'https://microsoft.com/devicelogin'),
		expiresAt: new Date(now.getTime() + expiresIn * 1000).toISOString(),
		interval: Number(body.interval) >= 0 ? Number(body.interval) : 5,
	};
}

/** Asks Entra once whether the user has finished signing in with the pending code. */
export async function pollDeviceCodeOnce(
	http: TokenHttp,
	settings: DeviceCodeSettings,
	pending: PendingSignIn,
	now = new Date(),
): Promise<PollResult> {
	if (new Date(pending.expiresAt).getTime() <= now.getTime()) {
		return { status: 'restart', reason: 'The previous sign-in code has expired.' };
	}
	const { statusCode, body } = await post(
		http,
		endpoint(settings, 'token'),
		{ grant_type: DEVICE_GRANT, client_id: settings.clientId, device_code: pending.deviceCode, client_info: '1' },
		'Completing the device-code sign-in',
	);
	if (statusCode === 200 && typeof body.access_token === 'string') {
		if (typeof body.refresh_token !== 'string') {
			throw new TokenRequestError(
				'Microsoft Entra ID returned no refresh token for the sign-in; the offline_access permission was not granted, so n8n cannot keep the sign-in.',
				'no_refresh_token',
			);
		}
		return { status: 'approved', tokens: { accessToken: body.access_token, refreshToken: body.refresh_token } };
	}
	switch (body.error) {
		case 'authorization_pending':
			return { status: 'pending', pending };
		case 'slow_down':
			return { status: 'pending', pending: { ...pending, interval: pending.interval + 5 } };
		case 'authorization_declined':
			return { status: 'restart', reason: 'The sign-in was declined.' };
		case 'expired_token':
		case 'bad_verification_code':
			return { status: 'restart', reason: 'The previous sign-in code has expired.' };
		case 'invalid_grant':
			// e.g. already redeemed by another n8n worker, or issued for other settings
			return { status: 'restart', reason: 'The previous sign-in code is no longer valid.' };
		default:
			throw entraError(body, statusCode, 'Completing the device-code sign-in');
	}
}
