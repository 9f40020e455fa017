/**
 * searchIncidents(filter?, paginationToken?): the "From List" mode of the Incident resource locator.
 * One page of recent incidents (newest first within the page), filtered client-side by id or text,
 * since Graph's $filter cannot search id or displayName. A numeric filter also looks that incident
 * up directly, so an older incident is found by its number. paginationToken = Graph's nextLink, followed
 * only when it is one of this list (transport's graphNextPage).
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { incidentPath } from '../helpers';
import { graphApiRequest, graphNextPage } from '../transport';

const PAGE_SIZE = 50;

function toItem(incident: IDataObject): INodeListSearchItems {
	const id = String(incident.id);
	const severity = incident.severity ?? 'unknown';
	const status = incident.status ?? 'unknown';
	return {
		name: `#${id} ${String(incident.displayName ?? '')} (${String(severity)}, ${String(status)})`,
		value: id,
		url: typeof incident.incidentWebUrl === 'string' ? incident.incidentWebUrl : undefined,
	};
}

const createdAt = (incident: IDataObject) => Date.parse(String(incident.createdDateTime ?? '')) || 0;

export async function searchIncidents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// the token comes back from the browser: only a next link of this very list is followed
	const page = paginationToken
		? await graphNextPage.call(this, paginationToken, '/security/incidents')
		: await graphApiRequest.call(this, 'GET', '/security/incidents', { qs: { $top: PAGE_SIZE } });
	let incidents = ((page.value as IDataObject[] | undefined) ?? []).slice();
	incidents.sort((a, b) => createdAt(b) - createdAt(a));

	const needle = (filter ?? '').trim().replace(/^#/, '').toLowerCase();
	if (needle !== '') {
		incidents = incidents.filter(
			(incident) =>
				String(incident.id).includes(needle) ||
				String(incident.displayName ?? '').toLowerCase().includes(needle),
		);
		if (!paginationToken && /^\d{1,19}$/.test(needle) && !incidents.some((i) => String(i.id) === needle)) {
			try {
				incidents.unshift(await graphApiRequest.call(this, 'GET', incidentPath(needle)));
			} catch {
				// not found (or not readable): the list simply does not contain it
			}
		}
	}

	const next = page['@odata.nextLink'];
	return {
		results: incidents.map(toItem),
		paginationToken: typeof next === 'string' && next !== '' ? next : undefined,
	};
}
