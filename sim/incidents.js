// @ts-check
'use strict';

/** Incident and alert objects shaped like microsoft.graph.security.incident / alert (v1.0). */

const { prng } = require('./util');

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
const SOURCES = [
	['microsoftDefenderForEndpoint', 'microsoftDefenderForEndpoint', 'Execution'],
	['microsoftDefenderForOffice365', 'microsoftDefenderForOffice365', 'InitialAccess'],
	['microsoftDefenderForIdentity', 'microsoftDefenderForIdentity', 'CredentialAccess'],
	['microsoftDefenderForCloudApps', 'microsoftDefenderForCloudApps', 'Exfiltration'],
];

/** Graph datetimes carry 7 fractional digits. @param {number} ms */
function graphDate(ms) {
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

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
 * @param {Record<string, any>} incident
 * @param {number} k
 * @param {() => number} r
 */
function makeAlert(incident, k, r) {
	const [serviceSource, detectionSource, category] = SOURCES[Math.floor(r() * SOURCES.length)];
	const id = `da${incident.id.padStart(8, '0')}${String(k).padStart(4, '0')}-${Math.floor(r() * 1e9).toString(16)}`;
	return {
		'@odata.type': '#microsoft.graph.security.alert',
		id,
		providerAlertId: id,
		incidentId: incident.id,
		status: incident.status === 'resolved' ? 'resolved' : 'new',
		severity: incident.severity,
		classification: null,
		determination: null,
		serviceSource,
		detectionSource,
		detectorId: `7f1c${k}d2e-0000-4000-8000-00000000000${k}`,
		tenantId: incident.tenantId,
		title: incident.displayName.split(' on ')[0],
		description: `Simulated alert ${k + 1} of incident ${incident.id}.`,
		recommendedActions: 'Investigate the device and the user involved.',
		category,
		assignedTo: incident.assignedTo,
		alertWebUrl: `https://security.microsoft.com/alerts/${id}?tid=${incident.tenantId}`,
		incidentWebUrl: incident.incidentWebUrl,
		actorDisplayName: null,
		threatDisplayName: null,
		threatFamilyName: null,
		mitreTechniques: ['T1059.001'],
		createdDateTime: incident.createdDateTime,
		lastUpdateDateTime: incident.createdDateTime,
		resolvedDateTime: null,
		firstActivityDateTime: incident.createdDateTime,
		lastActivityDateTime: incident.createdDateTime,
		comments: [],
		evidence: [
			{
				'@odata.type': '#microsoft.graph.security.deviceEvidence',
				createdDateTime: incident.createdDateTime,
				verdict: 'suspicious',
				remediationStatus: 'none',
				roles: [],
				tags: [],
				deviceDnsName: `ws-${(Number(incident.id) % 40) + 1}.contoso.local`,
				osPlatform: 'Windows11',
			},
		],
		systemTags: [],
	};
}

module.exports = { makeIncident, graphDate };
