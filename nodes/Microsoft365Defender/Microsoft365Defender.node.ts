import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { authenticationProperty, credentials } from './actions/descriptions';
import { TOOL_DESCRIPTION } from './actions/output';
import { resourceDescriptions, resourceProperty } from './actions/resources';
import { router } from './actions/router';
import { credentialTest, listSearch } from './methods';
import { applyTransportOptions, type TransportOptions } from './transport';

export class Microsoft365Defender implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Defender',
		name: 'microsoft365Defender',
		icon: { light: 'file:microsoft365Defender.svg', dark: 'file:microsoft365Defender.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Triage Microsoft Defender XDR incidents and alerts and run advanced hunting (KQL) queries through Microsoft Graph',
		defaults: { name: 'Microsoft 365 Defender' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		credentials,
		properties: [authenticationProperty, resourceProperty, ...resourceDescriptions],
	};

	methods = { listSearch, credentialTest };

	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

	/** n8n constructs it without options; tests pass their own retry policy. */
	constructor(options?: TransportOptions) {
		this.execute = async function (this: IExecuteFunctions) {
			applyTransportOptions(this, options);
			return await router.call(this);
		};
	}
}
