import type { ICredentialType, IDataObject, IHttpRequestHelper, INodeProperties } from 'n8n-workflow';

import { rememberN8nHttp, tokenHttpFromHttpRequest } from './httpClient';

/** Fields every Microsoft 365 Defender credential type shares: the cloud and, for `custom`, its URLs. */
export const cloudProperty: INodeProperties = {
	displayName: 'Cloud',
	name: 'cloud',
	type: 'options',
	default: 'global',
	options: [
		{
			name: 'Custom Endpoints',
			value: 'custom',
			description: 'Enter the sign-in, Graph and Defender for Endpoint URLs yourself',
		},
		{
			name: 'Global (Commercial)',
			value: 'global',
			description: 'Sign-in at login.microsoftonline.com, Graph at graph.microsoft.com, Defender for Endpoint at api.securitycenter.microsoft.com',
		},
		{
			name: 'US Government DoD',
			value: 'usGovDoD',
			description: 'Sign-in at login.microsoftonline.us, Graph at dod-graph.microsoft.us, Defender for Endpoint at api-gov.securitycenter.microsoft.us',
		},
		{
			name: 'US Government GCC',
			value: 'usGcc',
			description: 'Sign-in and Graph as Global; Defender for Endpoint at api-gcc.securitycenter.microsoft.us',
		},
		{
			name: 'US Government GCC High',
			value: 'usGov',
			description: 'Sign-in at login.microsoftonline.us, Graph at graph.microsoft.us, Defender for Endpoint at api-gov.securitycenter.microsoft.us',
		},
	],
};

export const authorityHostProperty: INodeProperties = {
	displayName: 'Sign-In (Authority) URL',
	name: 'authorityHost',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://login.microsoftonline.com',
	description: 'The Microsoft Entra sign-in host of your cloud, https only',
	displayOptions: { show: { cloud: ['custom'] } },
};

export const graphEndpointProperty: INodeProperties = {
	displayName: 'Microsoft Graph URL',
	name: 'graphEndpoint',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://graph.microsoft.com',
	description: 'The Microsoft Graph host of your cloud, https only',
	displayOptions: { show: { cloud: ['custom'] } },
};

export const mdeEndpointProperty: INodeProperties = {
	displayName: 'Defender for Endpoint API URL',
	name: 'mdeEndpoint',
	type: 'string',
	default: '',
	placeholder: 'https://api.securitycenter.microsoft.com',
	description:
		'The Defender for Endpoint API host of your cloud (also its token audience), https only. Needed only for the Device and Indicator resources.',
	displayOptions: { show: { cloud: ['custom'] } },
};

/**
 * What makes a credential type a "Predefined Credential Type" entry of n8n's HTTP Request node and an HTTP
 * Request action of its own in the node picker (where the node's Custom API Call points users). A placeholder,
 * not `apiBaseUrl`: the Graph host depends on the credential's cloud. `authenticate` picks the token by host.
 */
export function defenderHttpRequestNode(signIn: string): NonNullable<ICredentialType['httpRequestNode']> {
	return {
		name: `Microsoft 365 Defender (${signIn})`,
		docsUrl: 'https://learn.microsoft.com/en-us/graph/api/resources/security-api-overview?view=graph-rest-1.0',
		apiBaseUrlPlaceholder: 'https://graph.microsoft.com/v1.0/security/',
	};
}

/**
 * App-only credential types (client credentials, managed identity): n8n calls `preAuthentication`, with its
 * request helper, before each request only when the type has a hidden `expirable` field that is empty. This
 * one stays '' and `rememberN8nHelper` returns nothing to store, so the only effect is that the token
 * libraries get n8n's helper also where our node never ran in the process (n8n's HTTP Request node).
 */
export const n8nHelperHookProperty: INodeProperties = {
	displayName: 'Request Helper Hook',
	name: 'n8nHelperHook',
	type: 'hidden',
	default: '',
	typeOptions: { expirable: true },
};

export async function rememberN8nHelper(this: IHttpRequestHelper): Promise<IDataObject> {
	rememberN8nHttp(tokenHttpFromHttpRequest(this.helpers.httpRequest));
	return {};
}
