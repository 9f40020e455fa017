import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { signedInAccount } from '../../auth';
import { runSignInStep } from './common';

export const description: INodeProperties[] = [];

/** Forgets the stored sign-in (tokens and any pending code); the next run starts a new sign-in. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const before = await this.getCredentials('microsoft365DefenderDeviceCodeApi', itemIndex);
	const account = signedInAccount(before.tokenCache);
	await runSignInStep.call(this, 'signOut', itemIndex);
	return [
		{
			signedOut: true,
			account: account?.username ?? '',
			message: 'Signed out: the stored tokens were removed. The next run starts a new sign-in.',
		},
	];
}
