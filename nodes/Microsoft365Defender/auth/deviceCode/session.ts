import {
	LogLevel,
	PublicClientApplication,
	type AccountInfo,
	type AuthenticationResult,
	type ICachePlugin,
} from '@azure/msal-node';

import { DELEGATED_PERMISSIONS, MDE_PERMISSIONS_HINT } from '../clouds';
import { redactSecrets, toTokenRequestError } from '../errors';
import { type TokenHttp, msalNetworkClient } from '../httpClient';
import type { Audience } from '../types';
import type { DeviceCodeSettings } from './settings';

/**
 * The signed-in user's tokens, owned by msal-node's PublicClientApplication. Its cache plugin reads and
 * writes a string that lives in the n8n credential (`tokenCache`), never a file: n8n persists it
 * (encrypted) when preAuthentication returns it, so restarts and queue-mode workers share the sign-in.
 */

export interface SessionResult {
	/** msal's serialized cache after the call (refresh token included) */
	tokenCache: string;
	/** access token expiry */
	expiresOn: Date;
	account: SignedInAccount;
	/**
	 * With a Defender for Endpoint host asked for: '' when its token is in the cache too, else why it could
	 * not be had (the Graph sign-in stays good).
	 */
	mdeError?: string;
}

export interface SignedInAccount {
	username: string;
	name?: string;
	tenantId?: string;
}

/** msal's serialized cache, the parts read without msal (authenticate must not touch the network). */
interface SerializedCache {
	Account?: Record<string, { username?: string; name?: string; realm?: string }>;
	AccessToken?: Record<string, { secret?: string; expires_on?: string | number; target?: string }>;
	RefreshToken?: Record<string, { secret?: string }>;
}

function parseCache(tokenCache: unknown): SerializedCache {
	if (typeof tokenCache !== 'string' || tokenCache === '') return {};
	try {
		return JSON.parse(tokenCache) as SerializedCache;
	} catch {
		return {};
	}
}

/** True when the cache holds an account and a refresh token (it can be refreshed without the user). */
export function isSignedIn(tokenCache: unknown): boolean {
	const cache = parseCache(tokenCache);
	return Object.keys(cache.Account ?? {}).length > 0 && Object.keys(cache.RefreshToken ?? {}).length > 0;
}

export function signedInAccount(tokenCache: unknown): SignedInAccount | undefined {
	const account = Object.values(parseCache(tokenCache).Account ?? {})[0];
	if (!account) return undefined;
	return { username: account.username ?? '', name: account.name, tenantId: account.realm };
}

/**
 * Whether a cached access token is a Graph one, by its scopes (`target`): it names one of the delegated
 * Graph permissions the sign-in asks for (by name: a changed Graph host still finds the token, and
 * assertTokenFor then refuses it). Every other token in the cache is Defender for Endpoint's.
 */
function isGraphTarget(target: string | undefined): boolean {
	if (target === undefined || target.trim() === '') return true;
	const graphNames = DELEGATED_PERMISSIONS.map((name) => name.toLowerCase());
	return target
		.toLowerCase()
		.split(/\s+/)
		.some((scope) => graphNames.includes(scope.slice(scope.lastIndexOf('/') + 1)));
}

/** The newest access token of `audience` in the cache (one user's: Graph's, and Defender for Endpoint's with `mdeAccess`). */
export function cachedAccessToken(tokenCache: unknown, audience: Audience = 'graph'): { token: string; expiresOn: Date } | undefined {
	let newest: { token: string; expiresOn: Date } | undefined;
	for (const entry of Object.values(parseCache(tokenCache).AccessToken ?? {})) {
		const expiresOn = new Date(Number(entry.expires_on) * 1000);
		if (!entry.secret || Number.isNaN(expiresOn.getTime())) continue;
		if (isGraphTarget(entry.target) !== (audience === 'graph')) continue;
		if (!newest || expiresOn > newest.expiresOn) newest = { token: entry.secret, expiresOn };
	}
	return newest;
}

function createApplication(settings: DeviceCodeSettings, holder: { cache: string }, http: TokenHttp) {
	const { cloud, tenantId, clientId } = settings;
	const cachePlugin: ICachePlugin = {
		beforeCacheAccess: async (context) => {
			context.tokenCache.deserialize(holder.cache);
		},
		afterCacheAccess: async (context) => {
			if (context.cacheHasChanged) holder.cache = context.tokenCache.serialize();
		},
	};
	return new PublicClientApplication({
		auth: {
			clientId,
			authority: `${cloud.authorityHost}/${tenantId}`,
			// custom clouds are not in Microsoft's instance-discovery list: trust the host as given
			...(cloud.disableInstanceDiscovery ? { knownAuthorities: [new URL(cloud.authorityHost).host] } : {}),
		},
		cache: { cachePlugin },
		system: {
			// n8n's HTTP stack (SSRF rules, proxy), not msal's built-in fetch
			networkClient: msalNetworkClient(http),
			// msal's own log could carry account names; n8n has its own error reporting
			loggerOptions: { loggerCallback: () => {}, piiLoggingEnabled: false, logLevel: LogLevel.Error },
		},
	});
}

/** The delegated Graph scopes msal asks for (offline_access is msal's own). */
function graphScopes(settings: DeviceCodeSettings): string[] {
	return settings.cloud.delegatedScopes.filter((scope) => scope !== 'offline_access');
}

function toSessionResult(result: AuthenticationResult | null, cache: string): SessionResult {
	if (!result?.accessToken || !result.expiresOn) {
		throw toTokenRequestError({ message: 'Microsoft Entra ID returned no access token.' }, 'The token refresh');
	}
	const account = result.account;
	return {
		tokenCache: cache,
		expiresOn: result.expiresOn,
		account: { username: account?.username ?? '', name: account?.name, tenantId: account?.tenantId },
	};
}

/**
 * A Defender for Endpoint token for `<mde>/.default` from the same refresh token (no second sign-in),
 * written into the same cache. A failure is returned as text, never thrown: the Graph sign-in stays good.
 */
async function addMdeToken(
	app: PublicClientApplication,
	account: AccountInfo | null | undefined,
	mdeEndpoint: string | undefined,
): Promise<string | undefined> {
	if (mdeEndpoint === undefined) return undefined;
	try {
		if (!account) throw Object.assign(new Error('no account in the token cache'), { errorCode: 'no_tokens_found' });
		const result = await app.acquireTokenSilent({ account, scopes: [`${mdeEndpoint}/.default`], forceRefresh: true });
		if (!result?.accessToken) throw new Error('Microsoft Entra ID returned no access token.');
		return '';
	} catch (error) {
		const refused = toTokenRequestError(error, 'Getting the Defender for Endpoint token');
		return redactSecrets(`${refused.message} ${MDE_PERMISSIONS_HINT}`);
	}
}

/** Errors that mean the stored sign-in is gone (expired, revoked, consent withdrawn): sign in again. */
export function isSignInLost(error: unknown): boolean {
	const e = error as { errorCode?: string; subError?: string; message?: string; errorMessage?: string; name?: string };
	const text = `${e?.errorCode ?? ''} ${e?.subError ?? ''} ${e?.errorMessage ?? ''} ${e?.message ?? ''}`;
	return (
		e?.name === 'InteractionRequiredAuthError' ||
		/invalid_grant|interaction_required|login_required|no_tokens_found|AADSTS700082|AADSTS50173|AADSTS70043|AADSTS50076/.test(text)
	);
}

/**
 * Hands msal the refresh token from a completed device-code sign-in; msal redeems it and from then on
 * owns the account and tokens in the cache. With `mdeEndpoint`, a Defender for Endpoint token is added.
 */
export async function seedSession(settings: DeviceCodeSettings, refreshToken: string, http: TokenHttp): Promise<SessionResult> {
	const holder = { cache: '' };
	const app = createApplication(settings, holder, http);
	try {
		const result = await app.acquireTokenByRefreshToken({
			refreshToken,
			scopes: graphScopes(settings),
			forceCache: true,
		});
		const mdeError = await addMdeToken(app, result?.account, settings.mdeEndpoint);
		return { ...toSessionResult(result, holder.cache), mdeError };
	} catch (error) {
		throw toTokenRequestError(error, 'Completing the sign-in', [refreshToken]);
	}
}

/**
 * A new access token (and rotated refresh token) for the stored sign-in. `forceRefresh` redeems the
 * refresh token even when the cached access token is still valid, so the rotation gets persisted.
 * Throws msal's error when the sign-in is gone (see isSignInLost), TokenRequestError otherwise. With
 * `mdeEndpoint`, the Defender for Endpoint token is renewed with it, so both stay fresh together.
 */
export async function refreshSession(
	settings: DeviceCodeSettings,
	tokenCache: string,
	forceRefresh: boolean,
	http: TokenHttp,
): Promise<SessionResult> {
	const holder = { cache: tokenCache };
	const app = createApplication(settings, holder, http);
	const accounts: AccountInfo[] = await app.getTokenCache().getAllAccounts();
	if (accounts.length === 0) {
		throw Object.assign(new Error('no account in the token cache'), { errorCode: 'no_tokens_found' });
	}
	try {
		const result = await app.acquireTokenSilent({
			account: accounts[0],
			scopes: graphScopes(settings),
			forceRefresh,
		});
		const mdeError = await addMdeToken(app, result?.account ?? accounts[0], settings.mdeEndpoint);
		return { ...toSessionResult(result, holder.cache), mdeError };
	} catch (error) {
		if (isSignInLost(error)) throw error;
		throw toTokenRequestError(error, 'Refreshing the sign-in');
	}
}
