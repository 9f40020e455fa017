/**
 * What the transport says when Graph refuses an incident, alert or hunting request: the permission it
 * needs (on a 403) and, for one entity, the not-found headline (on a 404). Passed in as `hints`.
 */
import type { IHttpRequestMethods } from 'n8n-workflow';

import type { ErrorHints } from '../transport';

type Entity = 'incident' | 'alert';

const PERMISSION: Record<Entity, { read: string; write: string }> = {
	incident: { read: 'SecurityIncident.Read.All', write: 'SecurityIncident.ReadWrite.All' },
	alert: { read: 'SecurityAlert.Read.All', write: 'SecurityAlert.ReadWrite.All' },
};

const LABEL: Record<Entity, string> = { incident: 'Incident', alert: 'Alert' };

/** Hints of a request on incidents or alerts; with an `id`, a 404 says that one was not found. */
export function graphHints(entity: Entity, method: IHttpRequestMethods, id?: string): ErrorHints {
	const { read, write } = PERMISSION[entity];
	return {
		permission: method === 'GET' ? read : write,
		notFound: id === undefined ? undefined : `${LABEL[entity]} ${id} not found`,
	};
}

export const HUNTING_HINTS: ErrorHints = { permission: 'ThreatHunting.Read.All' };
