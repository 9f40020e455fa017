// @ts-check
'use strict';

/**
 * Alerts of the simulated Graph (`/v1.0/security/alerts_v2`), shaped like microsoft.graph.security.alert (v1.0).
 * Alerts live inside their incident (`incident.alerts`, linked by `incidentId`), so an incident read with
 * `$expand=alerts` and List Alerts return the same objects.
 *
 *   makeAlert(incident, k, r, { createdMs?, partial? })   a new alert object (evidence from ./evidence)
 *   alertStore(cloud)                                      { all(), get(id), create(partial), update(id, changes, by) }
 *
 * Its routes are in alertRoutes.js. What Graph allows (filterable and updatable properties, query options, enum literals, evolvable members only
 * with `Prefer: include-unknown-enum-members`) comes from schema.js ('alert'), as for incidents:
 * `$filter` on assignedTo, classification, determination, createdDateTime, lastUpdateDateTime, severity,
 * serviceSource, status; `$top` (capped at `alertPageSize`), `$skip`, `$count`; `@odata.nextLink`; newest
 * first. PATCH accepts assignedTo, classification, determination, status; POST .../comments answers with
 * every comment of the alert.
 */

const graphSchema = require('./schema');
const { makeEvidence } = require('./evidence');
const { graphDate, prng, nextUpdateTime } = require('../util');

/** serviceSource, detectionSource, product, category, title */
const SOURCES = [
	['microsoftDefenderForEndpoint', 'microsoftDefenderForEndpoint', 'Microsoft Defender for Endpoint', 'Execution', 'Suspicious PowerShell command line'],
	['microsoftDefenderForEndpoint', 'antivirus', 'Microsoft Defender for Endpoint', 'Malware', "'Mimikatz' credential theft tool was detected"],
	['microsoftDefenderForOffice365', 'microsoftDefenderForOffice365', 'Microsoft Defender for Office 365', 'InitialAccess', 'Email messages containing malicious URL removed after delivery'],
	['microsoftDefenderForIdentity', 'microsoftDefenderForIdentity', 'Microsoft Defender for Identity', 'CredentialAccess', 'Suspected brute-force attack (Kerberos, NTLM)'],
	['microsoftDefenderForCloudApps', 'microsoftDefenderForCloudApps', 'Microsoft Defender for Cloud Apps', 'Exfiltration', 'Mass download by a single user'],
];

/**
 * @param {Record<string, any>} incident
 * @param {number} k index of the alert inside its incident
 * @param {() => number} r
 * @param {{ createdMs?: number, partial?: Record<string, any> }} [o]
 */
function makeAlert(incident, k, r, o = {}) {
	const p = o.partial || {};
	const [serviceSource, detectionSource, productName, category, title] = SOURCES[Math.floor(r() * SOURCES.length)];
	const id = `da${incident.id.padStart(8, '0')}${String(k).padStart(4, '0')}_${Math.floor(r() * 1e9).toString(16)}`;
	const createdDateTime = p.createdDateTime
		? graphDate(Date.parse(p.createdDateTime))
		: o.createdMs !== undefined
			? graphDate(o.createdMs)
			: incident.createdDateTime;
	const status = p.status || (incident.status === 'resolved' ? 'resolved' : 'new');
	/** @type {Record<string, any>} */
	const alert = {
		'@odata.type': '#microsoft.graph.security.alert',
		id,
		providerAlertId: id.slice(2),
		incidentId: incident.id,
		status,
		severity: p.severity || incident.severity,
		classification: p.classification || (status === 'resolved' ? incident.classification : 'unknown'),
		determination: p.determination || (status === 'resolved' ? incident.determination : 'unknown'),
		serviceSource: p.serviceSource || serviceSource,
		detectionSource: p.detectionSource || detectionSource,
		productName,
		detectorId: `7f1c${k % 10}d2e-0000-4000-8000-00000000000${k % 10}`,
		tenantId: incident.tenantId,
		title: p.title || title,
		description: `Simulated alert ${k + 1} of incident ${incident.id}.`,
		recommendedActions: 'Investigate the device and the user involved; isolate the device if the activity is confirmed.',
		category,
		assignedTo: p.assignedTo !== undefined ? p.assignedTo : incident.assignedTo,
		alertWebUrl: `https://security.microsoft.com/alerts/${id}?tid=${incident.tenantId}`,
		incidentWebUrl: incident.incidentWebUrl,
		actorDisplayName: null,
		threatDisplayName: null,
		threatFamilyName: null,
		mitreTechniques: ['T1059.001'],
		createdDateTime,
		lastUpdateDateTime: p.lastUpdateDateTime ? graphDate(Date.parse(p.lastUpdateDateTime)) : createdDateTime,
		resolvedDateTime: status === 'resolved' ? createdDateTime : null,
		firstActivityDateTime: createdDateTime,
		lastActivityDateTime: createdDateTime,
		comments: [],
		evidence: makeEvidence({ incidentId: incident.id, createdDateTime, tenantId: incident.tenantId, k }, r),
		systemTags: [],
	};
	return alert;
}

/** @param {any} v */
const clone = (v) => JSON.parse(JSON.stringify(v));

/**
 * The alerts of a simulated cloud (live objects inside its incidents).
 * @param {import('../cloud').SimCloud} cloud
 */
function alertStore(cloud) {
	/** @returns {Record<string, any>[]} newest first (createdDateTime, then id) */
	const all = () =>
		/** @type {Record<string, any>[]} */ (cloud._incidents.flatMap((/** @type {any} */ i) => i.alerts)).sort((a, b) => {
			if (a.createdDateTime !== b.createdDateTime) return a.createdDateTime < b.createdDateTime ? 1 : -1;
			return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
		});
	/** @param {string} id */
	const get = (id) => {
		for (const incident of cloud._incidents) {
			const alert = incident.alerts.find((/** @type {any} */ a) => a.id === id);
			if (alert) return /** @type {Record<string, any>} */ (alert);
		}
		return undefined;
	};
	/**
	 * A new alert in `partial.incidentId`'s incident (which then counts as updated), or in a new incident of its own.
	 * @param {Record<string, any>} partial
	 */
	const create = (partial = {}) => {
		const { incidentId, ...rest } = partial;
		for (const [k, v] of Object.entries(rest)) {
			const problem = graphSchema.validateEnumValue('alert', k, v, { includeUnknown: true });
			if (problem) throw new Error(problem);
		}
		let incident;
		if (incidentId !== undefined) {
			incident = cloud.getIncident(incidentId);
			if (!incident) throw new Error(`Incident ${incidentId} not found`);
			incident.lastUpdateDateTime = nextUpdateTime(incident);
		} else {
			const created = cloud.createIncident({
				alertsCount: 0,
				...(rest.createdDateTime ? { createdDateTime: rest.createdDateTime } : {}),
				...(rest.severity && rest.severity !== 'unknownFutureValue' ? { severity: rest.severity } : {}),
				...(rest.title ? { displayName: rest.title } : {}),
				status: rest.status === 'resolved' ? 'resolved' : rest.status === 'inProgress' ? 'inProgress' : 'active',
			});
			incident = /** @type {Record<string, any>} */ (cloud.getIncident(created.id));
		}
		const k = incident.alerts.length;
		const r = prng(cloud.options.seed * 7919 + Number(incident.id) * 31 + k);
		const alert = makeAlert(incident, k, r, { createdMs: Date.now(), partial: rest });
		incident.alerts.push(alert);
		return clone(alert);
	};
	/**
	 * @param {string} id @param {Record<string, any>} changes any alert property; `comment` adds a comment
	 * @param {string} by
	 */
	const update = (id, changes, by) => {
		const alert = get(id);
		if (!alert) throw new Error(`Alert ${id} not found`);
		for (const [k, v] of Object.entries(changes)) {
			if (k.startsWith('@odata.') || k === 'id' || k === 'comment') continue;
			alert[k] = v;
		}
		if (typeof changes.comment === 'string') {
			alert.comments.push({ '@odata.type': 'microsoft.graph.security.alertComment', comment: changes.comment, createdByDisplayName: by, createdDateTime: graphDate(Date.now()) });
		}
		if (changes.status === 'resolved' && !alert.resolvedDateTime) alert.resolvedDateTime = graphDate(Date.now());
		alert.lastUpdateDateTime = nextUpdateTime(alert);
		return alert;
	};
	return { all, get, create, update };
}


module.exports = { makeAlert, alertStore };
