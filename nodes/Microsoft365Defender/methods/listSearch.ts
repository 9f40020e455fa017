/**
 * searchAlerts(filter?, paginationToken?): the same for the Alert resource locator (by id or title; an id
 * not on the page is looked up directly).
 *
 * searchIncidents(filter?, paginationToken?): the "From List" mode of the Incident resource locator.
 * One page of recent incidents (newest first within the page), filtered client-side by id or text,
 * since Graph's $filter cannot search id or displayName. A numeric filter also looks that incident
 * up directly, so an older incident is found by its number. paginationToken = Graph's nextLink.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { ALERT_ID, alertPath, incidentPath } from '../helpers';
import { graphApiRequest } from '../transport';

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
	const page = paginationToken
		? await graphApiRequest.call(this, 'GET', paginationToken)
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

function toAlertItem(alert: IDataObject): INodeListSearchItems {
	const id = String(alert.id);
	return {
		name: `${String(alert.title ?? '')} (${String(alert.severity ?? 'unknown')}, ${String(alert.status ?? 'unknown')}) ${id}`,
		value: id,
		url: typeof alert.alertWebUrl === 'string' ? alert.alertWebUrl : undefined,
	};
}

export async function searchAlerts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = paginationToken
		? await graphApiRequest.call(this, 'GET', paginationToken)
		: await graphApiRequest.call(this, 'GET', '/security/alerts_v2', { qs: { $top: PAGE_SIZE } });
	let alerts = ((page.value as IDataObject[] | undefined) ?? []).slice();
	alerts.sort((a, b) => createdAt(b) - createdAt(a));

	const needle = (filter ?? '').trim();
	if (needle !== '') {
		const lower = needle.toLowerCase();
		alerts = alerts.filter(
			(alert) =>
				String(alert.id).toLowerCase().includes(lower) ||
				String(alert.title ?? '').toLowerCase().includes(lower),
		);
		if (!paginationToken && ALERT_ID.test(needle) && /\d/.test(needle) && !alerts.some((a) => String(a.id) === needle)) {
			try {
				alerts.unshift(await graphApiRequest.call(this, 'GET', alertPath(needle)));
			} catch {
				// not found (or not readable): the list simply does not contain it
			}
		}
	}

	const next = page['@odata.nextLink'];
	return {
		results: alerts.map(toAlertItem),
		paginationToken: typeof next === 'string' && next !== '' ? next : undefined,
	};
}
