// @ts-check
'use strict';

/** Incident and alert objects shaped like microsoft.graph.security.incident / alert (v1.0). */

const { prng, graphDate } = require('./util');
const { makeAlert } = require('./alerts');

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

module.exports = { makeIncident, graphDate };
