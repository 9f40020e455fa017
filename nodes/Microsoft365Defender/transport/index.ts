/**
 * The only module that talks to Microsoft Graph and the Defender for Endpoint API (action node, trigger,
 * listSearch, credential test, sign-in steps): one request/paging/retry/error path, configured per API
 * (apis.ts: base URL, name, headers). The token is attached by the credential's authenticate, by host.
 *
 *   graphApiRequest.call(ctx, method, path, { qs?, body?, itemIndex?, idempotent?, hints? }) -> IDataObject
 *       path is relative to <graph host>/v1.0 ('/security/incidents'), or a full @odata.nextLink
 *       (refused unless it is on the configured Graph host); qs values are sent as given
 *       (encodeURIComponent, '$' kept). idempotent defaults to true except for POST: a 5xx on a
 *       non-idempotent request is not retried (it may have been applied). 204 / empty body -> {}.
 *   graphApiRequestAllItems.call(ctx, path, qs, { limit?, itemIndex?, pageSize?, hints? }) -> IDataObject[]
 *       collects `value` across @odata.nextLink pages (only links on the configured Graph host are
 *       followed); with a limit it asks $top <= what is still needed and stops as soon as it has enough.
 *   graphNextPage.call(ctx, link, path) -> the page behind a next link from outside (a list search's token);
 *       refused unless it is exactly <graph host>/v1.0<path> with paging parameters only
 *   mdeApiRequest / mdeApiRequestAllItems: the same against <mde host> (resolveCloud().mdeEndpoint, no
 *       version segment); pages by @odata.nextLink on exactly that path when Defender sends one, else by
 *       $skip while a page comes back full; emptyOn404: a 404 is an empty list (machines).
 *   microsoftErrorOf(error) -> { status, code?, message?, target? } of a failed request of this transport
 *   getCredentialType.call(ctx), evolvableEnumHeaders(path)
 *
 * Retries, deadlines and the cancel signal: retry.ts and request.ts; error wording: errors.ts.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { GRAPH_API, MDE_API, type MicrosoftApi } from './apis';
import {
	type Connection,
	type GraphContext,
	assertNextLinkOnApi,
	getConnection,
	isAbsoluteUrl,
} from './connection';
import { type ErrorHints, microsoftErrorOf, textPreview } from './errors';
import { sendRequest } from './request';

export { evolvableEnumHeaders, type MicrosoftApi } from './apis';
export { CREDENTIAL_TYPES, getCredentialType, type GraphContext } from './connection';
export { errorChain, microsoftErrorOf, type ErrorHints, type MicrosoftError } from './errors';
export { credentialTestRequest, runPreAuthentication, type CredentialTestAnswer } from './adapters';
export { DEFAULT_RETRY_POLICY, RequestCancelledError, parseRetryAfter, type RetryPolicy } from './retry';
export { applyTransportOptions, waitClockOf, SYSTEM_WAIT_CLOCK, type TransportOptions, type WaitClock } from './policy';

export interface GraphRequestOptions {
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	itemIndex?: number;
	/** Whether sending the request twice is harmless (default: every method but POST). */
	idempotent?: boolean;
	/** what to say on a 403 (the permission) and a 404 (the headline) */
	hints?: ErrorHints;
}

export interface GraphPagingOptions {
	limit?: number;
	itemIndex?: number;
	/** $top of each page when the caller's qs has none (Graph's maximum for incidents is 50). */
	pageSize?: number;
	hints?: ErrorHints;
}

export interface MdePagingOptions extends GraphPagingOptions {
	/** a 404 means an empty list (Defender answers GET /api/machines with 404 when no machine is recent) */
	emptyOn404?: boolean;
}

/** Defender for Endpoint's $top maximum, the default page size of its lists (100 calls a minute). */
const MDE_PAGE_SIZE = 10_000;

function buildUrl(baseUrl: string, path: string, qs?: IDataObject): string {
	const query = Object.entries(qs ?? {})
		.filter(([, value]) => value !== undefined && value !== null && value !== '')
		.map(
			([key, value]) =>
				`${encodeURIComponent(key).replace(/^%24/, '$')}=${encodeURIComponent(String(value))}`,
		)
		.join('&');
	return `${baseUrl}${path.startsWith('/') ? path : `/${path}`}${query ? `?${query}` : ''}`;
}

async function apiRequest(
	ctx: GraphContext,
	api: MicrosoftApi,
	method: IHttpRequestMethods,
	path: string,
	{ qs, body, itemIndex, idempotent = method !== 'POST', hints }: GraphRequestOptions,
): Promise<IDataObject> {
	const connection = await getConnection(ctx, api, itemIndex);
	let url: string;
	if (isAbsoluteUrl(path)) {
		assertNextLinkOnApi(ctx, connection, path, { itemIndex });
		url = path;
		path = new URL(path).pathname.slice(connection.basePath.length);
	} else {
		url = buildUrl(connection.baseUrl, path, qs);
	}
	return await sendRequest(ctx, connection, { method, url, path, qs, body, idempotent, itemIndex, hints });
}

export async function graphApiRequest(
	this: GraphContext,
	method: IHttpRequestMethods,
	path: string,
	options: GraphRequestOptions = {},
): Promise<IDataObject> {
	return await apiRequest(this, GRAPH_API, method, path, options);
}

export async function mdeApiRequest(
	this: GraphContext,
	method: IHttpRequestMethods,
	path: string,
	options: GraphRequestOptions = {},
): Promise<IDataObject> {
	return await apiRequest(this, MDE_API, method, path, options);
}

/** What Graph's next-page links of a list carry (its paging state), nothing that picks another object. */
const NEXT_LINK_PARAMETERS = ['$top', '$skip', '$skiptoken', '%24top', '%24skip', '%24skiptoken'];

/**
 * The next page of a list whose next link came back from outside this process (a list search's
 * paginationToken, sent by the browser): only a link this Graph host issues for `path` is followed —
 * same origin, exactly that path (no dot segments, no escapes), paging parameters only.
 */
export async function graphNextPage(
	this: GraphContext,
	link: string,
	path: string,
	hints?: ErrorHints,
): Promise<IDataObject> {
	const connection = await getConnection(this, GRAPH_API);
	let url: URL | undefined;
	try {
		url = new URL(link);
	} catch {
		url = undefined;
	}
	const rawPath = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(link)?.[1];
	const pagingOnly = url !== undefined && [...url.searchParams.keys()].every((key) => NEXT_LINK_PARAMETERS.includes(key));
	if (url?.origin !== connection.origin || rawPath !== `${connection.basePath}${path}` || !pagingOnly || url.hash !== '') {
		throw new NodeOperationError(
			this.getNode(),
			`The page token is not a next-page link of ${connection.origin}${connection.basePath}${path}; start the list again`,
		);
	}
	return await sendRequest(this, connection, { method: 'GET', url: link, path, idempotent: true, hints });
}

/** Lowers $top in a next-page link that carries one, so the last page holds no more than needed. */
function withSmallerTop(link: string, remaining: number): string {
	// Edited in place, not via URLSearchParams, so the rest of the link (skip tokens) stays byte for byte.
	return link.replace(/([?&](?:\$|%24)top=)(\d+)/i, (match, prefix: string, top: string) =>
		Number(top) > remaining ? `${prefix}${remaining}` : match,
	);
}

interface Paging {
	path: string;
	query: IDataObject;
	limit?: number;
	itemIndex?: number;
	hints?: ErrorHints;
	/** Defender for Endpoint: next links only on exactly `path`; without one, $skip while pages are full */
	skipPaging: boolean;
	emptyOn404: boolean;
}

function stopped(ctx: GraphContext, connection: Connection, itemIndex: number | undefined, why: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${connection.api.name} ${why}; stopped paging to avoid an endless loop`, {
		itemIndex,
	});
}

/** Collects `value` across pages: next links (guarded per API), or $skip for Defender for Endpoint. */
async function allItems(ctx: GraphContext, api: MicrosoftApi, paging: Paging): Promise<IDataObject[]> {
	const { path, limit, itemIndex, hints } = paging;
	const connection = await getConnection(ctx, api, itemIndex);
	const query: IDataObject = { ...paging.query };
	const top = query.$top as number;
	const items: IDataObject[] = [];
	const seenLinks = new Set<string>();
	let previousFirst: string | undefined;
	let url = buildUrl(connection.baseUrl, path, query);
	for (;;) {
		let page: IDataObject;
		try {
			page = await sendRequest(ctx, connection, { method: 'GET', url, path, qs: query, idempotent: true, itemIndex, hints });
		} catch (error) {
			if (paging.emptyOn404 && microsoftErrorOf(error)?.status === 404) return items;
			throw error;
		}
		if (!Array.isArray(page.value)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`${api.name}'s answer to GET ${path} has no "value" list: ${textPreview(JSON.stringify(page))}`,
				{ itemIndex },
			);
		}
		const value = page.value as IDataObject[];
		items.push(...value);
		if (limit !== undefined && items.length >= limit) return items.slice(0, limit);

		const next = page['@odata.nextLink'];
		if (typeof next === 'string' && next !== '') {
			assertNextLinkOnApi(ctx, connection, next, { itemIndex, path: paging.skipPaging ? path : undefined });
			if (seenLinks.has(next)) throw stopped(ctx, connection, itemIndex, 'returned the same next-page link twice');
			seenLinks.add(next);
			url = limit !== undefined ? withSmallerTop(next, limit - items.length) : next;
			continue;
		}
		// Defender for Endpoint documents no next links: a full page means there may be more
		if (!paging.skipPaging || seenLinks.size > 0 || value.length < (query.$top as number) || value.length === 0) return items;
		const first = JSON.stringify(value[0]);
		if (first === previousFirst) throw stopped(ctx, connection, itemIndex, 'returned the same page twice ($skip ignored)');
		previousFirst = first;
		query.$skip = items.length + ((paging.query.$skip as number | undefined) ?? 0);
		query.$top = limit !== undefined ? Math.min(top, limit - items.length) : top;
		url = buildUrl(connection.baseUrl, path, query);
	}
}

/** $top of the first page: the caller's or the page size, never more than the limit. */
function firstQuery(qs: IDataObject, limit: number | undefined, pageSize: number): IDataObject {
	const top = typeof qs.$top === 'number' ? qs.$top : pageSize;
	return { ...qs, $top: limit !== undefined ? Math.min(limit, top) : top };
}

export async function graphApiRequestAllItems(
	this: GraphContext,
	path: string,
	qs: IDataObject = {},
	{ limit, itemIndex, pageSize = 50, hints }: GraphPagingOptions = {},
): Promise<IDataObject[]> {
	return await allItems(this, GRAPH_API, {
		path,
		query: firstQuery(qs, limit, pageSize),
		limit,
		itemIndex,
		hints,
		skipPaging: false,
		emptyOn404: false,
	});
}

export async function mdeApiRequestAllItems(
	this: GraphContext,
	path: string,
	qs: IDataObject = {},
	{ limit, itemIndex, pageSize = MDE_PAGE_SIZE, hints, emptyOn404 = false }: MdePagingOptions = {},
): Promise<IDataObject[]> {
	return await allItems(this, MDE_API, {
		path,
		query: firstQuery(qs, limit, pageSize),
		limit,
		itemIndex,
		hints,
		skipPaging: true,
		emptyOn404,
	});
}
