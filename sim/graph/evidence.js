// @ts-check
'use strict';

/**
 * Alert evidence shaped like Graph v1.0's microsoft.graph.security.alertEvidence subtypes (deviceEvidence,
 * fileEvidence, userEvidence, ipEvidence, urlEvidence), deterministic for a given PRNG. Device and file
 * evidence carry `mdeDeviceId`, the id of a seeded Defender for Endpoint machine (what the device actions take).
 */

const crypto = require('crypto');

const { SEED_DEVICES } = require('../mde/machines');

const USERS = [
	['kai.carter', 'Kai Carter'],
	['alex.wilber', 'Alex Wilber'],
	['megan.bowen', 'Megan Bowen'],
	['lee.gu', 'Lee Gu'],
];
const FILES = [
	['invoice_2024.pdf.exe', 'C:\\Users\\Public\\Downloads'],
	['update.ps1', 'C:\\ProgramData\\Temp'],
	['mimikatz.exe', 'C:\\Windows\\Temp'],
	['payload.dll', 'C:\\Users\\Public\\AppData\\Local'],
];
const DOMAINS = ['contoso-payments.example', 'login-verify.example', 'cdn-update.example', 'files-share.example'];

/** @param {string} text @param {'sha1' | 'sha256'} algorithm */
const digest = (text, algorithm) => crypto.createHash(algorithm).update(text).digest('hex');

/**
 * @param {{ incidentId: string, createdDateTime: string, tenantId: string, k: number }} alert
 * @param {() => number} r
 */
function makeEvidence(alert, r) {
	const pick = (/** @type {any[]} */ a) => a[Math.floor(r() * a.length)];
	// the alert's device is one of the seeded Defender for Endpoint machines, as in a tenant where the
	// device that raised the alert is onboarded: its mdeDeviceId is what the device actions take
	const device = SEED_DEVICES[Number(alert.incidentId) % SEED_DEVICES.length];
	const { computerDnsName: deviceDnsName, id: mdeDeviceId } = device;
	const [accountName, displayName] = pick(USERS);
	const [fileName, filePath] = pick(FILES);
	const ipAddress = `198.51.100.${1 + Math.floor(r() * 254)}`;
	const url = `https://${pick(DOMAINS)}/${Math.floor(r() * 1e6).toString(36)}`;
	const fileKey = `${fileName}:${alert.incidentId}:${alert.k}`;
	const common = { createdDateTime: alert.createdDateTime, remediationStatus: 'none', remediationStatusDetails: null, roles: [], detailedRoles: [], tags: [] };
	return [
		{
			'@odata.type': '#microsoft.graph.security.deviceEvidence',
			...common,
			verdict: 'suspicious',
			roles: ['compromised'],
			firstSeenDateTime: alert.createdDateTime,
			mdeDeviceId,
			azureAdDeviceId: null,
			deviceDnsName,
			osPlatform: device.osPlatform,
			osBuild: device.osBuild,
			version: device.version,
			healthStatus: 'active',
			riskScore: pick(['low', 'medium', 'high']),
			rbacGroupId: 0,
			rbacGroupName: 'UnassignedGroup',
			onboardingStatus: 'onboarded',
			defenderAvStatus: 'updated',
			ipInterfaces: [`10.0.${Number(alert.incidentId) % 250}.${10 + alert.k}`],
			loggedOnUsers: [{ accountName, domainName: 'CONTOSO' }],
			vmMetadata: null,
		},
		{
			'@odata.type': '#microsoft.graph.security.fileEvidence',
			...common,
			verdict: 'malicious',
			detectionStatus: 'detected',
			mdeDeviceId,
			fileDetails: {
				sha1: digest(fileKey, 'sha1'),
				sha256: digest(fileKey, 'sha256'),
				fileName,
				filePath,
				fileSize: 1024 + Math.floor(r() * 5_000_000),
				filePublisher: null,
				signer: null,
				issuer: null,
			},
		},
		{
			'@odata.type': '#microsoft.graph.security.userEvidence',
			...common,
			verdict: 'suspicious',
			userAccount: {
				accountName,
				domainName: 'CONTOSO',
				userSid: `S-1-5-21-1004336348-1177238915-682003330-${1100 + USERS.findIndex((u) => u[0] === accountName)}`,
				azureAdUserId: digest(`user:${accountName}`, 'sha1').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
				userPrincipalName: `${accountName}@contoso.com`,
				displayName,
			},
		},
		{
			'@odata.type': '#microsoft.graph.security.ipEvidence',
			...common,
			verdict: 'suspicious',
			ipAddress,
			countryLetterCode: 'NL',
		},
		{
			'@odata.type': '#microsoft.graph.security.urlEvidence',
			...common,
			verdict: 'malicious',
			url,
		},
	];
}

module.exports = { makeEvidence };
