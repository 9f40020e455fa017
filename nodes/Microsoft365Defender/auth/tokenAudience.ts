import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ResolvedCloud } from './clouds';
import { CredentialInputError, SignInRequiredError, TokenRequestError } from './errors';
import { AUDIENCE_NAMES, type Audience } from './types';

export { AUDIENCE_NAMES, type Audience };

/** Application ids that stand for each API in a token's `aud` (besides its host URL). */
const AUDIENCE_APP_IDS: Record<Audience, string> = {
	graph: '00000003-0000-0000-c000-000000000000',
	mde: 'fc780465-2017-40d4-a0c5-307022471b92',
};

/**
 * The host of an audience in the cloud. A custom cloud without `mdeEndpoint` asked for Defender for
 * Endpoint: an error naming the field.
 */
export function audienceEndpoint(cloud: ResolvedCloud, audience: Audience): string {
	if (audience === 'graph') return cloud.graphEndpoint;
	if (cloud.mdeEndpoint === undefined) {
		throw new CredentialInputError(
			'mdeEndpoint',
			'is empty; enter the Defender for Endpoint API URL of your cloud (https), needed for the Device and Indicator resources',
		);
	}
	return cloud.mdeEndpoint;
}

// n8n's legacy requestWithAuthentication (the HTTP Request node with a predefined credential) hands
// `authenticate` request-library options, whose URL is `uri`, not `url`.
function urlOf(requestOptions: Pick<IHttpRequestOptions, 'url' | 'baseURL'>): string {
	return String(requestOptions.url ?? (requestOptions as { uri?: unknown }).uri ?? '');
}

function originOf(requestOptions: Pick<IHttpRequestOptions, 'url' | 'baseURL'>): string | undefined {
	try {
		return new URL(urlOf(requestOptions), requestOptions.baseURL || undefined).origin;
	} catch {
		return undefined;
	}
}

/** The audience the request's URL is for, or undefined when its origin is neither API's. */
export function audienceOfRequest(
	cloud: ResolvedCloud,
	requestOptions: Pick<IHttpRequestOptions, 'url' | 'baseURL'>,
): Audience | undefined {
	const origin = originOf(requestOptions);
	if (origin === undefined) return undefined;
	if (origin === new URL(cloud.graphEndpoint).origin) return 'graph';
	if (cloud.mdeEndpoint !== undefined && origin === new URL(cloud.mdeEndpoint).origin) return 'mde';
	return undefined;
}

/** The refusal for a request to another host: no token goes there. */
export function foreignHostError(cloud: ResolvedCloud, requestOptions: Pick<IHttpRequestOptions, 'url' | 'baseURL'>): TokenRequestError {
	const origin = originOf(requestOptions);
	const host = origin && origin !== 'null' ? origin : `"${urlOf(requestOptions).slice(0, 100)}"`;
	const allowed = [`${AUDIENCE_NAMES.graph} (${cloud.graphEndpoint})`];
	if (cloud.mdeEndpoint !== undefined) allowed.push(`${AUDIENCE_NAMES.mde} (${cloud.mdeEndpoint})`);
	const unset = cloud.mdeEndpoint === undefined ? ' (the Defender for Endpoint API URL, credential field "mdeEndpoint", is empty)' : '';
	return new TokenRequestError(
		`No token is sent to ${host}: this credential's tokens go only to ${allowed.join(' and ')}${unset}.`,
		'host_not_allowed',
	);
}

function audiences(token: string): string[] | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		const aud = (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { aud?: unknown }).aud;
		return (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string');
	} catch {
		return undefined;
	}
}

/** True unless the token is a JWT whose `aud` names neither the host nor the API's app id. */
export function isTokenFor(token: string, endpoint: string, audience: Audience): boolean {
	const aud = audiences(token);
	if (aud === undefined) return true; // opaque tokens carry no audience to check
	const host = endpoint.replace(/\/+$/, '').toLowerCase();
	return aud.some((a) => a.toLowerCase() === AUDIENCE_APP_IDS[audience] || a.replace(/\/+$/, '').toLowerCase() === host);
}

/**
 * A stored user token goes only to the host it was issued for: a JWT whose audience names another host is
 * refused before it is attached.
 */
export function assertTokenFor(token: string, endpoint: string, audience: Audience = 'graph'): void {
	if (!isTokenFor(token, endpoint, audience)) {
		const host = endpoint.replace(/\/+$/, '').toLowerCase();
		throw new SignInRequiredError(
			undefined,
			`The stored sign-in was made for another ${AUDIENCE_NAMES[audience]} host than ${host}; it is not sent there: sign in again.`,
		);
	}
}
