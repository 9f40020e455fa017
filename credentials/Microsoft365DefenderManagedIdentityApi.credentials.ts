import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authenticateRequest } from '../nodes/Microsoft365Defender/auth';
import { cloudProperty, graphEndpointProperty, mdeEndpointProperty, defenderHttpRequestNode, n8nHelperHookProperty, rememberN8nHelper } from '../nodes/Microsoft365Defender/auth/credentialProperties';
import { readmeSection } from '../nodes/Microsoft365Defender/docs';

/** n8n running on Azure (VM, App Service, Container Apps, AKS, ...) signs in as its managed identity. */
export class Microsoft365DefenderManagedIdentityApi implements ICredentialType {
	name = 'microsoft365DefenderManagedIdentityApi';

	displayName = 'Microsoft 365 Defender (Managed Identity) API';

	icon: Icon = { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' };

	documentationUrl = readmeSection('managed-identity');

	httpRequestNode = defenderHttpRequestNode('Managed Identity');

	properties: INodeProperties[] = [
		{
			displayName:
				'Works only when n8n runs on Azure with a managed identity. Grant the identity the Microsoft Graph application permissions SecurityIncident.ReadWrite.All and ThreatHunting.Read.All.',
			name: 'managedIdentityNotice',
			type: 'notice',
			default: '',
		},
		cloudProperty,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			placeholder: 'empty = system-assigned identity',
			description:
				'Client ID of a user-assigned managed identity. Leave empty to use the system-assigned identity.',
		},
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
