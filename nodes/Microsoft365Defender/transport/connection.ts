/**
 * What a node context talks with: the credential (read once per context object, shared by both APIs, so a
 * device-code refresh n8n merges into it is seen by every later request) and, per API, its base URL.
 */
import { NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import {
	CLIENT_CREDENTIALS_CREDENTIAL,
	DEVICE_CODE_CREDENTIAL,
	MANAGED_IDENTITY_CREDENTIAL,
	rememberN8nHttp,
	resolveCloud,
	tokenHttpFromHttpRequest,
} from '../auth';
import type { MicrosoftApi } from './apis';

export type GraphContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPES: Readonly<Record<string, string>> = {
	deviceCode: DEVICE_CODE_CREDENTIAL,
	clientCredentials: CLIENT_CREDENTIALS_CREDENTIAL,
	managedIdentity: MANAGED_IDENTITY_CREDENTIAL,
};

export interface Session {
	credentialType: string;
	/** replaced (not mutated) when a refresh is due; n8n merges preAuthentication's result into it */
	credentials: ICredentialDataDecryptedObject;
}

/** One API as this context's credential reaches it. */
export interface Connection {
	api: MicrosoftApi;
	session: Session;
	/** e.g. 'https://graph.microsoft.com/v1.0', no trailing slash */
	baseUrl: string;
	origin: string;
	/** the base URL's path, '' or e.g. '/v1.0' */
	basePath: string;
}

const sessions = new WeakMap<object, Promise<Session>>();

function isExecuteContext(ctx: GraphContext): ctx is IExecuteFunctions {
	return typeof (ctx as IExecuteFunctions).getInputData === 'function';
}

/** The credential type name selected by the `authentication` parameter. */
export function getCredentialType(this: GraphContext): string {
	const authentication = isExecuteContext(this)
		? this.getNodeParameter('authentication', 0, 'clientCredentials')
		: this.getNodeParameter('authentication', 'clientCredentials');
	const type = typeof authentication === 'string' ? CREDENTIAL_TYPES[authentication] : undefined;
	if (type === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`"Authentication" has the unknown value "${String(authentication)}"; allowed: ${Object.keys(CREDENTIAL_TYPES).join(', ')}`,
		);
	}
	return type;
}

async function getSession(ctx: GraphContext, itemIndex?: number): Promise<Session> {
	let session = sessions.get(ctx);
	if (session === undefined) {
		session = (async () => {
			const credentialType = getCredentialType.call(ctx);
			const credentials = await ctx.getCredentials(credentialType, itemIndex);
			// the token libraries send through n8n's HTTP stack (SSRF rules, proxy); authenticate gets no helpers
			rememberN8nHttp(tokenHttpFromHttpRequest(ctx.helpers.httpRequest));
			return { credentialType, credentials };
		})();
		sessions.set(ctx, session);
		session.catch(() => sessions.delete(ctx));
	}
	return await session;
}

export async function getConnection(ctx: GraphContext, api: MicrosoftApi, itemIndex?: number): Promise<Connection> {
	const session = await getSession(ctx, itemIndex);
	let baseUrl: string;
	try {
		baseUrl = api.baseUrl(resolveCloud(session.credentials, session.credentialType !== MANAGED_IDENTITY_CREDENTIAL));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex });
	}
	const parsed = new URL(baseUrl);
	return { api, session, baseUrl, origin: parsed.origin, basePath: parsed.pathname.replace(/\/$/, '') };
}

/** A link that is a whole URL rather than a path relative to the base URL. */
export function isAbsoluteUrl(text: string): boolean {
	return /^[a-z][a-z0-9+.-]*:/i.test(text);
}

/**
 * A next-page link is followed only on the API's own origin, under its base path (for Defender for
 * Endpoint, which has no version segment: exactly the listed path), so the access token is not sent elsewhere.
 */
export function assertNextLinkOnApi(
	ctx: GraphContext,
	connection: Connection,
	link: string,
	{ path, itemIndex }: { path?: string; itemIndex?: number } = {},
): void {
	let url: URL | undefined;
	try {
		url = new URL(link);
	} catch {
		url = undefined;
	}
	const onPath =
		url !== undefined &&
		(path === undefined ? url.pathname.startsWith(`${connection.basePath}/`) : url.pathname === `${connection.basePath}${path}`);
	if (url?.origin !== connection.origin || !onPath) {
		const where = url ? `${url.origin}${path === undefined ? '' : url.pathname}` : `"${link.slice(0, 100)}"`;
		throw new NodeOperationError(
			ctx.getNode(),
			`${connection.api.name} returned a next-page link to ${where}, which is not ${path === undefined ? `the configured ${connection.api.hostName} host ${connection.origin}` : `${connection.origin}${connection.basePath}${path}`}; it was not followed, so the access token is not sent elsewhere`,
			{ itemIndex },
		);
	}
}
