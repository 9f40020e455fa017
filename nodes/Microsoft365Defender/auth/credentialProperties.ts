import type { INodeProperties } from 'n8n-workflow';

/** Fields every Microsoft 365 Defender credential type shares: the cloud and, for `custom`, its URLs. */
export const cloudProperty: INodeProperties = {
	displayName: 'Cloud',
	name: 'cloud',
	type: 'options',
	default: 'global',
	options: [
		{
			name: 'Global (Commercial, Also US GCC)',
			value: 'global',
			description: 'Sign-in at login.microsoftonline.com, Graph at graph.microsoft.com',
		},
		{
			name: 'US Government GCC High',
			value: 'usGov',
			description: 'Sign-in at login.microsoftonline.us, Graph at graph.microsoft.us',
		},
		{
			name: 'US Government DoD',
			value: 'usGovDoD',
			description: 'Sign-in at login.microsoftonline.us, Graph at dod-graph.microsoft.us',
		},
		{
			name: 'Custom Endpoints',
			value: 'custom',
			description: 'Enter the sign-in and Graph URLs yourself',
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
