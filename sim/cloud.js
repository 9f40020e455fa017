// @ts-check
'use strict';

/**
 * Simulated Microsoft cloud: Entra ID (login, entra/), the managed-identity endpoint (identity/), Microsoft Graph
 * security v1.0 (graph/) and the Defender for Endpoint API (mde/), as real HTTP(S) servers on 127.0.0.1
 * (server.js). This class holds their state and is the public object API (README.md, index.d.ts); what each
 * method does is in the service's folder.
 */

const crypto = require('crypto');
const { getProcessCertificates, trustCa } = require('./certs');
const { listen, closeServers } = require('./server');
const { DEFAULT_PUBLIC_CLIENT_ID, SIM_USER, registerApp, registerDefaultApps } = require('./entra/apps');
const tokens = require('./entra/tokens');
const deviceCodes = require('./entra/deviceCode');
const { defaultManagedIdentities } = require('./identity/identities');
const incidents = require('./graph/incidents');
const { alertStore } = require('./graph/alerts');
const { HuntingData } = require('./graph/huntingTables');
const { MdeSimulation, MDE_PUBLIC_CLIENT_ID, SEED_MACHINE_IDS } = require('./mde');

/**
 * @typedef {import('./entra/apps').AppRegistration} AppRegistration
 * @typedef {import('./identity/identities').ManagedIdentity} ManagedIdentity
 * @typedef {{ server: 'login' | 'graph' | 'identity' | 'mde', method: string, path: string, query: Record<string, string>, headers: Record<string, any>, body: string, status: number, time: number }} LoggedRequest
 * @typedef {{ server?: 'login' | 'graph' | 'identity' | 'mde', method?: string, path?: RegExp | string, status?: number, retryAfter?: string | number, body?: 'html' | 'malformed' | Record<string, any> | string, headers?: Record<string, string>, delayMs?: number, hang?: boolean, trickleMs?: number, times?: number }} FaultSpec
 * @typedef {{
 *   cloud: SimCloud, server: 'login' | 'graph' | 'identity' | 'mde', req: import('http').IncomingMessage, res: import('http').ServerResponse,
 *   method: string, path: string, query: URLSearchParams, headers: import('http').IncomingHttpHeaders, body: string, requestId: string,
 *   principal?: any, entry?: LoggedRequest,
 *   send: (status: number, obj: any, headers?: Record<string, string>) => void,
 *   sendRaw: (status: number, text: string, headers?: Record<string, string>) => void,
 * }} RequestContext
 * @typedef {{
 *   pageSize?: number, alertPageSize?: number, accessTokenLifetimeSec?: number, latencyMs?: number, incidents?: number, seed?: number,
 *   ports?: { login?: number, graph?: number, identity?: number, mde?: number }, mdeMachines?: boolean, tenantId?: string, deviceCodeIntervalSec?: number,
 *   deviceCodeLifetimeSec?: number, publicClientIds?: string[], trustCa?: boolean,
 * }} SimOptions
 */

/** @param {any} v */
const clone = (v) => JSON.parse(JSON.stringify(v));

class SimCloud {
	/** @param {SimOptions} options */
	constructor(options = {}) {
		this.options = {
			pageSize: options.pageSize || 50,
			/** Graph's largest alerts_v2 page (see sim/README.md) */
			alertPageSize: options.alertPageSize || 2000,
			accessTokenLifetimeSec: options.accessTokenLifetimeSec || 3600,
			latencyMs: options.latencyMs || 0,
			deviceCodeIntervalSec: options.deviceCodeIntervalSec !== undefined ? options.deviceCodeIntervalSec : 5,
			deviceCodeLifetimeSec: options.deviceCodeLifetimeSec || 900,
			seed: options.seed !== undefined ? options.seed : 1,
		};
		// ---- core (server.js, faults.js): certificates, endpoints (set by startSimulatedCloud), request log, faults
		const certs = getProcessCertificates();
		this._certs = certs;
		this._signingKey = certs.signing;
		this.caCertPem = certs.ca.certPem;
		this.caCertPath = certs.caCertPath;
		this.startedAt = Date.now();
		this.authorityHost = '';
		this.graphEndpoint = '';
		/** the Defender for Endpoint API origin, also its token audience */
		this.mdeEndpoint = '';
		this.identityEndpoint = '';
		/** for AZURE_POD_IDENTITY_AUTHORITY_HOST: the IMDS shape (/metadata/identity/oauth2/token) on the identity server */
		this.imdsHost = '';
		/** @type {(Required<Pick<FaultSpec, 'times'>> & FaultSpec)[]} */
		this._faults = [];
		/** @type {LoggedRequest[]} */
		this.requests = [];
		/** @type {Record<string, import('http').Server>} */
		this._servers = {};

		// ---- Entra ID (entra/): the tenant, its apps and public clients, the user, tokens, device codes
		this.tenantId = options.tenantId || 'a3c8f1d2-5b7e-4c19-9e0f-6d2b8a4c7e51';
		this.tenantDomain = 'simcontoso.onmicrosoft.com';
		this.tenantDisplayName = 'Simulated Contoso';
		/** @type {Map<string, AppRegistration>} */
		this._apps = new Map();
		/** a self-registered public client with the Defender for Endpoint delegated permissions consented */
		this.mdePublicClientId = MDE_PUBLIC_CLIENT_ID;
		this.publicClientIds = new Set([DEFAULT_PUBLIC_CLIENT_ID, MDE_PUBLIC_CLIENT_ID, ...(options.publicClientIds || [])]);
		this.publicClientId = DEFAULT_PUBLIC_CLIENT_ID;
		/** public clients whose token answers carry foci: "1", as Entra does for Microsoft's first-party family apps */
		this.familyClientIds = new Set([DEFAULT_PUBLIC_CLIENT_ID]);
		this.apps = registerDefaultApps(this);
		this.user = { ...SIM_USER };
		/** @type {Map<string, { accessToken: string, expiresAtMs: number, expired: boolean, kind: string, clientId: string }>} every access token issued, by uti */
		this.accessTokens = new Map();
		/** @type {Map<string, { clientId: string, scopes: string[], oidc: string[], issuedAt: number, expiresAt: number, revoked: boolean, revokedAt?: number }>} */
		this.refreshTokens = new Map();
		/** @type {Map<string, import('./entra/deviceCode').DeviceCode>} */
		this.deviceCodes = new Map();

		// ---- managed identity (identity/)
		this.identityHeader = crypto.randomBytes(16).toString('hex');
		this._managedIdentities = defaultManagedIdentities();
		this.identities = { system: this._managedIdentities[0], userAssigned: this._managedIdentities[1] };

		// ---- Graph (graph/): incidents holding their alerts, hunting tables, the rate limit
		/** @type {Record<string, any>[]} */
		this._incidents = [];
		this._nextIncidentId = 1001;
		this._hunting = new HuntingData(this.startedAt);
		/** @type {{ requests: number, windowMs: number } | null} */
		this._rateLimit = null;
		/** @type {number[]} */
		this._rateWindow = [];
		const seedCount = options.incidents !== undefined ? options.incidents : 20;
		for (let k = 0; k < seedCount; k++) {
			// Seeded incidents: one every 3 hours going back from now, oldest first.
			this.createIncident({ createdDateTime: new Date(this.startedAt - (seedCount - k) * 3 * 3600 * 1000).toISOString() });
		}

		// ---- Defender for Endpoint (mde/)
		this.mde = new MdeSimulation({ machines: options.mdeMachines });
	}

	// ------------------------------------------------------------ Entra: apps, tokens, device codes

	/** @param {{ roles?: string[], secret?: boolean | string, certificate?: boolean | string, clientId?: string, displayName?: string }} opts */
	registerApp(opts = {}) {
		return registerApp(this, opts);
	}
	/** @param {string} [clientId] */
	registerPublicClient(clientId) {
		const id = clientId || crypto.randomUUID();
		this.publicClientIds.add(id);
		return id;
	}
	expireAccessTokens() {
		tokens.expireAccessTokens(this);
	}
	revokeRefreshTokens() {
		tokens.revokeRefreshTokens(this);
	}
	expireRefreshTokens() {
		tokens.expireRefreshTokens(this);
	}
	/** @param {number} sec */
	setAccessTokenLifetime(sec) {
		this.options.accessTokenLifetimeSec = sec;
	}
	/** @param {string} [userCode] newest pending code when omitted */
	approveDeviceCode(userCode) {
		return deviceCodes.approveDeviceCode(this, userCode);
	}
	/** @param {string} [userCode] */
	declineDeviceCode(userCode) {
		return deviceCodes.declineDeviceCode(this, userCode);
	}
	expireDeviceCodes() {
		deviceCodes.expireDeviceCodes(this);
	}
	deviceCodeList() {
		return deviceCodes.deviceCodeList(this);
	}

	// ------------------------------------------------------------ Graph: incidents, alerts, hunting

	/** @param {Record<string, any>} [partial] */
	createIncident(partial = {}) {
		return clone(incidents.createIncident(this, partial));
	}
	/** @param {number} n @param {Record<string, any>} [partial] */
	createIncidents(n, partial = {}) {
		return Array.from({ length: n }, () => this.createIncident(partial));
	}
	/** @param {string | number} id the live object */
	getIncident(id) {
		return this._incidents.find((i) => i.id === String(id));
	}
	/** Current incidents, newest first (copies). */
	get incidents() {
		return incidents.sortedIncidents(this).map(clone);
	}
	/** As an analyst in the portal would (any property; `comment` adds a comment); moves lastUpdateDateTime. @param {string | number} id @param {Record<string, any>} changes */
	updateIncidentAsPortal(id, changes) {
		incidents.assertGraphEnums(changes);
		return clone(incidents.applyIncidentUpdate(this, String(id), changes, this.user.userPrincipalName));
	}
	/** @param {Record<string, any>} [partial] any alert property; `incidentId` adds it to that incident, else a new incident holds it */
	createAlert(partial = {}) {
		return alertStore(this).create(partial);
	}
	/** @param {number} n @param {Record<string, any>} [partial] */
	createAlerts(n, partial = {}) {
		return Array.from({ length: n }, () => this.createAlert(partial));
	}
	/** @param {string} id the live object */
	getAlert(id) {
		return alertStore(this).get(String(id));
	}
	/** Current alerts, newest first (copies). */
	get alerts() {
		return clone(alertStore(this).all());
	}
	/** As an analyst in the portal would (any property; `comment` adds one); moves lastUpdateDateTime. @param {string} id @param {Record<string, any>} changes */
	updateAlertAsPortal(id, changes) {
		return clone(alertStore(this).update(String(id), changes, this.user.userPrincipalName));
	}
	/** @param {string} table @param {number} n */
	setHuntingRows(table, n) {
		this._hunting.setRows(table, n);
	}
	/** Graph answers 429 + Retry-After above the limit (graph/routes.js). @param {{ requests: number, windowMs: number } | null} limit */
	setRateLimit(limit) {
		this._rateLimit = limit;
		this._rateWindow = [];
	}

	// ------------------------------------------------------------ core: faults, latency, log, info

	/** @param {FaultSpec} spec */
	injectFault(spec) {
		this._faults.push({ ...spec, times: spec.times === undefined ? 1 : spec.times });
	}
	clearFaults() {
		this._faults = [];
	}
	/** @param {number} ms */
	setLatency(ms) {
		this.options.latencyMs = ms;
	}
	clearRequests() {
		this.requests.length = 0;
	}
	counts() {
		const c = { login: 0, token: 0, deviceCode: 0, graph: 0, identity: 0, mde: 0, total: this.requests.length };
		for (const r of this.requests) {
			c[r.server]++;
			if (r.server === 'login' && r.path.endsWith('/oauth2/v2.0/token')) c.token++;
			if (r.server === 'login' && r.path.endsWith('/oauth2/v2.0/devicecode')) c.deviceCode++;
		}
		return c;
	}

	/** Everything a client needs to connect (includes secrets: for tests and the demo only). */
	info() {
		return {
			authorityHost: this.authorityHost,
			graphEndpoint: this.graphEndpoint,
			mdeEndpoint: this.mdeEndpoint,
			identityEndpoint: this.identityEndpoint,
			identityHeader: this.identityHeader,
			imdsHost: this.imdsHost,
			caCertPath: this.caCertPath,
			caCertPem: this.caCertPem,
			tenantId: this.tenantId,
			tenantDomain: this.tenantDomain,
			apps: this.apps,
			publicClientId: this.publicClientId,
			publicClientIds: [...this.publicClientIds],
			mdePublicClientId: this.mdePublicClientId,
			identities: { system: { clientId: this.identities.system.clientId, roles: this.identities.system.roles }, userAssigned: { clientId: this.identities.userAssigned.clientId, resourceId: this.identities.userAssigned.resourceId, roles: this.identities.userAssigned.roles } },
			user: { userPrincipalName: this.user.userPrincipalName, displayName: this.user.displayName, scopes: this.user.scopes },
			pageSize: this.options.pageSize,
			alertPageSize: this.options.alertPageSize,
			accessTokenLifetimeSec: this.options.accessTokenLifetimeSec,
		};
	}

	/** Makes this process trust the sim's CA (see certs.js trustCa). */
	trustCa() {
		trustCa(this.caCertPem);
	}

	async stop() {
		await closeServers(this);
	}
}

/**
 * Starts the simulated cloud.
 * @param {SimOptions} [options]
 */
async function startSimulatedCloud(options = {}) {
	const cloud = new SimCloud(options);
	const ports = options.ports || {};
	try {
		const loginPort = await listen(cloud, 'login', ports.login || 0);
		const graphPort = await listen(cloud, 'graph', ports.graph || 0);
		const identityPort = await listen(cloud, 'identity', ports.identity || 0);
		const mdePort = await listen(cloud, 'mde', ports.mde || 0);
		cloud.mdeEndpoint = `https://127.0.0.1:${mdePort}`;
		cloud.authorityHost = `https://127.0.0.1:${loginPort}`;
		cloud.graphEndpoint = `https://127.0.0.1:${graphPort}`;
		cloud.identityEndpoint = `http://127.0.0.1:${identityPort}/msi/token`;
		cloud.imdsHost = `http://127.0.0.1:${identityPort}`;
	} catch (e) {
		await cloud.stop();
		throw e;
	}
	if (options.trustCa) cloud.trustCa();
	return cloud;
}

module.exports = { startSimulatedCloud, SimCloud, trustCa, DEFAULT_PUBLIC_CLIENT_ID, SEED_MACHINE_IDS };
