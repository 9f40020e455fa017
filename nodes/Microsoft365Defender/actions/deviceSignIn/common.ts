import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEVICE_CODE_CREDENTIAL, resolveCloud, type SignInAction } from '../../auth';
import { AUTH_ERROR_NAMES, errorChain } from '../../transport';

/**
 * Runs one device-code sign-in step through n8n's own path, so its result is persisted in the
 * credential: httpRequestWithAuthentication with `session: ''` and a transient `signInAction` makes n8n
 * call the credential's preAuthentication (which does the step and returns what to store); the
 * credential's authenticate then stops the request before anything is sent. Returns the credential
 * data after the step.
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
	const details = this.getNode().credentials?.[DEVICE_CODE_CREDENTIAL];
	const stored = await this.getCredentials(DEVICE_CODE_CREDENTIAL, itemIndex);
	const data: ICredentialDataDecryptedObject = { ...stored, session: '', signInAction: action };
	try {
		const { graphEndpoint } = resolveCloud(data);
		await this.helpers.httpRequestWithAuthentication.call(
			this,
			DEVICE_CODE_CREDENTIAL,
			{ method: 'GET', url: `${graphEndpoint}/v1.0/me` },
			{
				credentialsDecrypted: {
					id: details?.id ?? '',
					name: details?.name ?? '',
					type: DEVICE_CODE_CREDENTIAL,
					data,
				},
			},
		);
	} catch (error) {
		const chain = errorChain(error);
		if (!chain.some((e) => e.name === 'DeviceSignInActionDone')) {
			const authError = chain.find((e) => AUTH_ERROR_NAMES.includes(e.name));
			if (authError) throw new NodeOperationError(this.getNode(), authError.message, { itemIndex });
			throw error;
		}
	}
	delete data.signInAction;
	return data;
}
