import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parsePendingSignIn, signInInstructions } from '../../auth';
import { runSignInStep } from './common';

export const description: INodeProperties[] = [];

/** Starts a new device-code sign-in and outputs the URL and code to enter. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const data = await runSignInStep.call(this, 'start', itemIndex);
	const pending = parsePendingSignIn(data.pendingSignIn);
	if (!pending) {
		throw new NodeOperationError(this.getNode(), 'Microsoft Entra ID did not start a sign-in', { itemIndex });
	}
	return [
		{
			verificationUri: pending.verificationUri,
			userCode: pending.userCode,
			expiresAt: pending.expiresAt,
			message: signInInstructions(pending),
		},
	];
}
