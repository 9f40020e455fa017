/**
 * The two requests that cannot take the transport's main path, as named adapters that share its error
 * wording (errors.ts) and its rules (no redirect followed, the token only for its own host):
 *
 *   credentialTestRequest(request, { graphEndpoint, token, path, qs, hints }) -> { ok } | { ok: false, message }
 *       the credential editor's Test button: n8n hands a credential test only the legacy
 *       helpers.request, without the credential's authenticate, so the token is attached here; a deadline
 *       of CREDENTIAL_TEST_TIMEOUT_MS.
 *   runPreAuthentication.call(ctx, credentialType, data, itemIndex) -> void
 *       a device-code sign-in step: n8n persists what a credential's preAuthentication returns only on
 *       the way to a request, so the step is a request n8n starts (session '' makes it run
 *       preAuthentication) and the credential's authenticate ends with the marker DeviceSignInActionDone
 *       instead of sending it. Nothing reaches the network but the sign-in traffic itself.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { findAuthError, resolveCloud } from '../auth';
import { GRAPH_API, graphBaseUrl } from './apis';
import { type ErrorHints, describeFailure, errorChain } from './errors';

type LegacyRequest = (options: object) => Promise<unknown>;

export type CredentialTestAnswer = { ok: true } | { ok: false; message: string };

/** The Test button's Graph read: a person waits for it (n8n's own default would be 5 minutes). */
export const CREDENTIAL_TEST_TIMEOUT_MS = 30_000;

export async function credentialTestRequest(
	request: LegacyRequest,
	{ graphEndpoint, token, path, qs, hints }: { graphEndpoint: string; token: string; path: string; qs?: IDataObject; hints?: ErrorHints },
): Promise<CredentialTestAnswer> {
	const { origin } = new URL(graphEndpoint);
	let response: { statusCode: number; headers?: Record<string, unknown>; body: unknown };
	try {
		response = (await request({
			method: 'GET',
			uri: `${graphBaseUrl(graphEndpoint)}${path}`,
			qs,
			headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...GRAPH_API.headers(path) },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			// like the transport: a redirect is an answer, never followed with the token
			followRedirect: false,
			followAllRedirects: false,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: CREDENTIAL_TEST_TIMEOUT_MS,
		})) as typeof response;
	} catch (error) {
		const code = (error as { code?: string }).code;
		// axios (under n8n's legacy request) reports its timeout as ECONNABORTED, "timeout of … exceeded"
		if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test((error as Error).message ?? '')) {
			return {
				ok: false,
				message: `${GRAPH_API.name} at ${origin} did not answer within ${CREDENTIAL_TEST_TIMEOUT_MS / 1000} s. Check the cloud / Graph URL and the network or proxy of n8n.`,
			};
		}
		return {
			ok: false,
			message: `Could not reach ${GRAPH_API.name} at ${origin}${code ? ` (${code})` : ''}. Check the cloud / Graph URL and the network or proxy of n8n.`,
		};
	}
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return { ok: true };
	if (statusCode >= 300 && statusCode < 400) {
		return {
			ok: false,
			message: `${GRAPH_API.name} answered with a redirect (${statusCode}); it was not followed, so the access token is not sent elsewhere. Check the cloud / Graph URL.`,
		};
	}
	const failure = describeFailure(GRAPH_API, { statusCode, headers: response.headers ?? {}, body: response.body }, { qs, hints });
	return {
		ok: false,
		message: `${GRAPH_API.name} refused the request: ${failure.message}${failure.description ? `. ${failure.description}` : ''}`,
	};
}

/** Marker the credential's authenticate throws once preAuthentication has done the sign-in step. */
const STEP_DONE = 'DeviceSignInActionDone';

export async function runPreAuthentication(
	this: IExecuteFunctions,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
	itemIndex: number,
): Promise<void> {
	const details = this.getNode().credentials?.[credentialType];
	try {
		const { graphEndpoint } = resolveCloud(data);
		// never sent: authenticate ends it with the marker (or with the sign-in error) before any byte goes out
		await this.helpers.httpRequestWithAuthentication.call(
			this,
			credentialType,
			{ method: 'GET', url: `${graphBaseUrl(graphEndpoint)}/me` },
			{ credentialsDecrypted: { id: details?.id ?? '', name: details?.name ?? '', type: credentialType, data } },
		);
	} catch (error) {
		const chain = errorChain(error);
		if (chain.some((e) => e.name === STEP_DONE)) return;
		const authError = findAuthError(error);
		if (authError) throw new NodeOperationError(this.getNode(), authError.message, { itemIndex });
		throw error;
	}
}
