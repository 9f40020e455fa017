import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CredentialInputError } from './errors';
import { shown } from './validate';

/**
 * Sign-in, Graph and Defender for Endpoint hosts per `cloud` value (INTERFACE.md). US GCC signs in and
 * uses Graph like the global cloud; only its Defender for Endpoint host differs.
 */
export const CLOUDS = {
	global: {
		authorityHost: 'https://login.microsoftonline.com',
		graphEndpoint: 'https://graph.microsoft.com',
		mdeEndpoint: 'https://api.securitycenter.microsoft.com',
	},
	usGcc: {
		authorityHost: 'https://login.microsoftonline.com',
		graphEndpoint: 'https://graph.microsoft.com',
		mdeEndpoint: 'https://api-gcc.securitycenter.microsoft.us',
	},
	usGov: {
		authorityHost: 'https://login.microsoftonline.us',
		graphEndpoint: 'https://graph.microsoft.us',
		mdeEndpoint: 'https://api-gov.securitycenter.microsoft.us',
	},
	usGovDoD: {
		authorityHost: 'https://login.microsoftonline.us',
		graphEndpoint: 'https://dod-graph.microsoft.us',
		mdeEndpoint: 'https://api-gov.securitycenter.microsoft.us',
	},
} as const;

export type CloudName = keyof typeof CLOUDS | 'custom';

export const CLOUD_NAMES: CloudName[] = ['global', 'usGcc', 'usGov', 'usGovDoD', 'custom'];

/** Delegated permissions the device-code sign-in asks for (besides offline_access). */
export const DELEGATED_PERMISSIONS = ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All'];

/** The Defender for Endpoint delegated permissions the public client needs (INTERFACE.md). */
export const MDE_DELEGATED_PERMISSIONS = [
	'Machine.Read',
	'Machine.Isolate',
	'Machine.Scan',
	'Machine.CollectForensics',
	'Machine.RestrictExecution',
	'Machine.StopAndQuarantine',
	'Ti.ReadWrite',
];

export const MDE_PERMISSIONS_HINT = `The Client ID must be your own public-client app registration with the Defender for Endpoint delegated permissions ${MDE_DELEGATED_PERMISSIONS.join(', ')} (WindowsDefenderATP API) and admin consent.`;

export interface ResolvedCloud {
	cloud: CloudName;
	/** e.g. https://login.microsoftonline.com (no trailing slash) */
	authorityHost: string;
	/** e.g. https://graph.microsoft.com (no trailing slash) */
	graphEndpoint: string;
	/**
	 * e.g. https://api.securitycenter.microsoft.com (no trailing slash), also the Defender for Endpoint
	 * token audience. Undefined only for a `custom` cloud whose `mdeEndpoint` is empty (credentials made
	 * before the field existed keep working for Graph).
	 */
	mdeEndpoint: string | undefined;
	/** app-only scope: `<graph>/.default` */
	appScope: string;
	/** device-code scopes: the delegated permissions on the Graph host, and offline_access */
	delegatedScopes: string[];
	/** managed-identity resource: the Graph host */
	managedIdentityResource: string;
	/** true for hosts msal/@azure/identity do not know (custom cloud): skip instance discovery */
	disableInstanceDiscovery: boolean;
}

/** Validates an https URL field and returns it without a trailing slash. */
export function parseHttpsUrl(field: string, value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new CredentialInputError(field, 'is empty; enter an https URL such as https://login.example.com');
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new CredentialInputError(field, `${shown(text)} is not a valid URL; enter an https URL such as https://login.example.com`);
	}
	if (url.protocol !== 'https:') {
		throw new CredentialInputError(field, `must be an https URL (got "${url.protocol.replace(':', '')}")`);
	}
	if (url.search || url.hash || url.username || url.password) {
		throw new CredentialInputError(field, 'must be a plain https URL without query, fragment or user information');
	}
	return url.toString().replace(/\/+$/, '');
}

/**
 * Maps a credential's `cloud` (and, for `custom`, its URLs) to hosts and scopes. Throws
 * CredentialInputError naming the field for an unknown cloud or a custom URL that is not https.
 * Managed-identity credentials have no `authorityHost`: pass `requireAuthorityHost = false`.
 */
export function resolveCloud(
	credentials: ICredentialDataDecryptedObject,
	requireAuthorityHost = true,
): ResolvedCloud {
	const cloud = (credentials.cloud === undefined || credentials.cloud === '' ? 'global' : credentials.cloud) as CloudName;
	let authorityHost: string;
	let graphEndpoint: string;
	let mdeEndpoint: string | undefined;
	if (cloud === 'custom') {
		authorityHost = requireAuthorityHost ? parseHttpsUrl('authorityHost', credentials.authorityHost) : '';
		graphEndpoint = parseHttpsUrl('graphEndpoint', credentials.graphEndpoint);
		const mde = typeof credentials.mdeEndpoint === 'string' ? credentials.mdeEndpoint.trim() : '';
		mdeEndpoint = mde === '' ? undefined : parseHttpsUrl('mdeEndpoint', mde);
	} else if (typeof cloud === 'string' && Object.prototype.hasOwnProperty.call(CLOUDS, cloud)) {
		({ authorityHost, graphEndpoint, mdeEndpoint } = CLOUDS[cloud]);
	} else {
		throw new CredentialInputError(
			'cloud',
			`unknown cloud ${shown(String(credentials.cloud))}; allowed: ${CLOUD_NAMES.join(', ')}`,
		);
	}
	return {
		cloud,
		authorityHost,
		graphEndpoint,
		mdeEndpoint,
		appScope: `${graphEndpoint}/.default`,
		delegatedScopes: [...DELEGATED_PERMISSIONS.map((p) => `${graphEndpoint}/${p}`), 'offline_access'],
		managedIdentityResource: graphEndpoint,
		disableInstanceDiscovery: cloud === 'custom',
	};
}
