/**
 * The two Microsoft APIs this transport talks to, as configuration of one request/paging/retry/error path:
 * the base URL per cloud, the name said in errors, the headers a path needs.
 */
import { CredentialInputError, type ResolvedCloud } from '../auth';

export interface MicrosoftApi {
	/** said in messages: "Microsoft Graph refused …", "Could not reach Defender for Endpoint …" */
	readonly name: string;
	/** the host's name in "the configured … host" */
	readonly hostName: string;
	/** '<host>[/<version>]', no trailing slash; throws CredentialInputError naming the field */
	baseUrl(cloud: ResolvedCloud): string;
	/** headers every request to `path` carries */
	headers(path: string): Record<string, string>;
	/** said after the permission on a 403: how such a permission is granted */
	readonly permissionNote: string;
}

const EVOLVABLE_ENUM_PATH = /^\/security\/(?:incidents|alerts_v2)(?:[/?]|$)/;

/**
 * Graph returns (and accepts in $filter) evolvable enum members, such as the incident status
 * awaitingAction, only to requests that ask for them; otherwise they read 'unknownFutureValue'.
 */
export function evolvableEnumHeaders(path: string): Record<string, string> {
	return EVOLVABLE_ENUM_PATH.test(path) ? { Prefer: 'include-unknown-enum-members' } : {};
}

export const GRAPH_API: MicrosoftApi = {
	name: 'Microsoft Graph',
	hostName: 'Graph',
	baseUrl: (cloud) => `${cloud.graphEndpoint}/v1.0`,
	headers: evolvableEnumHeaders,
	permissionNote:
		'(an application permission with admin consent for client credentials / managed identity, a delegated one plus a Defender role for device code)',
};

export const MDE_API: MicrosoftApi = {
	name: 'Defender for Endpoint',
	hostName: 'Defender for Endpoint',
	baseUrl: (cloud) => {
		if (cloud.mdeEndpoint === undefined) {
			throw new CredentialInputError(
				'mdeEndpoint',
				'is empty; this custom cloud has no Defender for Endpoint API URL. Enter it in the credential (e.g. https://api.securitycenter.microsoft.com) to use the Device and Indicator resources',
			);
		}
		return cloud.mdeEndpoint;
	},
	headers: () => ({}),
	permissionNote:
		'of the WindowsDefenderATP API (granted with admin consent; a signed-in user also needs a Defender for Endpoint role)',
};
