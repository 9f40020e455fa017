import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import {
	DEVICE_CODE_CREDENTIAL,
	getTokenForCredentialTest,
	redactSecrets,
	tokenHttpFromLegacyRequest,
	withSignInOwner,
} from '../auth';
import { credentialTestRequest } from '../transport';

/** What the test reads (one incident) needs, said on a 403: an app's permission or a signed-in user's. */
const PERMISSION = {
	app: 'SecurityIncident.Read.All (SecurityIncident.ReadWrite.All to update; ThreatHunting.Read.All for hunting queries)',
	user: 'SecurityIncident.Read.All or SecurityIncident.ReadWrite.All (delegated, consented) and a Defender role that may read incidents, e.g. Security Reader',
};

/**
 * The credential editor's "Test" button for all three types (the node's `testedBy`): gets a token through
 * the same token module as the node, reads one incident from Microsoft Graph through the transport's
 * credential-test adapter (its error wording, no redirect followed), and reports Entra's or Graph's own
 * error text. A device-code credential that is not signed in gets the sign-in instructions.
 */
export async function microsoft365DefenderCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	// device code: the code or sign-in kept in process for this credential only (none shared by id-less tests)
	const data = withSignInOwner(credential.data ?? {}, credential.type === DEVICE_CODE_CREDENTIAL ? credential.id : undefined);
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

	const answer = await credentialTestRequest(this.helpers.request, {
		graphEndpoint,
		token,
		path: '/security/incidents',
		qs: { $top: 1 },
		hints: { permission: PERMISSION[credential.type === DEVICE_CODE_CREDENTIAL ? 'user' : 'app'] },
	});
	if (answer.ok) {
		return { status: 'OK', message: account ? `Connection successful, signed in as ${account}` : 'Connection successful' };
	}
	return { status: 'Error', message: redactSecrets(answer.message, [token]) };
}
