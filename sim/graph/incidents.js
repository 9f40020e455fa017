// @ts-check
'use strict';

/**
 * Incidents of the simulated Graph, shaped like microsoft.graph.security.incident (v1.0), each holding its
 * alerts (alerts.js): making them, and the store (`cloud._incidents`) the routes and the portal change.
 */

const { prng, graphDate, nextUpdateTime } = require('../util');
const { makeAlert } = require('./alerts');
const { validateEnumValue } = require('./schema');

/** @typedef {import('../cloud').SimCloud} SimCloud */

const TITLES = [
	'Multi-stage incident involving Initial access & Command and control on one endpoint',
	'Suspicious PowerShell command line on multiple endpoints',
	'Email messages containing malicious URL removed after delivery',
	'Ransomware activity on one endpoint',
	'Unusual sign-in activity reported by Microsoft Entra ID Protection',
	'Credential access incident involving one user',
	'Suspicious process injection observed',
	'Phishing campaign targeting finance department',
	'Impossible travel activity involving one user',
	'Malware detected in a file on SharePoint',
];
const ASSIGNEES = [null, 'kai.carter@contoso.com', 'alex.wilber@contoso.com', 'megan.bowen@contoso.com'];
const SEVERITIES = ['informational', 'low', 'medium', 'high'];
const STATUSES = ['active', 'active', 'inProgress', 'resolved', 'awaitingAction'];


/**
 * @param {{ id: string, tenantId: string, createdMs: number, seed: number, partial?: Record<string, any> }} o
 */
function makeIncident(o) {
	const r = prng(o.seed);
	const pick = (/** @type {any[]} */ a) => a[Math.floor(r() * a.length)];
	const p = o.partial || {};
	const createdDateTime = p.createdDateTime ? graphDate(Date.parse(p.createdDateTime)) : graphDate(o.createdMs);
	const status = p.status || pick(STATUSES);
	const severity = p.severity || pick(SEVERITIES);
	const resolved = status === 'resolved';
	/** @type {Record<string, any>} */
	const incident = {
		'@odata.type': '#microsoft.graph.security.incident',
		id: o.id,
		tenantId: o.tenantId,
		displayName: p.displayName || `${pick(TITLES)}`,
		createdDateTime,
		lastUpdateDateTime: p.lastUpdateDateTime ? graphDate(Date.parse(p.lastUpdateDateTime)) : createdDateTime,
		assignedTo: p.assignedTo !== undefined ? p.assignedTo : pick(ASSIGNEES),
		classification: p.classification || (resolved ? 'truePositive' : 'unknown'),
		determination: p.determination || (resolved ? 'malware' : 'unknown'),
		status,
		severity,
		customTags: p.customTags || (r() < 0.3 ? ['Demo'] : []),
		systemTags: p.systemTags || [],
		description: p.description !== undefined ? p.description : null,
		summary: p.summary !== undefined ? p.summary : null,
		resolvingComment: p.resolvingComment !== undefined ? p.resolvingComment : null,
		redirectIncidentId: null,
		incidentWebUrl: `https://security.microsoft.com/incidents/${o.id}?tid=${o.tenantId}`,
		lastModifiedBy: p.lastModifiedBy || 'API-App:automation',
		priorityScore: p.priorityScore !== undefined ? p.priorityScore : Math.floor(r() * 100),
		comments: p.comments || [],
	};
	const alertCount = p.alertsCount !== undefined ? p.alertsCount : p.alerts !== undefined && typeof p.alerts === 'number' ? p.alerts : 1 + Math.floor(r() * 3);
	incident.alerts = Array.from({ length: alertCount }, (_, k) => makeAlert(incident, k, r));
	return incident;
}

/**
 * Seeded and portal-made incidents hold only values Graph has (evolvable members included), so no test
 * can stage data real Graph could never return.
 * @param {Record<string, any>} values
 */
function assertGraphEnums(values) {
	for (const [k, v] of Object.entries(values)) {
		const problem = validateEnumValue('incident', k, v, { includeUnknown: true });
		if (problem) throw new Error(`Invalid ${k} '${v}': ${problem}`);
	}
}

/** A new incident in the store (the live object). @param {SimCloud} cloud @param {Record<string, any>} partial */
function createIncident(cloud, partial) {
	assertGraphEnums(partial);
	const id = partial.id ? String(partial.id) : String(cloud._nextIncidentId++);
	const incident = makeIncident({ id, tenantId: cloud.tenantId, createdMs: Date.now(), seed: cloud.options.seed * 100003 + Number(id), partial });
	cloud._incidents.push(incident);
	return incident;
}

/** The live incidents, newest first (createdDateTime, then id). @param {SimCloud} cloud */
function sortedIncidents(cloud) {
	return cloud._incidents.slice().sort((a, b) => {
		if (a.createdDateTime !== b.createdDateTime) return a.createdDateTime < b.createdDateTime ? 1 : -1;
		return Number(b.id) - Number(a.id);
	});
}

/**
 * Changes an incident (any property; `comment` adds a comment by `by`); moves lastUpdateDateTime.
 * @param {SimCloud} cloud @param {string} id @param {Record<string, any>} changes @param {string} by
 */
function applyIncidentUpdate(cloud, id, changes, by) {
	const incident = cloud.getIncident(id);
	if (!incident) throw new Error(`Incident ${id} not found`);
	for (const [k, v] of Object.entries(changes)) {
		if (k.startsWith('@odata.') || k === 'id' || k === 'comment') continue;
		incident[k] = k === 'customTags' ? [...v] : v;
	}
	if (typeof changes.comment === 'string') {
		incident.comments.push({ '@odata.type': 'microsoft.graph.security.alertComment', comment: changes.comment, createdByDisplayName: by, createdDateTime: graphDate(Date.now()) });
	}
	incident.lastModifiedBy = by;
	incident.lastUpdateDateTime = nextUpdateTime(incident);
	return incident;
}

module.exports = { makeIncident, assertGraphEnums, createIncident, sortedIncidents, applyIncidentUpdate };
