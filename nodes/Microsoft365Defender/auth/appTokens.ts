import { createHmac, randomBytes } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { withDeadline } from '../helpers/deadline';
import { type AppTokenSource, clientCredentialsTokenSource } from './clientCredentials';
import { TokenRequestError, toTokenRequestError } from './errors';
import { type TokenHttp, azureHttpClient, rememberN8nHttp, tokenRequestPolicy, tokenVerdictSince } from './httpClient';
import { clearManagedIdentityTokenStore, managedIdentityTokenSource, toManagedIdentityError } from './managedIdentity';
import { explainMetadataFailure } from './metadataExplanation';
import { isTokenFor } from './tokenAudience';
import { AUDIENCE_NAMES, type Audience, CLIENT_CREDENTIALS_CREDENTIAL, MANAGED_IDENTITY_CREDENTIAL, REFRESH_MARGIN_MS } from './types';

/**
 * The one owner of app tokens (client credentials, managed identity): one @azure/identity object per
 * credential and audience, keyed on a keyed hash of the raw credential fields, so a request costs one hash
 * and nothing else; validation (the certificate's PEM parsing included) runs only on a miss.
 */

/** The raw fields that change an app token (the secret and certificate included: only hashed, never a key in clear). */
const TOKEN_FIELDS = ['cloud', 'authorityHost', 'graphEndpoint', 'mdeEndpoint', 'tenantId', 'clientId', 'authMethod', 'clientSecret', 'certificate'];

const MAX_ENTRIES = 200;

export interface AppTokenOptions {
	/** retries of the managed-identity endpoint; @azure/identity's default when undefined */
	managedIdentityMaxRetries?: number;
}

interface Entry {
	source: AppTokenSource;
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

class AppTokens {
	private readonly entries = new Map<string, Entry>();

	private readonly salt = randomBytes(32);

	constructor(private options: AppTokenOptions = {}) {}

	/** The cache key of a credential's token for an audience: one HMAC of the raw fields. */
	key(credentialType: string, credentials: ICredentialDataDecryptedObject, audience: Audience): string {
		const parts = [credentialType, audience, ...TOKEN_FIELDS.map((field) => credentials[field] ?? null)];
		return createHmac('sha256', this.salt).update(JSON.stringify(parts)).digest('hex');
	}

	private entry(key: string, credentialType: string, credentials: ICredentialDataDecryptedObject, audience: Audience): Entry {
		let entry = this.entries.get(key);
		if (!entry) {
			const source = this.source(credentialType, credentials, audience);
			// edited credentials leave their old entry behind: keep the map bounded (oldest first out)
			if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
			entry = { source, credential: source.create(azureHttpClient(), this.options) };
			this.entries.set(key, entry);
		}
		return entry;
	}

	private source(credentialType: string, credentials: ICredentialDataDecryptedObject, audience: Audience): AppTokenSource {
		if (credentialType === CLIENT_CREDENTIALS_CREDENTIAL) return clientCredentialsTokenSource(credentials, audience);
		if (credentialType === MANAGED_IDENTITY_CREDENTIAL) return managedIdentityTokenSource(credentials, audience);
		throw new Error(`Unknown Microsoft 365 Defender credential type "${credentialType}"`);
	}

	/**
	 * A token for the credential and audience: the last one while valid, else one request shared by
	 * concurrent callers. `refused`: the token the API just refused (n8n's retry after a 401), replaced.
	 */
	async token(
		credentialType: string,
		credentials: ICredentialDataDecryptedObject,
		audience: Audience,
		options: { http?: TokenHttp; refused?: string } = {},
	): Promise<string> {
		const key = this.key(credentialType, credentials, audience);
		let current = this.entry(key, credentialType, credentials, audience);
		if (options.refused !== undefined && current.token?.token === options.refused) {
			this.drop(key, current);
			current = this.entry(key, credentialType, credentials, audience);
		}
		// msal keeps the managed-identity network client of the first credential object process-wide, so
		// the helper is looked up at send time, not bound to an object
		if (options.http) rememberN8nHttp(options.http);
		if (stillGood(current.token)) return current.token.token;
		const { source } = current;
		if (!current.inFlight) {
			const entry = current;
			// one token within totalMs, however the library retries
			const inFlight = withDeadline(
				tokenRequestPolicy.totalMs,
				async (abortSignal) => (await entry.credential.getToken(source.scope, { abortSignal })) as AccessToken,
				() =>
					new TokenRequestError(
						`The token request timed out after ${Math.round(tokenRequestPolicy.totalMs / 100) / 10} s. Check the cloud / sign-in URL and the network or proxy of n8n.`,
						'timeout',
					),
			).finally(() => {
				// also on timeout: the next caller starts afresh instead of joining a hung request
				if (entry.inFlight === inFlight) entry.inFlight = undefined;
			});
			entry.inFlight = inFlight;
		}
		const started = Date.now();
		try {
			const token = await current.inFlight!;
			if (!isTokenFor(token.token, source.endpoint, source.audience)) {
				throw new TokenRequestError(`The token received is not for ${AUDIENCE_NAMES[source.audience]} at ${source.endpoint}; it is not sent there.`, 'wrong_audience');
			}
			current.token = token;
			return token.token;
		} catch (caught) {
			if (this.entries.get(key) === current) this.entries.delete(key);
			throw await this.explain(credentialType, source, tokenVerdictSince(started) ?? caught);
		}
	}

	private async explain(credentialType: string, source: AppTokenSource, error: unknown): Promise<Error> {
		if (error instanceof TokenRequestError && error.errorCode === 'wrong_audience') return error;
		if (credentialType === MANAGED_IDENTITY_CREDENTIAL) {
			const verdict = toTokenRequestError(error, 'The token request');
			return verdict.errorCode === 'ssrf_blocked' || verdict.errorCode === 'timeout' ? verdict : toManagedIdentityError(error);
		}
		if (source.metadataUrl && /endpoints_resolution_error/.test(String((error as Error)?.message))) {
			const explanation = await explainMetadataFailure(source.metadataUrl);
			if (explanation) return toTokenRequestError({ errorCode: 'invalid_tenant', errorMessage: explanation }, 'The token request');
		}
		return toTokenRequestError(error, 'The token request', source.secrets);
	}

	private drop(key: string, entry: Entry): void {
		this.entries.delete(key);
		// msal keeps managed-identity tokens in a store of its own, shared process-wide
		if (entry.source.kind === 'managedIdentity') clearManagedIdentityTokenStore();
	}

	/** Forgets the credential's tokens of both audiences (the API refused one when n8n did not retry itself). */
	forget(credentialType: string, credentials: ICredentialDataDecryptedObject): void {
		for (const audience of ['graph', 'mde'] as const) {
			const key = this.key(credentialType, credentials, audience);
			const entry = this.entries.get(key);
			if (entry) this.drop(key, entry);
		}
		if (credentialType === MANAGED_IDENTITY_CREDENTIAL) clearManagedIdentityTokenStore();
	}

	/** A new process: no token, no library object; `options` replace the current ones. */
	reset(options: AppTokenOptions = {}): void {
		this.entries.clear();
		this.options = options;
		clearManagedIdentityTokenStore();
	}
}

export const appTokens = new AppTokens();
