import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authenticateRequest, devicePreAuthentication } from '../nodes/Microsoft365Defender/auth';
import { readmeSection } from '../nodes/Microsoft365Defender/docs';
import {
	authorityHostProperty,
	cloudProperty,
	graphEndpointProperty,
	mdeEndpointProperty,
	defenderHttpRequestNode,
} from '../nodes/Microsoft365Defender/auth/credentialProperties';

/**
 * A person signs in once in a browser with a code; n8n then works on their behalf. The sign-in
 * (msal's token cache, refresh token included) is kept in the hidden fields of this credential.
 */
export class Microsoft365DefenderDeviceCodeApi implements ICredentialType {
	name = 'microsoft365DefenderDeviceCodeApi';

	displayName = 'Microsoft 365 Defender (Device Code) API';

	icon: Icon = { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' };

	documentationUrl = readmeSection('device-code-a-person-signs-in');

	httpRequestNode = defenderHttpRequestNode('Device Code');

	properties: INodeProperties[] = [
		{
			displayName:
				'To sign in: Save, open "More details" in the red banner for the code, enter it at the Microsoft sign-in page, then press Retry until the connection test succeeds; the first run keeps the sign-in. (A run that is not signed in shows a code too.) The account needs the SecurityIncident.ReadWrite.All and ThreatHunting.Read.All permissions.',
			name: 'signInNotice',
			type: 'notice',
			default: '',
		},
		cloudProperty,
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: 'organizations',
			required: true,
			description:
				'Directory (tenant) ID or domain of your organization, or "organizations" for the tenant of the account that signs in',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
			required: true,
			description:
				'Application (client) ID of a public client app. The default is Microsoft Graph Command Line Tools; your own app registration with "Allow public client flows" works too.',
		},
		{
			displayName: 'Defender for Endpoint Access',
			name: 'mdeAccess',
			type: 'boolean',
			default: false,
			description:
				'Whether to also get Defender for Endpoint tokens (Device and Indicator resources) from the same sign-in. Needs your own public-client app registration with the Defender for Endpoint delegated permissions (Machine.Read, Machine.Isolate, Machine.Scan, Machine.CollectForensics, Machine.RestrictExecution, Machine.StopAndQuarantine, Ti.ReadWrite) and admin consent.',
		},
		authorityHostProperty,
		graphEndpointProperty,
		mdeEndpointProperty,
		// Written by preAuthentication and persisted by n8n; declared so n8n keeps them.
		{ displayName: 'Token Cache', name: 'tokenCache', type: 'hidden', default: '', typeOptions: { password: true } },
		{ displayName: 'Pending Sign-In', name: 'pendingSignIn', type: 'hidden', default: '', typeOptions: { password: true } },
		{ displayName: 'Signed In With', name: 'signedInWith', type: 'hidden', default: '' },
		// why the last refresh got no Defender for Endpoint token (JSON: message, time), '' when it did
		{ displayName: 'Defender for Endpoint Token Error', name: 'mdeTokenError', type: 'hidden', default: '' },
		{ displayName: 'Session', name: 'session', type: 'hidden', default: '', typeOptions: { expirable: true } },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		return await devicePreAuthentication.call(this, credentials);
	}

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(this.name, credentials, requestOptions);
}
