import type { INodeProperties } from 'n8n-workflow';

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
