import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	DEVICE_CODE_CREDENTIAL,
	getTokenForCredentialTest,
	redactSecrets,
	tokenHttpFromLegacyRequest,
} from '../auth';
import { evolvableEnumHeaders } from '../transport';

const PERMISSION_HINT: Record<string, string> = {
	app: 'Grant the app (or managed identity) the Microsoft Graph application permissions SecurityIncident.ReadWrite.All and ThreatHunting.Read.All, and have an administrator grant consent.',
	user: 'The signed-in account needs the delegated permissions SecurityIncident.ReadWrite.All and ThreatHunting.Read.All (consented) and a Defender role that may read incidents, e.g. Security Reader.',
};

function graphErrorText(body: unknown): string {
	const parsed = typeof body === 'string' ? (() => { try { return JSON.parse(body) as IDataObject; } catch { return {}; } })() : ((body ?? {}) as IDataObject);
	const error = (parsed.error ?? {}) as IDataObject;
	const code = typeof error.code === 'string' ? error.code : '';
	const message = typeof error.message === 'string' ? error.message : '';
	return [code, message].filter(Boolean).join(': ');
}

/**
 * The credential editor's "Test" button for all three types (the node's `testedBy`): gets a token through
 * the same token module as the node, reads one incident from Microsoft Graph, and reports Entra's or
 * Graph's own error text. A device-code credential that is not signed in gets the sign-in instructions.
 */
export async function microsoft365DefenderCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let token: string;
	let graphEndpoint: string;
	let account: string | undefined;
	try {
		const result = await getTokenForCredentialTest(credential.type, data, tokenHttpFromLegacyRequest(this.helpers.request));
		if (result.status === 'signInRequired') return { status: 'Error', message: result.message };
		({ token, graphEndpoint, account } = result);
	} catch (error) {
		return { status: 'Error', message: redactSecrets((error as Error).message) };
	}

	let response: { statusCode: number; body: unknown };
	try {
		response = (await this.helpers.request({
			method: 'GET',
			uri: `${graphEndpoint}/v1.0/security/incidents`,
			qs: { $top: 1 },
			headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...evolvableEnumHeaders('/security/incidents') },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			// like the transport: a redirect is an answer, never followed with the token
			followRedirect: false,
			followAllRedirects: false,
			sendCredentialsOnCrossOriginRedirect: false,
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		const code = (error as { code?: string }).code;
		return { status: 'Error', message: `Microsoft Graph could not be reached${code ? ` (${code})` : ''}. Check the cloud / Graph URL and the network or proxy of n8n.` };
	}

	if (response.statusCode >= 300 && response.statusCode < 400) {
		return {
			status: 'Error',
			message: `Microsoft Graph answered with a redirect (${response.statusCode}); it was not followed, so the access token is not sent elsewhere. Check the cloud / Graph URL.`,
		};
	}
	if (response.statusCode >= 200 && response.statusCode < 300) {
		return { status: 'OK', message: account ? `Connection successful, signed in as ${account}` : 'Connection successful' };
	}
	const text = graphErrorText(response.body) || `HTTP ${response.statusCode}`;
	const hint = response.statusCode === 403 ? ` ${PERMISSION_HINT[credential.type === DEVICE_CODE_CREDENTIAL ? 'user' : 'app']}` : '';
	return {
		status: 'Error',
		message: redactSecrets(`Microsoft Graph refused the request (${response.statusCode}): ${text}${hint}`, [token]),
	};
}
