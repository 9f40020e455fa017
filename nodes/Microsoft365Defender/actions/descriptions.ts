/**
 * Descriptions both nodes (action and trigger) and several operations share, defined once (like Outlook v2's
 * descriptions.ts): the Authentication option and the credentials it selects, Return All / Limit, Include
 * Alerts, and the incident and alert filters.
 */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_TYPES } from '../transport';

export { alertSeverityStatusAndSourceFilters } from './alert/common';
export { severityAndStatusFilters } from './incident/common';

/** The credential test of all three types (methods/credentialTest.ts), run from whichever node opens it. */
export const CREDENTIAL_TEST = 'microsoft365DefenderCredentialTest';

/** The three credential types, each shown when Authentication selects it. */
export const credentials: INodeCredentialDescription[] = Object.entries(CREDENTIAL_TYPES).map(
	([authentication, name]) => ({
		name,
		required: true,
		displayOptions: { show: { authentication: [authentication] } },
		testedBy: CREDENTIAL_TEST,
	}),
);

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Client Credentials (App-Only)',
			value: 'clientCredentials',
			description: 'An Entra app registration with a client secret or a certificate',
		},
		{
			name: 'Device Code (User Sign-In)',
			value: 'deviceCode',
			description:
				'Sign in as a user once by entering a code at microsoft.com/devicelogin; the refresh token keeps the node signed in',
		},
		{
			name: 'Managed Identity',
			value: 'managedIdentity',
			description: 'The Azure managed identity of the machine n8n runs on',
		},
	],
	default: 'clientCredentials',
};

export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Get / List Incidents' option, and the trigger's for its incident events. */
export const includeAlertsOption: INodeProperties = {
	displayName: 'Include Alerts',
	name: 'includeAlerts',
	type: 'boolean',
	default: false,
	description:
		"Whether to include each incident's alerts, with their evidence (adds $expand=alerts). Off by default: it makes responses much larger and slower, and Microsoft Graph answers it with HTTP 500 errors on large tenants.",
};

export const includeCommentsOption: INodeProperties = {
	displayName: 'Include Comments',
	name: 'includeComments',
	type: 'boolean',
	default: true,
	description:
		"Whether to keep each incident's comments (the analysts' thread, often the longest part of an incident). Turn off for smaller items, e.g. for digests or AI agents.",
};

type Collection = Pick<INodeProperties, 'displayOptions'> & { options: INodeProperties[] };

function collection(displayName: string, name: string, placeholder: string, { options, displayOptions }: Collection): INodeProperties {
	const property: INodeProperties = { displayName, name, type: 'collection', placeholder, default: {}, options };
	if (displayOptions) property.displayOptions = displayOptions;
	return property;
}

/** The "Filters" collection of a list or the trigger. */
export const filtersCollection = (c: Collection): INodeProperties => collection('Filters', 'filters', 'Add Filter', c);

/** The "Options" collection of an operation or the trigger. */
export const optionsCollection = (c: Collection): INodeProperties => collection('Options', 'options', 'Add Option', c);

/** The "Update Fields" collection of an update. */
export const updateFieldsCollection = (c: Collection): INodeProperties => collection('Update Fields', 'updateFields', 'Add Field', c);

/** The raw OData $filter of a list, naming what Graph lets it filter on. */
export function odataFilterField(filterable: string[]): INodeProperties {
	return {
		displayName: 'OData Filter',
		name: 'odataFilter',
		type: 'string',
		default: '',
		placeholder: "e.g. classification eq 'truePositive'",
		description: `A raw OData $filter expression, combined with the other filters using "and". Filterable properties: ${filterable.join(', ')}.`,
	};
}

/** Incident options, as Get and List Incidents offer them. */
export const incidentOptions: INodeProperties = optionsCollection({ options: [includeAlertsOption, includeCommentsOption] });
