import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SignInRequiredError, isSignedIn, parsePendingSignIn, signedInAccount } from '../../auth';
import { runSignInStep } from './common';

export const description: INodeProperties[] = [];

/** Asks Microsoft once whether the code was entered; outputs the signed-in account, or fails with the waiting message. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const data = await runSignInStep.call(this, 'complete', itemIndex);
	const pending = parsePendingSignIn(data.pendingSignIn);
	if (pending || !isSignedIn(data.tokenCache)) {
		const waiting = new SignInRequiredError(pending, pending?.reason ?? 'The sign-in is not complete yet.');
		throw new NodeOperationError(this.getNode(), waiting.message, { itemIndex });
	}
	const account = signedInAccount(data.tokenCache);
	return [{ signedIn: true, account: account?.username ?? '', name: account?.name ?? '', tenantId: account?.tenantId ?? '' }];
}
