import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authenticateRequest } from '../nodes/Microsoft365Defender/auth';
import { readmeSection } from '../nodes/Microsoft365Defender/docs';
import {
	authorityHostProperty,
	cloudProperty,
	graphEndpointProperty,
	mdeEndpointProperty,
	defenderHttpRequestNode,
	n8nHelperHookProperty,
	rememberN8nHelper,
} from '../nodes/Microsoft365Defender/auth/credentialProperties';

/** A self-registered Microsoft Entra app signing in as itself, with a client secret or a certificate. */
export class Microsoft365DefenderClientCredentialsApi implements ICredentialType {
	name = 'microsoft365DefenderClientCredentialsApi';

	displayName = 'Microsoft 365 Defender (Client Credentials) API';

	icon: Icon = { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' };

	documentationUrl = readmeSection('client-credentials-default');

	httpRequestNode = defenderHttpRequestNode('Client Credentials');

	properties: INodeProperties[] = [
		{
			displayName:
				'The app needs the Microsoft Graph application permissions SecurityIncident.ReadWrite.All and ThreatHunting.Read.All, with admin consent.',
			name: 'permissionsNotice',
			type: 'notice',
			default: '',
		},
		cloudProperty,
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '00000000-0000-0000-0000-000000000000',
			description: 'Directory (tenant) ID of your tenant, or its domain such as contoso.onmicrosoft.com',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '00000000-0000-0000-0000-000000000000',
			description: 'Application (client) ID of the app registration',
		},
		{
			displayName: 'Authentication Method',
			name: 'authMethod',
			type: 'options',
			default: 'clientSecret',
			options: [
				{ name: 'Client Secret', value: 'clientSecret' },
				{ name: 'Certificate', value: 'certificate' },
			],
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret\'s value (not its ID) from Certificates & secrets',
			displayOptions: { show: { authMethod: ['clientSecret'] } },
		},
		{
			displayName: 'Certificate (PEM)',
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n...',
			description:
				'PEM text holding the unencrypted private key and the certificate uploaded to the app registration',
			displayOptions: { show: { authMethod: ['certificate'] } },
		},
		authorityHostProperty,
		graphEndpointProperty,
		mdeEndpointProperty,
		n8nHelperHookProperty,
	];

	preAuthentication = rememberN8nHelper;

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(this.name, credentials, requestOptions);
}
