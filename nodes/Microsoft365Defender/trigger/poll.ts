/**
 * One poll of the trigger (the design of the state is explained in ./state.ts), for incidents
 * (/security/incidents, pages of 50) or alerts (/security/alerts_v2, pages of 2,000) by the event.
 *
 *   pollIncidents.call(pollFunctions) -> INodeExecutionData[][] | null
 *       trigger mode: one round; emits each new incident (or each new version, for incidentUpdated) as one
 *       item, oldest first; stores the new state in the node's static data only after every page of
 *       the round was fetched. A failing request throws (n8n records the failed poll) and leaves the
 *       stored state as it was, so the next poll catches up.
 *       manual mode ("Fetch Test Event"): the newest matching incident; static data is not touched.
 *   readTriggerSettings.call(pollFunctions) -> TriggerSettings (validated; InvalidInputError)
 *
 * Cost: a round is one GET per page of the overlap window, so an idle poll is one Graph request; the
 * token comes from the credential's cache (auth module), not from a new grant per poll.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { ALERTS_PAGE_SIZE, ALERTS_PATH } from '../actions/alert/common';
import { graphHints } from '../actions/errorHints';
import { buildAlertFilter, buildIncidentFilter, InvalidInputError, toNodeOperationError } from '../helpers';
import { type ErrorHints, graphApiRequest, graphApiRequestAllItems } from '../transport';
import {
	EVENT_FIELD,
	firstRound,
	healState,
	nextRound,
	normalizeTimestamp,
	readState,
	STATE_KEY,
	stateScope,
	timestampFromDate,
	TRIGGER_EVENTS,
	type RoundResult,
	type RoundSettings,
	type TriggerEvent,
} from './state';

export const DEFAULT_OVERLAP_MINUTES = 10;
/** at most one overlap window's worth of ids is kept; beyond this the window shrinks (see state.ts) */
export const MAX_SEEN_IDS = 5000;
const MAX_OVERLAP_MINUTES = 24 * 60;
/** Defender keeps incidents for 180 days */
const MAX_START_FROM_HOURS = 180 * 24;
/** what an event polls: the collection and its largest page */
const SOURCES = {
	incident: { path: '/security/incidents', pageSize: 50, hints: graphHints('incident', 'GET') },
	alert: { path: ALERTS_PATH, pageSize: ALERTS_PAGE_SIZE, hints: graphHints('alert', 'GET') },
};

export interface TriggerSettings {
	event: TriggerEvent;
	field: RoundSettings['field'];
	severities: string[];
	statuses: string[];
	/** alert events only */
	serviceSources: string[];
	/** the filters added after the first release (empty lists when unset; part of the state scope) */
	scopeFilters: Record<string, string[]>;
	source: { path: string; pageSize: number; hints: ErrorHints };
	/** incident events only */
	includeAlerts: boolean;
	overlapMs: number;
	/** 0 = the first activation emits nothing that already existed */
	startFromMs: number;
	/** the $filter without the time condition, undefined when no filter is set */
	filter: string | undefined;
}

function numberOption(value: unknown, label: string, max: number, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > max) {
		throw new InvalidInputError(`"${label}" must be a number from 0 to ${max}, not ${JSON.stringify(value)}`, label);
	}
	return number;
}

export function readTriggerSettings(this: IPollFunctions): TriggerSettings {
	const event = this.getNodeParameter('event', 'incidentCreated') as TriggerEvent;
	if (!TRIGGER_EVENTS.includes(event)) {
		throw new InvalidInputError(
			`"Event" has the unknown value "${String(event)}"; allowed: ${TRIGGER_EVENTS.join(', ')}`,
			'event',
		);
	}
	const filters = (this.getNodeParameter('filters', {}) ?? {}) as IDataObject;
	const options = (this.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const forAlerts = event === 'alertCreated' || event === 'alertUpdated';
	// validates the values and builds the OData (shared with the List operations)
	const { severity, status, assignedTo } = filters;
	const classification = forAlerts ? undefined : filters.classification;
	const filter = forAlerts
		? buildAlertFilter({ severity, status, assignedTo, serviceSource: filters.serviceSource })
		: buildIncidentFilter({ severity, status, assignedTo, classification });
	const list = (value: unknown) =>
		Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? value.split(',').map((v) => v.trim()) : [];
	const assignee = typeof assignedTo === 'string' ? assignedTo.trim() : '';
	return {
		event,
		field: EVENT_FIELD[event],
		severities: list(filters.severity),
		statuses: list(filters.status),
		serviceSources: forAlerts ? list(filters.serviceSource) : [],
		scopeFilters: { assignedTo: assignee === '' ? [] : [assignee], classification: list(classification) },
		source: forAlerts ? SOURCES.alert : SOURCES.incident,
		includeAlerts: !forAlerts && options.includeAlerts === true,
		overlapMs:
			numberOption(options.overlapMinutes, 'Overlap (Minutes)', MAX_OVERLAP_MINUTES, DEFAULT_OVERLAP_MINUTES) * 60_000,
		startFromMs: numberOption(options.startFromHours, 'Start From (Hours Ago)', MAX_START_FROM_HOURS, 0) * 3_600_000,
		filter,
	};
}

function query(settings: TriggerSettings, since?: string): IDataObject {
	const terms = [since === undefined ? undefined : `${settings.field} ge ${since}`, settings.filter];
	const filter = terms.filter((term) => term !== undefined).join(' and ');
	const qs: IDataObject = {};
	if (filter !== '') qs.$filter = filter;
	if (settings.includeAlerts) qs.$expand = 'alerts';
	return qs;
}

/** Every matching incident at or after `since`, all pages (Graph's order is not relied upon). */
async function fetchSince(this: IPollFunctions, settings: TriggerSettings, since: string): Promise<IDataObject[]> {
	return await graphApiRequestAllItems.call(this, settings.source.path, query(settings, since), {
		pageSize: settings.source.pageSize,
		hints: settings.source.hints,
	});
}

/** "Fetch Test Event": the newest matching incident of the first page; no state is read or written. */
async function fetchTestEvent(this: IPollFunctions, settings: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	const page = await graphApiRequest.call(this, 'GET', settings.source.path, {
		qs: { ...query(settings), $top: settings.source.pageSize },
		hints: settings.source.hints,
	});
	const incidents = Array.isArray(page.value) ? (page.value as IDataObject[]) : [];
	let newest: IDataObject | undefined;
	let newestAt = '';
	for (const incident of incidents) {
		const at = normalizeTimestamp(incident?.[settings.field]) ?? '';
		if (newest === undefined || at > newestAt) {
			newest = incident;
			newestAt = at;
		}
	}
	return newest === undefined ? null : [this.helpers.returnJsonArray([newest])];
}

export async function pollIncidents(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	let settings: TriggerSettings;
	try {
		settings = readTriggerSettings.call(this);
	} catch (error) {
		throw toNodeOperationError(this.getNode(), error as Error);
	}
	if (this.getMode() === 'manual') return await fetchTestEvent.call(this, settings);

	const roundSettings: RoundSettings = {
		field: settings.field,
		overlapMs: settings.overlapMs,
		maxSeen: MAX_SEEN_IDS,
		clock: timestampFromDate(new Date()),
	};
	const staticData = this.getWorkflowStaticData('node');
	const scope = stateScope(settings.event, settings.severities, settings.statuses, settings.serviceSources, settings.scopeFilters);
	const previous = readState(staticData, scope);

	let round: RoundResult;
	if (previous === undefined) {
		// First round (or event/filters changed): the only time the local clock is read.
		const now = Date.now();
		const since = timestampFromDate(new Date(now - Math.max(settings.overlapMs, settings.startFromMs)));
		const emitFrom = settings.startFromMs > 0 ? timestampFromDate(new Date(now - settings.startFromMs)) : undefined;
		const incidents = await fetchSince.call(this, settings, since);
		round = firstRound(incidents, scope, since, emitFrom, roundSettings);
	} else {
		// a state a future timestamp moved (stored before the ceiling existed) asks from the present again
		const incidents = await fetchSince.call(this, settings, healState(previous, roundSettings).since);
		round = nextRound(previous, incidents, roundSettings);
	}

	// Reached only when every page arrived: a failed round leaves the stored state untouched.
	if (round.changed) staticData[STATE_KEY] = round.next as unknown as IDataObject;
	return round.fresh.length > 0 ? [this.helpers.returnJsonArray(round.fresh)] : null;
}
