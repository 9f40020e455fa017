import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEVICE_CODE_CREDENTIAL, signedInAccount } from '../../auth';
import { graphApiRequest } from '../../transport';
import { graphHints } from '../errorHints';

export const description: INodeProperties[] = [];

/** Calls Graph with the stored sign-in (refreshing it when due) and outputs the signed-in account. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	await graphApiRequest.call(this, 'GET', '/security/incidents', {
		qs: { $top: 1 },
		itemIndex,
		hints: graphHints('incident', 'GET'),
	});
	const credentials = await this.getCredentials(DEVICE_CODE_CREDENTIAL, itemIndex);
	const account = signedInAccount(credentials.tokenCache);
	return [
		{
			signedIn: true,
			account: account?.username ?? '',
			name: account?.name ?? '',
			tenantId: account?.tenantId ?? '',
			message: 'Signed in: Microsoft Graph security incidents can be read.',
		},
	];
}
