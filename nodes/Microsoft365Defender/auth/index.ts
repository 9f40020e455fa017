import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { withDeadline } from '../helpers/deadline';
import { type AppTokenSource, clientCredentialsTokenSource } from './clientCredentials';
import { type ResolvedCloud, resolveCloud } from './clouds';
import { type PendingSignIn, pollDeviceCodeOnce, startDeviceCodeSignIn } from './deviceCode';
import {
	cachedAccessToken,
	isSignInLost,
	isSignedIn,
	MDE_PERMISSIONS_HINT,
	type SessionResult,
	refreshSession,
	seedSession,
	signedInAccount,
} from './deviceCodeSession';
import {
	CredentialInputError,
	DeviceSignInActionDone,
	SignInRequiredError,
	TokenRequestError,
	rememberThrownInsideN8n,
	toTokenRequestError,
} from './errors';
import { clearManagedIdentityTokenStore, managedIdentityTokenSource, toManagedIdentityError } from './managedIdentity';
import {
	type TokenHttp,
	azureHttpClient,
	forgetN8nHttp,
	rememberN8nHttp,
	tokenHttpFromHttpRequest,
	tokenRequestPolicy,
	tokenVerdictSince,
} from './httpClient';
import { explainMetadataFailure } from './metadataExplanation';
import {
	AUDIENCE_NAMES,
	type Audience,
	assertTokenFor,
	audienceEndpoint,
	audienceOfRequest,
	foreignHostError,
	isTokenFor,
} from './tokenAudience';
import { validateClientId, validateTenantId } from './validate';

export * from './errors';
export { resolveCloud, CLOUDS, CLOUD_NAMES, type ResolvedCloud, type CloudName } from './clouds';
export { signedInAccount, isSignedIn } from './deviceCodeSession';
export { setManagedIdentityMaxRetries } from './managedIdentity';
export { type PendingSignIn } from './deviceCode';
export { rememberN8nHttp, tokenHttpFromHttpRequest, tokenHttpFromLegacyRequest, tokenRequestPolicy, type TokenHttp } from './httpClient';

export const DEVICE_CODE_CREDENTIAL = 'microsoft365DefenderDeviceCodeApi';
export const CLIENT_CREDENTIALS_CREDENTIAL = 'microsoft365DefenderClientCredentialsApi';
export const MANAGED_IDENTITY_CREDENTIAL = 'microsoft365DefenderManagedIdentityApi';

/** Device Code Sign-In operations pass one of these as `signInAction` in the credential data. */
export type SignInAction = 'start' | 'complete' | 'signOut';

/** Refresh the device-code access token this long before it expires. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// App tokens (client credentials, managed identity): one @azure/identity object per credential

interface AppTokenEntry {
	credential: TokenCredential;
	inFlight?: Promise<AccessToken>;
	/** the last token, used while valid without asking the library (whose managed-identity path probes IMDS first) */
	token?: AccessToken;
}

function stillGood(token: AccessToken | undefined, now = Date.now()): token is AccessToken {
	if (!token) return false;
	if (token.refreshAfterTimestamp !== undefined && now >= token.refreshAfterTimestamp) return false;
	return token.expiresOnTimestamp - now > REFRESH_MARGIN_MS;
}

/** key: keyed hash of the credential's fields; the secret never is a key in clear */
const appTokenEntries = new Map<string, AppTokenEntry>();
const hashSalt = randomBytes(32);
const MAX_APP_TOKEN_ENTRIES = 200;

function hashKey(parts: unknown[]): string {
	return createHmac('sha256', hashSalt).update(JSON.stringify(parts)).digest('hex');
}

function appTokenSource(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	audience: Audience = 'graph',
): AppTokenSource {
	if (credentialType === CLIENT_CREDENTIALS_CREDENTIAL) return clientCredentialsTokenSource(credentials, hashKey, audience);
	if (credentialType === MANAGED_IDENTITY_CREDENTIAL) return managedIdentityTokenSource(credentials, hashKey, audience);
	throw new Error(`Unknown Microsoft 365 Defender credential type "${credentialType}"`);
}

/** A token for the credential: the last one while valid, else one request shared by concurrent callers. */
async function appToken(credentialType: string, source: AppTokenSource, http?: TokenHttp): Promise<string> {
	let entry = appTokenEntries.get(source.key);
	if (!entry) {
		// edited credentials leave their old entry behind: keep the map bounded (oldest first out)
		if (appTokenEntries.size >= MAX_APP_TOKEN_ENTRIES) appTokenEntries.delete(appTokenEntries.keys().next().value!);
		entry = { credential: source.create(azureHttpClient()) };
		appTokenEntries.set(source.key, entry);
	}
	// msal keeps the managed-identity network client of the first credential object process-wide, so
	// the helper is looked up at send time, not bound to an object
	if (http) rememberN8nHttp(http);
	const current = entry;
	if (stillGood(current.token)) return current.token.token;
	if (!current.inFlight) {
		// one token within totalMs, however the library retries
		const inFlight = withDeadline(
			tokenRequestPolicy.totalMs,
			async (abortSignal) => (await current.credential.getToken(source.scope, { abortSignal })) as AccessToken,
			() =>
				new TokenRequestError(
					`The token request timed out after ${Math.round(tokenRequestPolicy.totalMs / 100) / 10} s. Check the cloud / sign-in URL and the network or proxy of n8n.`,
					'timeout',
				),
		).finally(() => {
			// also on timeout: the next caller starts afresh instead of joining a hung request
			if (current.inFlight === inFlight) current.inFlight = undefined;
		});
		current.inFlight = inFlight;
	}
	const started = Date.now();
	try {
		const token = await current.inFlight;
		if (!isTokenFor(token.token, source.endpoint, source.audience)) {
			throw new TokenRequestError(
				`The token received is not for ${AUDIENCE_NAMES[source.audience]} at ${source.endpoint}; it is not sent there.`,
				'wrong_audience',
			);
		}
		current.token = token;
		return token.token;
	} catch (caught) {
		if (appTokenEntries.get(source.key) === current) appTokenEntries.delete(source.key);
		const error = tokenVerdictSince(started) ?? caught;
		if (credentialType === MANAGED_IDENTITY_CREDENTIAL) {
			const verdict = toTokenRequestError(error, 'The token request');
			throw verdict.errorCode === 'ssrf_blocked' || verdict.errorCode === 'timeout' ? verdict : toManagedIdentityError(error);
		}
		if (source.metadataUrl && /endpoints_resolution_error/.test(String((error as Error)?.message))) {
			const explanation = await explainMetadataFailure(source.metadataUrl);
			if (explanation) throw toTokenRequestError({ errorCode: 'invalid_tenant', errorMessage: explanation }, 'The token request');
		}
		throw toTokenRequestError(error, 'The token request', source.secrets);
	}
}

/** Drops the cached token of a credential (Graph refused it), so the next request gets a new one. */
function dropAppToken(credentialType: string, source: AppTokenSource): void {
	appTokenEntries.delete(source.key);
	if (credentialType === MANAGED_IDENTITY_CREDENTIAL) clearManagedIdentityTokenStore();
}

function withBearer(requestOptions: IHttpRequestOptions, token: string): IHttpRequestOptions {
	return { ...requestOptions, headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` } };
}

function currentBearer(requestOptions: IHttpRequestOptions): string | undefined {
	const headers = (requestOptions.headers ?? {}) as IDataObject;
	const value = headers.Authorization ?? headers.authorization;
	return typeof value === 'string' && value.startsWith('Bearer ') ? value.slice(7) : undefined;
}

// ---------------------------------------------------------------------------------------------
// authenticate (every credential type)

/**
 * The credential types' `authenticate`: adds `Authorization: Bearer <token>`. App tokens come from the
 * per-process cache; on n8n's retry after a 401 the options already carry the token we gave, which Graph
 * refused: it is dropped and a new one fetched. Device code reads the token preAuthentication stored and
 * never calls the network; not signed in -> SignInRequiredError with the code to enter.
 */
export async function authenticateRequest(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	try {
		return await withToken(credentialType, credentials, requestOptions);
	} catch (error) {
		throw rememberThrownInsideN8n(error);
	}
}

async function withToken(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const cloud = resolveCloud(credentials, credentialType !== MANAGED_IDENTITY_CREDENTIAL);
	const audience = audienceOfRequest(cloud, requestOptions);
	if (credentialType === DEVICE_CODE_CREDENTIAL) {
		if (isSignInAction(credentials.signInAction)) throw new DeviceSignInActionDone();
		if (audience === 'mde' && credentials.mdeAccess !== true) throw mdeAccessOffError();
		const settings = deviceCodeSettings(credentials);
		if (settingsChanged(credentials, settingsFingerprint(settings))) {
			throw new SignInRequiredError(undefined, SETTINGS_CHANGED);
		}
		const signedIn = isSignedIn(credentials.tokenCache);
		if (!signedIn) {
			const pending = parsePendingSignIn(credentials.pendingSignIn);
			throw new SignInRequiredError(pending, pending?.reason);
		}
		if (audience === undefined) throw foreignHostError(cloud, requestOptions);
		const endpoint = audienceEndpoint(cloud, audience);
		const accessToken = cachedAccessToken(credentials.tokenCache, audience);
		if (!accessToken) {
			if (audience === 'graph') throw new SignInRequiredError(undefined);
			throw new TokenRequestError(
				storedMdeError(credentials)?.message ?? `The sign-in holds no Defender for Endpoint token yet; run the node again. ${MDE_PERMISSIONS_HINT}`,
				'no_mde_token',
			);
		}
		assertTokenFor(accessToken.token, endpoint, audience);
		return withBearer(requestOptions, accessToken.token);
	}
	if (audience === undefined) throw foreignHostError(cloud, requestOptions);
	const source = appTokenSource(credentialType, credentials, audience);
	let token = await appToken(credentialType, source);
	if (currentBearer(requestOptions) === token) {
		dropAppToken(credentialType, source);
		token = await appToken(credentialType, source);
	}
	return withBearer(requestOptions, token);
}

function mdeAccessOffError(): CredentialInputError {
	return new CredentialInputError(
		'mdeAccess',
		`Defender for Endpoint requests (Device and Indicator resources) need "Defender for Endpoint Access" turned on in this device-code credential. ${MDE_PERMISSIONS_HINT}`,
	);
}

/**
 * Forgets the app token this process holds for the credential (client credentials, managed identity),
 * so the next authenticate gets a new one: for a token Graph refused when n8n did not retry itself.
 */
export function forgetAppToken(credentialType: string, credentials: ICredentialDataDecryptedObject): void {
	if (credentialType === DEVICE_CODE_CREDENTIAL) return;
	dropAppToken(credentialType, appTokenSource(credentialType, credentials));
	// the refused token may have been either audience's: drop both
	if (resolveCloud(credentials, credentialType !== MANAGED_IDENTITY_CREDENTIAL).mdeEndpoint !== undefined) {
		dropAppToken(credentialType, appTokenSource(credentialType, credentials, 'mde'));
	}
}

// ---------------------------------------------------------------------------------------------
// Device code: preAuthentication (the only place its tokens change, so n8n persists every change)

function isSignInAction(value: unknown): value is SignInAction {
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

interface DeviceCodeSettings {
	cloud: ResolvedCloud;
	tenantId: string;
	clientId: string;
	/** the Defender for Endpoint host whose token the sign-in also keeps (`mdeAccess` on), else undefined */
	mdeEndpoint?: string;
}

function deviceCodeSettings(credentials: ICredentialDataDecryptedObject): DeviceCodeSettings {
	const cloud = resolveCloud(credentials);
	return {
		cloud,
		tenantId: validateTenantId(credentials.tenantId, true),
		clientId: validateClientId(credentials.clientId),
		mdeEndpoint: credentials.mdeAccess === true ? cloud.mdeEndpoint : undefined,
	};
}

/** Why the last refresh got no Defender for Endpoint token (`mdeTokenError`, JSON), if it did not. */
function storedMdeError(credentials: ICredentialDataDecryptedObject): { message: string; at: number } | undefined {
	if (typeof credentials.mdeTokenError !== 'string' || credentials.mdeTokenError === '') return undefined;
	try {
		const stored = JSON.parse(credentials.mdeTokenError) as { message?: unknown; at?: unknown };
		return typeof stored.message === 'string' && typeof stored.at === 'number' ? { message: stored.message, at: stored.at } : undefined;
	} catch {
		return undefined;
	}
}

/** The stored fields of a session msal just wrote (persisted by n8n as preAuthentication's result). */
function sessionFields(session: SessionResult): IDataObject {
	return {
		tokenCache: session.tokenCache,
		session: session.expiresOn.toISOString(),
		mdeTokenError: session.mdeError ? JSON.stringify({ message: session.mdeError, at: Date.now() }) : '',
	};
}

/**
 * Sign-ins started by a credential test (which cannot persist anything), by settings hash: the next
 * preAuthentication of the same credential in this process continues with that code instead of
 * showing the user a different one.
 */
const signInsStartedByTests = new Map<string, PendingSignIn>();

const SETTINGS_CHANGED = 'The cloud, tenant or client ID of this credential changed since the last sign-in: sign in again.';

/**
 * Which sign-in settings the stored tokens belong to (stored in `signedInWith`). Stable across processes;
 * the settings are not secret. Tokens of other settings are never used nor sent anywhere.
 */
function settingsFingerprint(settings: DeviceCodeSettings): string {
	return createHash('sha256')
		.update(JSON.stringify([settings.cloud.authorityHost, settings.cloud.graphEndpoint, settings.tenantId.toLowerCase(), settings.clientId.toLowerCase()]))
		.digest('hex')
		.slice(0, 32);
}

/**
 * True when the stored tokens may belong to other settings. A token cache without a fingerprint (an
 * imported or crafted credential) counts as changed: its tokens are never sent to the hosts now set.
 */
function settingsChanged(credentials: ICredentialDataDecryptedObject, fingerprint: string): boolean {
	const stored = typeof credentials.signedInWith === 'string' ? credentials.signedInWith : '';
	if (stored === '') return typeof credentials.tokenCache === 'string' && credentials.tokenCache !== '';
	return stored !== fingerprint;
}

/** The `signedInWith` value of a credential's current sign-in settings (tests and imports). */
export function deviceCodeFingerprint(credentials: ICredentialDataDecryptedObject): string {
	return settingsFingerprint(deviceCodeSettings(credentials));
}

function settingsKey(settings: DeviceCodeSettings): string {
	return hashKey(['deviceCode', settings.cloud.authorityHost, settings.cloud.graphEndpoint, settings.tenantId, settings.clientId]);
}

function takeSignInStartedByTest(settings: DeviceCodeSettings): PendingSignIn | undefined {
	const key = settingsKey(settings);
	const startedByTest = signInsStartedByTests.get(key);
	signInsStartedByTests.delete(key);
	return startedByTest && new Date(startedByTest.expiresAt).getTime() > Date.now() ? startedByTest : undefined;
}

async function startSignIn(http: TokenHttp, settings: DeviceCodeSettings, reason?: string): Promise<PendingSignIn> {
	const pending = await startDeviceCodeSignIn(http, settings.cloud, settings.tenantId, settings.clientId);
	return reason ? { ...pending, reason } : pending;
}

/** `session` value: the access token's expiry while signed in, '' when preAuthentication must run. */
function sessionOf(tokenCache: string, settings: DeviceCodeSettings): string {
	if (!isSignedIn(tokenCache)) return '';
	return cachedAccessToken(tokenCache)?.expiresOn.toISOString() ?? '';
}

function lostSignInReason(error: unknown): string {
	const text = `${(error as { errorMessage?: string }).errorMessage ?? ''} ${(error as Error).message ?? ''}`;
	const code = text.match(/AADSTS\d+/)?.[0];
	return `The Microsoft sign-in of this credential has expired or was revoked${code ? ` (${code})` : ''}: sign in again.`;
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
		const settings = deviceCodeSettings(credentials);
		const signedInWith = settingsFingerprint(settings);
		const http = tokenHttpFromHttpRequest(this.helpers.httpRequest);
		const result = await deviceSignInStep(http, settings, credentials, settingsChanged(credentials, signedInWith));
		return { ...result, signedInWith: result.tokenCache === '' && result.pendingSignIn === '' ? '' : signedInWith };
	} catch (error) {
		throw rememberThrownInsideN8n(error);
	}
}

async function deviceSignInStep(
	http: TokenHttp,
	settings: DeviceCodeSettings,
	credentials: ICredentialDataDecryptedObject,
	changed: boolean,
): Promise<IDataObject> {
	const action = isSignInAction(credentials.signInAction) ? credentials.signInAction : undefined;
	if (action === 'signOut') return { tokenCache: '', pendingSignIn: '', session: '', mdeTokenError: '' };
	// tokens of other sign-in settings are never used (nor sent to the hosts now configured)
	const tokenCache = !changed && typeof credentials.tokenCache === 'string' ? credentials.tokenCache : '';
	const signedIn = isSignedIn(tokenCache);
	const pending = changed
		? undefined
		: (parsePendingSignIn(credentials.pendingSignIn) ?? (signedIn ? undefined : takeSignInStartedByTest(settings)));
	const forget = changed ? { tokenCache: '' } : {};

	if (action === 'start') {
		const started = await startDeviceCodeSignIn(http, settings.cloud, settings.tenantId, settings.clientId);
		return { ...forget, pendingSignIn: JSON.stringify(started), session: sessionOf(tokenCache, settings) };
	}
	if (changed) {
		const restarted = await startSignIn(http, settings, SETTINGS_CHANGED);
		return { tokenCache: '', pendingSignIn: JSON.stringify(restarted), session: '' };
	}

	if (pending && (!signedIn || action === 'complete')) {
		const result = await pollDeviceCodeOnce(http, settings.cloud, settings.tenantId, settings.clientId, pending);
		if (result.status === 'approved') {
			const session = await seedSession(settings.cloud, settings.tenantId, settings.clientId, result.tokens.refreshToken, http, settings.mdeEndpoint);
			return { ...sessionFields(session), pendingSignIn: '' };
		}
		if (result.status === 'pending') {
			return { pendingSignIn: JSON.stringify(result.pending), session: sessionOf(tokenCache, settings) };
		}
		const restarted = await startSignIn(http, settings, result.reason);
		return { pendingSignIn: JSON.stringify(restarted), session: sessionOf(tokenCache, settings) };
	}

	if (signedIn) {
		try {
			const session = await refreshSession(settings.cloud, settings.tenantId, settings.clientId, tokenCache, true, http, settings.mdeEndpoint);
			return sessionFields(session);
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
 * For the transport: true when the device-code credential's stored access token expires within 5
 * minutes. The transport then passes `credentialsDecrypted` with `session: ''` to
 * httpRequestWithAuthentication, so preAuthentication refreshes and n8n persists the rotated tokens.
 */
export function needsDeviceCodeRefresh(credentials: ICredentialDataDecryptedObject, now = Date.now()): boolean {
	// not signed in: n8n runs preAuthentication anyway while `session` is ''; a stale non-empty one
	// (e.g. an imported credential) would otherwise keep it from ever starting a sign-in
	if (!isSignedIn(credentials.tokenCache)) return typeof credentials.session === 'string' && credentials.session !== '';
	let settings: DeviceCodeSettings;
	try {
		settings = deviceCodeSettings(credentials);
	} catch {
		return false; // bad input: authenticate reports it before any request
	}
	if (settingsChanged(credentials, settingsFingerprint(settings))) return true;
	const expiring = (token: { expiresOn: Date } | undefined) => !token || token.expiresOn.getTime() - now < REFRESH_MARGIN_MS;
	if (expiring(cachedAccessToken(credentials.tokenCache))) return true;
	// with Defender for Endpoint access, its token is renewed with Graph's (one refresh keeps both fresh);
	// after a refused one, tried again once the margin has passed, not on every request
	// (a token of a Defender for Endpoint host no longer configured counts as missing: the refresh gets one)
	const { mdeEndpoint } = settings;
	const mdeToken = cachedAccessToken(credentials.tokenCache, 'mde');
	if (mdeEndpoint === undefined || (!expiring(mdeToken) && isTokenFor(mdeToken!.token, mdeEndpoint, 'mde'))) return false;
	const refused = storedMdeError(credentials);
	return !refused || now - refused.at >= REFRESH_MARGIN_MS;
}

// ---------------------------------------------------------------------------------------------
// Credential tests (cannot persist anything)

export type TokenForTest =
	| { status: 'token'; token: string; graphEndpoint: string; account?: string }
	| { status: 'signInRequired'; message: string };

/**
 * A token for a credential test, through the same code as the node. Device code: the stored sign-in
 * (refreshed in memory when its access token expired), or the sign-in instructions when not signed in
 * (a code is started and remembered for this credential's next run in this process).
 */
export async function getTokenForCredentialTest(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	http: TokenHttp,
): Promise<TokenForTest> {
	if (credentialType !== DEVICE_CODE_CREDENTIAL) {
		const source = appTokenSource(credentialType, credentials);
		const cloud = resolveCloud(credentials, credentialType !== MANAGED_IDENTITY_CREDENTIAL);
		return { status: 'token', token: await appToken(credentialType, source, http), graphEndpoint: cloud.graphEndpoint };
	}
	const settings = deviceCodeSettings(credentials);
	const changed = settingsChanged(credentials, settingsFingerprint(settings));
	const tokenCache = !changed && typeof credentials.tokenCache === 'string' ? credentials.tokenCache : '';
	if (isSignedIn(tokenCache)) {
		const account = signedInAccount(tokenCache)?.username;
		const cached = cachedAccessToken(tokenCache);
		if (cached && cached.expiresOn.getTime() - Date.now() > 60_000) {
			assertTokenFor(cached.token, settings.cloud.graphEndpoint);
			return { status: 'token', token: cached.token, graphEndpoint: settings.cloud.graphEndpoint, account };
		}
		try {
			const session = await refreshSession(settings.cloud, settings.tenantId, settings.clientId, tokenCache, false, http);
			const token = cachedAccessToken(session.tokenCache)?.token ?? '';
			return { status: 'token', token, graphEndpoint: settings.cloud.graphEndpoint, account };
		} catch (error) {
			if (!isSignInLost(error)) throw error;
			return { status: 'signInRequired', message: `${lostSignInReason(error)} Run the node to get a new sign-in code.` };
		}
	}
	let pending = changed ? undefined : parsePendingSignIn(credentials.pendingSignIn);
	if (!pending || new Date(pending.expiresAt).getTime() <= Date.now() + 60_000) {
		pending = await startDeviceCodeSignIn(http, settings.cloud, settings.tenantId, settings.clientId);
		signInsStartedByTests.set(settingsKey(settings), pending);
	}
	return { status: 'signInRequired', message: `Not signed in yet. ${new SignInRequiredError(pending).message}` };
}

// ---------------------------------------------------------------------------------------------

/** Forgets every in-process token and object, as a new n8n process would start (tests only). */
export function resetTokenCachesForTests(): void {
	appTokenEntries.clear();
	signInsStartedByTests.clear();
	forgetN8nHttp();
	clearManagedIdentityTokenStore();
}
