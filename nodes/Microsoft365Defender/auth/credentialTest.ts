import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { appTokens } from './appTokens';
import { resolveCloud } from './clouds';
import { deviceCodeTokenForTest } from './deviceCode/credentialTest';
import type { TokenHttp } from './httpClient';
import { DEVICE_CODE_CREDENTIAL, MANAGED_IDENTITY_CREDENTIAL, type TokenForTest } from './types';

/**
 * A Graph token for n8n's credential test, through the same code as the node (`http`: the test's own
 * request helper). Device code: see deviceCodeTokenForTest (the sign-in can be completed from the dialog).
 */
export async function getTokenForCredentialTest(
	credentialType: string,
	credentials: ICredentialDataDecryptedObject,
	http: TokenHttp,
): Promise<TokenForTest> {
	if (credentialType === DEVICE_CODE_CREDENTIAL) return await deviceCodeTokenForTest(credentials, http);
	const cloud = resolveCloud(credentials, credentialType !== MANAGED_IDENTITY_CREDENTIAL);
	return { status: 'token', token: await appTokens.token(credentialType, credentials, 'graph', { http }), graphEndpoint: cloud.graphEndpoint };
}
