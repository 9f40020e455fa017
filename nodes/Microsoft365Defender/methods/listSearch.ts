/**
 * The "From List" modes of the Incident and Alert resource locators.
 *
 *   searchIncidents(filter?, paginationToken?)   recent incidents, "#<id> <name> (<severity>, <status>)"
 *   searchAlerts(filter?, paginationToken?)      recent alerts, "<title> (<severity>, <status>) <id>"
 *   searchDevices(filter?, paginationToken?)     Defender for Endpoint devices, "<DNS name> (<OS>, <health>, risk <risk>)"
 *
 * One page of recent entities (newest first within the page), filtered client-side by id or text, since
 * Graph's $filter cannot search ids, names or titles. A filter that looks like an id also looks that entity
 * up directly, so an older one is found by its id. paginationToken = Graph's nextLink, followed only when it
 * is one of this very list (transport's graphNextPage).
 * Devices are searched by Defender itself (startswith on the DNS name, or the id), paged with $skip: the
 * MDE API sends no next links, so the token is the next $skip.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { ALERT_ID, alertPath, incidentPath, odataString, permissionHint } from '../helpers';
import { graphHints } from '../actions/errorHints';
import { type ErrorHints, graphApiRequest, graphNextPage, mdeApiRequest, microsoftErrorOf } from '../transport';

const PAGE_SIZE = 50;

interface Searchable {
	path: string;
	/** the permission said on a 403 */
	hints: ErrorHints;
	/** the filter as typed, normalised for matching */
	needle(filter: string): string;
	/** the entity path when the needle looks like an id */
	directPath(needle: string): string | undefined;
	text(entity: IDataObject): string;
	toItem(entity: IDataObject): INodeListSearchItems;
}

const createdAt = (entity: IDataObject) => Date.parse(String(entity.createdDateTime ?? '')) || 0;
const label = (value: unknown) => String(value ?? 'unknown');

async function searchRecent(
	ctx: ILoadOptionsFunctions,
	kind: Searchable,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// the token comes back from the browser: only a next link of this very list is followed
	const page = paginationToken
		? await graphNextPage.call(ctx, paginationToken, kind.path, kind.hints)
		: await graphApiRequest.call(ctx, 'GET', kind.path, { qs: { $top: PAGE_SIZE }, hints: kind.hints });
	let entities = ((page.value as IDataObject[] | undefined) ?? []).slice();
	entities.sort((a, b) => createdAt(b) - createdAt(a));

	const needle = kind.needle(filter ?? '');
	if (needle !== '') {
		const lower = needle.toLowerCase();
		entities = entities.filter(
			(entity) => String(entity.id).toLowerCase().includes(lower) || kind.text(entity).toLowerCase().includes(lower),
		);
		const direct = kind.directPath(needle);
		if (!paginationToken && direct !== undefined && !entities.some((entity) => String(entity.id) === needle)) {
			try {
				entities.unshift(await graphApiRequest.call(ctx, 'GET', direct));
			} catch {
				// not found (or not readable): the list simply does not contain it
			}
		}
	}

	const next = page['@odata.nextLink'];
	return {
		results: entities.map(kind.toItem),
		paginationToken: typeof next === 'string' && next !== '' ? next : undefined,
	};
}

const incidents: Searchable = {
	path: '/security/incidents',
	hints: graphHints('incident', 'GET'),
	needle: (filter) => filter.trim().replace(/^#/, ''),
	directPath: (needle) => (/^\d{1,19}$/.test(needle) ? incidentPath(needle) : undefined),
	text: (incident) => String(incident.displayName ?? ''),
	toItem: (incident) => ({
		name: `#${String(incident.id)} ${String(incident.displayName ?? '')} (${label(incident.severity)}, ${label(incident.status)})`,
		value: String(incident.id),
		url: typeof incident.incidentWebUrl === 'string' ? incident.incidentWebUrl : undefined,
	}),
};

const alerts: Searchable = {
	path: '/security/alerts_v2',
	hints: graphHints('alert', 'GET'),
	needle: (filter) => filter.trim(),
	// an alert id has digits; a word such as "powershell" is a title search only
	directPath: (needle) => (ALERT_ID.test(needle) && /\d/.test(needle) ? alertPath(needle) : undefined),
	text: (alert) => String(alert.title ?? ''),
	toItem: (alert) => ({
		name: `${String(alert.title ?? '')} (${label(alert.severity)}, ${label(alert.status)}) ${String(alert.id)}`,
		value: String(alert.id),
		url: typeof alert.alertWebUrl === 'string' ? alert.alertWebUrl : undefined,
	}),
};

export async function searchIncidents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchRecent(this, incidents, filter, paginationToken);
}

export async function searchAlerts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchRecent(this, alerts, filter, paginationToken);
}

const DEVICE_PAGE_SIZE = 50;

export async function searchDevices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// the token comes back from the browser: only a $skip of ours is taken
	const skip = paginationToken && /^\d{1,9}$/.test(paginationToken) ? Number(paginationToken) : 0;
	const needle = (filter ?? '').trim().toLowerCase();
	const qs: Record<string, string | number> = { $top: DEVICE_PAGE_SIZE, $skip: skip };
	if (/^[0-9a-f]{40}$/.test(needle)) qs.$filter = `id eq ${odataString(needle)}`;
	else if (needle !== '') qs.$filter = `startswith(computerDnsName,${odataString(needle)})`;
	let devices: IDataObject[];
	try {
		const page = await mdeApiRequest.call(this, 'GET', '/api/machines', { qs, hints: { permission: permissionHint('readMachines') } });
		devices = (page.value as IDataObject[] | undefined) ?? [];
	} catch (error) {
		// api/get-machines: no (matching) devices answers 404
		if (microsoftErrorOf(error)?.status === 404) return { results: [] };
		throw error;
	}
	return {
		results: devices.map((device) => ({
			name: `${String(device.computerDnsName ?? device.id)} (${label(device.osPlatform)}, ${label(device.healthStatus)}, risk ${label(device.riskScore)})`,
			value: String(device.id),
		})),
		paginationToken: devices.length === DEVICE_PAGE_SIZE ? String(skip + DEVICE_PAGE_SIZE) : undefined,
	};
}
