// @ts-check
'use strict';

/** The tenant's directory as Entra knows it: app registrations (secret, certificate), public clients, the user. */

const crypto = require('crypto');
const { guid } = require('../util');
const { getCachedClientCertificate, makeClientCertificate, certificateThumbprints } = require('../certs');
const { MDE_APP_ROLES } = require('../mde/permissions');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/**
 * @typedef {{ clientId: string, displayName: string, roles: string[], secret?: string, certificates: { sha1: string, sha256: string, publicKey: crypto.KeyObject }[], certificatePem?: string, servicePrincipalId: string }} AppRegistration
 * @typedef {{ clientId: string, roles: string[], clientSecret?: string, certificatePem?: string, thumbprint?: string }} AppView
 */

/** Microsoft Graph Command Line Tools: a Microsoft "family" public client, the default for device code. */
const DEFAULT_PUBLIC_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
/** Every application permission the sim's own apps and managed identities hold: Graph's and Defender for Endpoint's. */
const ALL_APP_ROLES = ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All', ...MDE_APP_ROLES];

/** The device-code user; Graph delegated scopes consented for it. */
const SIM_USER = {
	oid: 'be6f7a8b-5c9d-4e0f-9a1b-2c3d4e5f6a7b',
	userPrincipalName: 'soc.analyst@simcontoso.onmicrosoft.com',
	displayName: 'SOC Analyst',
	scopes: ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All'],
};

function entraSecret() {
	// Entra client secret values look like "abc8Q~<34 chars>".
	return crypto.randomBytes(3).toString('base64url').slice(0, 3) + '8Q~' + crypto.randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 37);
}

/**
 * Registers a confidential client app. `secret: true` generates a secret; `certificate: true` generates a
 * certificate; a string is used as given (certificate: PEM with the CERTIFICATE block, private key optional).
 * @param {SimCloud} cloud
 * @param {{ roles?: string[], secret?: boolean | string, certificate?: boolean | string, clientId?: string, displayName?: string }} opts
 * @returns {AppView}
 */
function registerApp(cloud, opts = {}) {
	const clientId = opts.clientId || guid();
	const secret = opts.secret === true ? entraSecret() : typeof opts.secret === 'string' ? opts.secret : undefined;
	let certificatePem = typeof opts.certificate === 'string' ? opts.certificate : undefined;
	if (opts.certificate === true) certificatePem = makeClientCertificate(`app-${clientId}`).pem;
	/** @type {AppRegistration} */
	const app = {
		clientId,
		displayName: opts.displayName || `Simulated app ${clientId.slice(0, 8)}`,
		roles: opts.roles || ['SecurityIncident.ReadWrite.All', 'ThreatHunting.Read.All'],
		secret,
		certificatePem,
		certificates: certificatePem ? [certificateThumbprints(certificatePem)] : [],
		servicePrincipalId: guid(),
	};
	cloud._apps.set(clientId, app);
	/** @type {AppView} */
	const view = { clientId, roles: app.roles };
	if (secret) view.clientSecret = secret;
	if (certificatePem) {
		view.certificatePem = certificatePem;
		view.thumbprint = Buffer.from(app.certificates[0].sha1, 'base64url').toString('hex').toUpperCase();
	}
	return view;
}

/** @param {SimCloud} cloud @param {string} clientId @returns {AppRegistration | undefined} */
function getApp(cloud, clientId) {
	return cloud._apps.get(clientId);
}

/** The apps every simulated tenant has (`cloud.apps`). @param {SimCloud} cloud */
function registerDefaultApps(cloud) {
	return {
		secret: registerApp(cloud, { clientId: '6f1a2b3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c', displayName: 'Defender automation (secret)', roles: ALL_APP_ROLES, secret: true }),
		certificate: registerApp(cloud, { clientId: '7a2b3c4d-1e5f-4a6b-9c7d-8e9f0a1b2c3d', displayName: 'Defender automation (certificate)', roles: ALL_APP_ROLES, certificate: getCachedClientCertificate('sim-certificate-app').pem }),
		readOnly: registerApp(cloud, { clientId: '8b3c4d5e-2f6a-4b7c-8d8e-9f0a1b2c3d4e', displayName: 'Defender reader', roles: ['SecurityIncident.Read.All', 'SecurityAlert.Read.All'], secret: true }),
	};
}

module.exports = { DEFAULT_PUBLIC_CLIENT_ID, ALL_APP_ROLES, SIM_USER, registerApp, getApp, registerDefaultApps };
