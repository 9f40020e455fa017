import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEVICE_CODE_CREDENTIAL, type SignInAction, withSignInOwner } from '../../auth';
import { runPreAuthentication } from '../../transport';

/**
 * Runs one device-code sign-in step through n8n's own path, so its result is persisted in the
 * credential: `session: ''` and a transient `signInAction` make n8n call the credential's
 * preAuthentication, which does the step (the transport's runPreAuthentication adapter). Returns the
 * credential data after the step.
 */
export async function runSignInStep(
	this: IExecuteFunctions,
	action: SignInAction,
	itemIndex: number,
): Promise<ICredentialDataDecryptedObject> {
	const authentication = this.getNodeParameter('authentication', 0, 'clientCredentials');
	if (authentication !== 'deviceCode') {
		throw new NodeOperationError(this.getNode(), 'Device Code Sign-In needs "Authentication" set to "Device Code": the other credential types sign in by themselves, with nothing to start or complete', {
			itemIndex,
		});
	}
	const stored = await this.getCredentials(DEVICE_CODE_CREDENTIAL, itemIndex);
	// n8n merges the step's result into this very object; signInOwner: a kept sign-in is this credential's only
	const data = withSignInOwner({ ...stored, session: '', signInAction: action }, this.getNode().credentials?.[DEVICE_CODE_CREDENTIAL]?.id ?? undefined);
	await runPreAuthentication.call(this, DEVICE_CODE_CREDENTIAL, data, itemIndex);
	delete data.signInAction;
	delete data.signInOwner;
	return data;
}
