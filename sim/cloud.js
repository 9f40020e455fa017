// @ts-check
'use strict';

/**
 * Simulated Microsoft cloud: Entra ID (login), App Service managed identity (identity) and Microsoft Graph
 * security v1.0 (graph), as real HTTP(S) servers on 127.0.0.1. See README.md for the API.
 */

const crypto = require('crypto');
const http = require('http');
const https = require('https');
const tls = require('tls');
const { getProcessCertificates, getCachedClientCertificate, makeClientCertificate, certificateThumbprints } = require('./certs');
const { signJwt, guid, readBody, sleep } = require('./util');
const { handleLogin } = require('./login');
const { handleGraph, graphError } = require('./graph');
const { handleIdentity } = require('./identity');
const { handleControl } = require('./control');
const { makeIncident, graphDate } = require('./incidents');
const { validateEnumValue } = require('./graphSchema');
const { alertStore } = require('./alerts');
const { HuntingData } = require('./kql');
const { MdeSimulation, MDE_PUBLIC_CLIENT_ID, SEED_MACHINE_IDS } = require('./mde');
const { handleMde, mdeError } = require('./mde/routes');
const { MDE_APP_ROLES, isMdePermission } = require('./mde/permissions');

const DEFAULT_PUBLIC_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
const DAY = 24 * 3600 * 1000;
/** The request log keeps the newest entries only (long demo runs). */
const MAX_LOGGED_REQUESTS = 50000;

/**
 * @typedef {{ clientId: string, displayName: string, roles: string[], secret?: string, certificates: { sha1: string, sha256: string, publicKey: crypto.KeyObject }[], certificatePem?: string, servicePrincipalId: string }} AppRegistration
 * @typedef {{ kind: 'system' | 'userAssigned', clientId: string, objectId: string, resourceId: string, displayName: string, roles: string[], enabled: boolean }} ManagedIdentity
 * @typedef {{ server: 'login' | 'graph' | 'identity' | 'mde', method: string, path: string, query: Record<string, string>, headers: Record<string, any>, body: string, status: number, time: number }} LoggedRequest
 * @typedef {{ server?: 'login' | 'graph' | 'identity' | 'mde', method?: string, path?: RegExp | string, status?: number, retryAfter?: string | number, body?: 'html' | 'malformed' | Record<string, any> | string, headers?: Record<string, string>, delayMs?: number, hang?: boolean, trickleMs?: number, times?: number }} FaultSpec
 * @typedef {{
 *   cloud: SimCloud, server: 'login' | 'graph' | 'identity' | 'mde', req: http.IncomingMessage, res: http.ServerResponse,
 *   method: string, path: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, body: string, requestId: string,
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

// Kept on the process-wide tls module so jest's per-file module resets do not wrap createSecureContext twice.
const TRUST_KEY = Symbol.for('n8n-nodes-microsoft-365-defender.sim.trust');

/**
 * Makes this process trust a CA for every TLS client connection that does not pass its own `ca`
 * (node:https with any agent, fetch/undici, @azure/identity, msal-node). NODE_EXTRA_CA_CERTS is only read at
 * process start, so this patches tls.createSecureContext instead.
 * @param {string} caPem
 */
function trustCa(caPem) {
	const holder = /** @type {any} */ (tls);
	if (holder[TRUST_KEY]) {
		holder[TRUST_KEY].add(caPem);
		return;
	}
	/** @type {Set<string>} */
	const trustedCas = new Set([caPem]);
	holder[TRUST_KEY] = trustedCas;
	const original = tls.createSecureContext;
	/** @type {any} */ (tls).createSecureContext = function createSecureContext(/** @type {any} */ options) {
		const context = original.call(this, options);
		if (!options || !options.ca) {
			for (const pem of trustedCas) context.context.addCACert(pem);
		}
		return context;
	};
}

function entraSecret() {
	// Entra client secret values look like "abc8Q~<34 chars>".
	return crypto.randomBytes(3).toString('base64url').slice(0, 3) + '8Q~' + crypto.randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 37);
}

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
		const certs = getProcessCertificates();
		this._certs = certs;
		this._signingKey = certs.signing;
		this.caCertPem = certs.ca.certPem;
		this.caCertPath = certs.caCertPath;
		this.tenantId = options.tenantId || 'a3c8f1d2-5b7e-4c19-9e0f-6d2b8a4c7e51';
		this.tenantDomain = 'simcontoso.onmicrosoft.com';
		this.tenantDisplayName = 'Simulated Contoso';
		this.startedAt = Date.now();
		this.authorityHost = '';
		this.graphEndpoint = '';
		/** the Defender for Endpoint API origin, also its token audience */
		this.mdeEndpoint = '';
		this.identityEndpoint = '';
		/** for AZURE_POD_IDENTITY_AUTHORITY_HOST: the IMDS shape (/metadata/identity/oauth2/token) on the identity server */
		this.imdsHost = '';
		this.identityHeader = crypto.randomBytes(16).toString('hex');

		/** @type {Map<string, AppRegistration>} */
		this._apps = new Map();
		this.mde = new MdeSimulation({ machines: options.mdeMachines });
		/** a self-registered public client with the Defender for Endpoint delegated permissions consented */
		this.mdePublicClientId = MDE_PUBLIC_CLIENT_ID;
		this.publicClientIds = new Set([DEFAULT_PUBLIC_CLIENT_ID, MDE_PUBLIC_CLIENT_ID, ...(options.publicClientIds || [])]);
		this.publicClientId = DEFAULT_PUBLIC_CLIENT_ID;
		/** public clients whose token answers carry foci: "1", as Entra does for Microsoft's first-party family apps */
		this.familyClientIds = new Set([DEFAULT_PUBLIC_CLIENT_ID]);
		const cert = getCachedClientCertificate('sim-certificate-app');
		this.apps = {
			secret: this.registerApp({ clientId: '6f1a2b3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c', displayName: 'Defender automation (secret)', roles: ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All', ...MDE_APP_ROLES], secret: true }),
			certificate: this.registerApp({ clientId: '7a2b3c4d-1e5f-4a6b-9c7d-8e9f0a1b2c3d', displayName: 'Defender automation (certificate)', roles: ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All', ...MDE_APP_ROLES], certificate: cert.pem }),
			readOnly: this.registerApp({ clientId: '8b3c4d5e-2f6a-4b7c-8d8e-9f0a1b2c3d4e', displayName: 'Defender reader', roles: ['SecurityIncident.Read.All', 'SecurityAlert.Read.All'], secret: true }),
		};
		/** @type {ManagedIdentity[]} */
		this._managedIdentities = [
			{ kind: 'system', clientId: '9c4d5e6f-3a7b-4c8d-9e9f-0a1b2c3d4e5f', objectId: guid(), resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sim/providers/Microsoft.Web/sites/sim-n8n', displayName: 'sim-n8n', roles: ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All', ...MDE_APP_ROLES], enabled: true },
			{ kind: 'userAssigned', clientId: 'ad5e6f7a-4b8c-4d9e-8f0a-1b2c3d4e5f6a', objectId: guid(), resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sim/providers/Microsoft.ManagedIdentity/userAssignedIdentities/sim-uami', displayName: 'sim-uami', roles: ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All', ...MDE_APP_ROLES], enabled: true },
		];
		this.identities = {
			system: this._managedIdentities[0],
			userAssigned: this._managedIdentities[1],
		};
		this.user = {
			oid: 'be6f7a8b-5c9d-4e0f-9a1b-2c3d4e5f6a7b',
			userPrincipalName: 'soc.analyst@simcontoso.onmicrosoft.com',
			displayName: 'SOC Analyst',
			scopes: ['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All'],
		};

		/** @type {Map<string, { expiresAtMs: number, expired: boolean, kind: string, clientId: string }>} */
		this.accessTokens = new Map();
		/** @type {Map<string, { clientId: string, scopes: string[], oidc: string[], issuedAt: number, expiresAt: number, revoked: boolean, revokedAt?: number }>} */
		this.refreshTokens = new Map();
		/** @type {Map<string, { deviceCode: string, userCode: string, clientId: string, scopes: string[], oidc: string[], createdAt: number, expiresAt: number, status: 'pending' | 'approved' | 'declined' | 'redeemed', polls: number }>} */
		this.deviceCodes = new Map();

		/** @type {Record<string, any>[]} */
		this._incidents = [];
		this._nextIncidentId = 1001;
		this._hunting = new HuntingData(this.startedAt);

		/** @type {(Required<Pick<FaultSpec, 'times'>> & FaultSpec)[]} */
		this._faults = [];
		/** @type {{ requests: number, windowMs: number } | null} */
		this._rateLimit = null;
		/** @type {number[]} */
		this._rateWindow = [];
		/** @type {LoggedRequest[]} */
		this.requests = [];
		/** @type {Record<string, http.Server>} */
		this._servers = {};

		const seedCount = options.incidents !== undefined ? options.incidents : 20;
		for (let k = 0; k < seedCount; k++) {
			// Seeded incidents: one every 3 hours going back from now, oldest first.
			this.createIncident({ createdDateTime: new Date(this.startedAt - (seedCount - k) * 3 * 3600 * 1000).toISOString() });
		}
	}

	// ------------------------------------------------------------ registry

	/**
	 * Registers a confidential client app. `secret: true` generates a secret; `certificate: true` generates a
	 * certificate; a string is used as given (certificate: PEM with the CERTIFICATE block, private key optional).
	 * @param {{ roles?: string[], secret?: boolean | string, certificate?: boolean | string, clientId?: string, displayName?: string }} opts
	 */
	registerApp(opts = {}) {
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
		this._apps.set(clientId, app);
		/** @type {{ clientId: string, roles: string[], clientSecret?: string, certificatePem?: string, thumbprint?: string }} */
		const view = { clientId, roles: app.roles };
		if (secret) view.clientSecret = secret;
		if (certificatePem) {
			view.certificatePem = certificatePem;
			view.thumbprint = Buffer.from(app.certificates[0].sha1, 'base64url').toString('hex').toUpperCase();
		}
		return view;
	}

	/** @param {string} [clientId] */
	registerPublicClient(clientId) {
		const id = clientId || guid();
		this.publicClientIds.add(id);
		return id;
	}

	/** @param {string} clientId */
	_getApp(clientId) {
		return this._apps.get(clientId);
	}

	// ------------------------------------------------------------ tokens

	/** @param {Record<string, any>} payload */
	_sign(payload) {
		return signJwt(payload, this._signingKey);
	}

	/**
	 * `aud` defaults to Graph; app roles are those of that audience's API only, as in Entra's `roles` claim.
	 * @param {{ kind: 'app' | 'user', aud?: string, clientId: string, appDisplayName?: string, roles?: string[], scp?: string[], acr: string, oid?: string, managedIdentity?: boolean }} o
	 */
	_issueAccessToken(o) {
		const now = Math.floor(Date.now() / 1000);
		const lifetime = this.options.accessTokenLifetimeSec;
		const uti = crypto.randomBytes(16).toString('base64url');
		const iss = `https://sts.windows.net/${this.tenantId}/`;
		/** @type {Record<string, any>} */
		const payload = {
			aud: o.aud || this.graphEndpoint,
			iss,
			iat: now,
			nbf: now,
			exp: now + lifetime,
			aio: crypto.randomBytes(24).toString('base64url'),
			app_displayname: o.appDisplayName || 'Microsoft Graph Command Line Tools',
			appid: o.clientId,
			appidacr: o.acr,
			idp: iss,
			idtyp: o.kind,
			rh: '0.sim.',
			tid: this.tenantId,
			uti,
			ver: '1.0',
			xms_tcdt: Math.floor(this.startedAt / 1000) - 86400 * 400,
		};
		if (o.kind === 'app') {
			payload.oid = o.oid || guid();
			payload.sub = payload.oid;
			const forMde = payload.aud === this.mdeEndpoint;
			payload.roles = (o.roles || []).filter((r) => isMdePermission(r) === forMde);
			if (o.managedIdentity) payload.xms_mirid = '/subscriptions/00000000-0000-0000-0000-000000000000/sim';
		} else {
			payload.scp = (o.scp || []).join(' ');
			payload.oid = this.user.oid;
			payload.sub = crypto.createHash('sha256').update(this.user.oid + o.clientId).digest('base64url').slice(0, 43);
			payload.upn = this.user.userPrincipalName;
			payload.unique_name = this.user.userPrincipalName;
			payload.name = this.user.displayName;
			payload.amr = ['pwd', 'mfa'];
		}
		const accessToken = this._sign(payload);
		const expiresAtMs = (now + lifetime) * 1000;
		this.accessTokens.set(uti, { expiresAtMs, expired: false, kind: o.kind, clientId: o.clientId });
		return { accessToken, expiresIn: lifetime, expiresAtMs };
	}

	/** @param {{ clientId: string, scopes: string[], oidc: string[] }} o */
	_issueRefreshToken(o) {
		const token = '1.AXkA' + crypto.randomBytes(96).toString('base64url');
		this.refreshTokens.set(token, { ...o, issuedAt: Date.now(), expiresAt: Date.now() + 90 * DAY, revoked: false });
		return token;
	}

	/** Every access token issued so far is refused by Graph from now on (401 InvalidAuthenticationToken). */
	expireAccessTokens() {
		for (const t of this.accessTokens.values()) t.expired = true;
	}
	/** Every refresh token issued so far is revoked (invalid_grant AADSTS50173). */
	revokeRefreshTokens() {
		const now = Date.now();
		for (const t of this.refreshTokens.values()) {
			t.revoked = true;
			t.revokedAt = now;
		}
	}
	/** Every refresh token issued so far has expired (invalid_grant AADSTS700082). */
	expireRefreshTokens() {
		for (const t of this.refreshTokens.values()) t.expiresAt = Date.now() - 1;
	}
	/** @param {number} sec */
	setAccessTokenLifetime(sec) {
		this.options.accessTokenLifetimeSec = sec;
	}

	// ------------------------------------------------------------ device codes

	/** @param {string} clientId @param {string[]} scopes @param {string[]} oidc */
	_startDeviceCode(clientId, scopes, oidc) {
		const letters = 'BCDFGHJKLMNPQRSTVWXZ';
		let userCode = '';
		do {
			const b = crypto.randomBytes(8);
			const chars = Array.from(b, (x) => letters[x % letters.length]);
			userCode = chars.slice(0, 4).join('') + '-' + chars.slice(4).join('');
		} while ([...this.deviceCodes.values()].some((d) => d.userCode === userCode));
		const dc = {
			deviceCode: 'DAQABIQEAAA' + crypto.randomBytes(64).toString('base64url'),
			userCode,
			clientId,
			scopes,
			oidc,
			createdAt: Date.now(),
			expiresAt: Date.now() + this.options.deviceCodeLifetimeSec * 1000,
			status: /** @type {'pending'} */ ('pending'),
			polls: 0,
		};
		this.deviceCodes.set(dc.deviceCode, dc);
		return dc;
	}

	/** @param {string | undefined} userCode */
	_findPendingDeviceCode(userCode) {
		const now = Date.now();
		const pending = [...this.deviceCodes.values()].filter((d) => d.status === 'pending' && d.expiresAt > now);
		if (!userCode) {
			const newest = pending.sort((a, b) => b.createdAt - a.createdAt)[0];
			if (!newest) throw new Error('There is no pending device code sign-in.');
			return newest;
		}
		const norm = (/** @type {string} */ s) => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
		const found = [...this.deviceCodes.values()].find((d) => norm(d.userCode) === norm(userCode));
		if (!found) throw new Error(`The code '${userCode}' is not valid. Check the code and try again.`);
		if (found.expiresAt <= now) throw new Error(`The code '${userCode}' has expired. Go back to the app and request a new code.`);
		if (found.status !== 'pending') throw new Error(`The code '${userCode}' was already used.`);
		return found;
	}

	/** Approves a device-code sign-in as the sim's user (newest pending one when no code is given). @param {string} [userCode] */
	approveDeviceCode(userCode) {
		const dc = this._findPendingDeviceCode(userCode);
		dc.status = 'approved';
		return { userCode: dc.userCode, clientId: dc.clientId };
	}
	/** @param {string} [userCode] */
	declineDeviceCode(userCode) {
		const dc = this._findPendingDeviceCode(userCode);
		dc.status = 'declined';
		return { userCode: dc.userCode, clientId: dc.clientId };
	}
	expireDeviceCodes() {
		for (const d of this.deviceCodes.values()) d.expiresAt = Date.now() - 1;
	}
	/** Device codes handed out so far (newest first), without the device_code secret. */
	deviceCodeList() {
		return [...this.deviceCodes.values()]
			.sort((a, b) => b.createdAt - a.createdAt)
			.map((d) => ({ userCode: d.userCode, clientId: d.clientId, status: d.status, polls: d.polls, expiresAt: new Date(d.expiresAt).toISOString() }));
	}

	// ------------------------------------------------------------ incidents

	/** @param {Record<string, any>} [partial] */
	createIncident(partial = {}) {
		assertGraphEnums(partial);
		const id = partial.id ? String(partial.id) : String(this._nextIncidentId++);
		const incident = makeIncident({ id, tenantId: this.tenantId, createdMs: Date.now(), seed: this.options.seed * 100003 + Number(id), partial });
		this._incidents.push(incident);
		return clone(incident);
	}
	/** @param {number} n @param {Record<string, any>} [partial] */
	createIncidents(n, partial = {}) {
		return Array.from({ length: n }, () => this.createIncident(partial));
	}
	/** @param {string | number} id */
	getIncident(id) {
		return this._incidents.find((i) => i.id === String(id));
	}
	/** Current incidents, newest first (copies). */
	get incidents() {
		return this._sortedIncidents().map(clone);
	}
	_sortedIncidents() {
		return this._incidents.slice().sort((a, b) => {
			if (a.createdDateTime !== b.createdDateTime) return a.createdDateTime < b.createdDateTime ? 1 : -1;
			return Number(b.id) - Number(a.id);
		});
	}
	/** A new lastUpdateDateTime: now, but always later than the previous one. @param {Record<string, any>} incident */
	_nextUpdateTime(incident) {
		const prev = Date.parse(incident.lastUpdateDateTime) || 0;
		return graphDate(Math.max(Date.now(), prev + 1));
	}
	/** @param {string} id @param {Record<string, any>} changes @param {string} by */
	_applyIncidentUpdate(id, changes, by) {
		const incident = this.getIncident(id);
		if (!incident) throw new Error(`Incident ${id} not found`);
		for (const [k, v] of Object.entries(changes)) {
			if (k.startsWith('@odata.') || k === 'id' || k === 'comment') continue;
			incident[k] = k === 'customTags' ? [...v] : v;
		}
		if (typeof changes.comment === 'string') {
			incident.comments.push({ '@odata.type': 'microsoft.graph.security.alertComment', comment: changes.comment, createdByDisplayName: by, createdDateTime: graphDate(Date.now()) });
		}
		incident.lastModifiedBy = by;
		incident.lastUpdateDateTime = this._nextUpdateTime(incident);
		return incident;
	}
	/**
	 * Changes an incident the way an analyst in the portal would (any property; `comment` adds a comment);
	 * moves lastUpdateDateTime.
	 * @param {string | number} id @param {Record<string, any>} changes
	 */
	updateIncidentAsPortal(id, changes) {
		assertGraphEnums(changes);
		return clone(this._applyIncidentUpdate(String(id), changes, this.user.userPrincipalName));
	}

	// ------------------------------------------------------------ alerts (sim/alerts.js; they live inside their incidents)

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
	/** Changes an alert as an analyst in the portal would (any property; `comment` adds one); moves lastUpdateDateTime. @param {string} id @param {Record<string, any>} changes */
	updateAlertAsPortal(id, changes) {
		return clone(alertStore(this).update(String(id), changes, this.user.userPrincipalName));
	}

	// ------------------------------------------------------------ hunting

	/** @param {string} table @param {number} n */
	setHuntingRows(table, n) {
		this._hunting.setRows(table, n);
	}

	// ------------------------------------------------------------ faults, rate limit, latency, log

	/** @param {FaultSpec} spec */
	injectFault(spec) {
		this._faults.push({ ...spec, times: spec.times === undefined ? 1 : spec.times });
	}
	clearFaults() {
		this._faults = [];
	}
	/** @param {{ requests: number, windowMs: number } | null} limit */
	setRateLimit(limit) {
		this._rateLimit = limit;
		this._rateWindow = [];
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

	/** Makes this process trust the sim's CA (see trustCa). */
	trustCa() {
		trustCa(this.caCertPem);
	}

	// ------------------------------------------------------------ servers

	/**
	 * @param {'login' | 'graph' | 'identity' | 'mde'} kind
	 * @param {number} port
	 */
	async _listen(kind, port) {
		/** @type {http.RequestListener} */
		const listener = (req, res) => {
			this._handle(kind, req, res).catch((e) => {
				if (!res.headersSent) {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ error: { code: 'InternalServerError', message: `Simulator error: ${e && e.message}` } }));
				}
			});
		};
		const server =
			kind === 'identity'
				? http.createServer(listener)
				: https.createServer({ key: this._certs.server.keyPem, cert: this._certs.server.certPem + this._certs.ca.certPem }, listener);
		server.keepAliveTimeout = 5000;
		await new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve(undefined));
		});
		this._servers[kind] = server;
		const addr = /** @type {import('net').AddressInfo} */ (server.address());
		return addr.port;
	}

	/**
	 * @param {'login' | 'graph' | 'identity' | 'mde'} kind
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async _handle(kind, req, res) {
		const body = await readBody(req);
		const url = new URL(req.url || '/', 'http://x');
		const requestId = guid();
		/** @type {RequestContext} */
		const ctx = {
			cloud: this,
			server: kind,
			req,
			res,
			method: String(req.method),
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body,
			requestId,
			send: (status, obj, headers) => {
				const text = JSON.stringify(obj);
				ctx.sendRaw(status, text, { 'content-type': 'application/json; charset=utf-8', ...(headers || {}) });
			},
			sendRaw: (status, text, headers) => {
				if (ctx.entry) ctx.entry.status = status;
				if (res.headersSent || res.destroyed) return;
				res.writeHead(status, {
					'request-id': requestId,
					'client-request-id': String(req.headers['client-request-id'] || requestId),
					'x-ms-request-id': requestId,
					'cache-control': 'no-store, no-cache',
					...(headers || {}),
				});
				res.end(text);
			},
		};
		if ((kind === 'graph' || kind === 'mde') && (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/'))) {
			return handleControl(this, ctx);
		}
		/** @type {LoggedRequest} */
		const entry = {
			server: kind,
			method: ctx.method,
			path: ctx.path,
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			body,
			status: 0,
			time: Date.now(),
		};
		ctx.entry = entry;
		this.requests.push(entry);
		if (this.requests.length > MAX_LOGGED_REQUESTS) this.requests.splice(0, this.requests.length - MAX_LOGGED_REQUESTS);
		if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);

		const fault = this._takeFault(kind, ctx.method, ctx.path, url.pathname + url.search);
		if (fault) {
			if (fault.delayMs) await sleep(fault.delayMs);
			if (fault.hang) {
				entry.status = -1;
				return; // never answered; the socket is destroyed by stop() or by the client's timeout
			}
			if (fault.trickleMs) {
				// 200 at once, then one body byte every trickleMs, never complete: only an overall deadline ends it
				entry.status = 200;
				ctx.res.writeHead(200, { 'content-type': 'application/json' });
				ctx.res.write('{"value":[');
				const timer = setInterval(() => ctx.res.write(' '), fault.trickleMs);
				ctx.res.on('close', () => clearInterval(timer));
				return;
			}
			if (fault.status || fault.body !== undefined || fault.retryAfter !== undefined) {
				return this._sendFault(ctx, fault);
			}
		}
		if (kind === 'graph' && this._rateLimit) {
			const now = Date.now();
			const { requests, windowMs } = this._rateLimit;
			this._rateWindow = this._rateWindow.filter((t) => t > now - windowMs);
			if (this._rateWindow.length >= requests) {
				const retryAfter = Math.max(1, Math.ceil((this._rateWindow[0] + windowMs - now) / 1000));
				return graphError(ctx, 429, 'TooManyRequests', 'Too many requests. Please retry after the time given in the Retry-After header.', { 'retry-after': String(retryAfter) });
			}
			this._rateWindow.push(now);
		}
		if (kind === 'login') return handleLogin(this, ctx);
		if (kind === 'graph') return handleGraph(this, ctx);
		if (kind === 'mde') return handleMde(this, ctx);
		return handleIdentity(this, ctx);
	}

	/**
	 * @param {string} server @param {string} method @param {string} path @param {string} fullPath
	 */
	_takeFault(server, method, path, fullPath) {
		const f = this._faults.find(
			(x) =>
				x.times > 0 &&
				(!x.server || x.server === server) &&
				(!x.method || x.method.toUpperCase() === method) &&
				(!x.path || (x.path instanceof RegExp ? x.path.test(fullPath) : path.startsWith(x.path))),
		);
		if (!f) return undefined;
		f.times--;
		return f;
	}

	/** @param {RequestContext} ctx @param {FaultSpec} fault */
	_sendFault(ctx, fault) {
		const status = fault.status || (fault.retryAfter !== undefined ? 429 : 500);
		/** @type {Record<string, string>} */
		const headers = { ...(fault.headers || {}) };
		if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
		if (fault.body === 'html') {
			return ctx.sendRaw(status, `<!DOCTYPE html><html><head><title>${status} Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The service is temporarily unavailable.</p></body></html>`, { 'content-type': 'text/html', ...headers });
		}
		if (fault.body === 'malformed') {
			return ctx.sendRaw(status, '{"error": {"code": "InternalServerError", "message": "trunc', { 'content-type': 'application/json', ...headers });
		}
		if (typeof fault.body === 'string') return ctx.sendRaw(status, fault.body, { 'content-type': 'text/plain', ...headers });
		if (fault.body && typeof fault.body === 'object') return ctx.send(status, fault.body, headers);
		if (ctx.server === 'graph') {
			const codes = /** @type {Record<number, string>} */ ({ 429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout', 401: 'InvalidAuthenticationToken', 403: 'Forbidden', 404: 'NotFound' });
			return graphError(ctx, status, codes[status] || 'UnknownError', status === 429 ? 'Too many requests.' : `Simulated failure (HTTP ${status}).`, headers);
		}
		if (ctx.server === 'mde') {
			const codes = /** @type {Record<number, string>} */ ({ 429: 'TooManyRequests', 500: 'InternalServerError', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' });
			return mdeError(ctx, status, codes[status] || 'InternalServerError', status === 429 ? 'Too many requests.' : `Simulated failure (HTTP ${status}).`, headers);
		}
		if (ctx.server === 'login') {
			const traceId = guid();
			return ctx.send(status, { error: 'temporarily_unavailable', error_description: `AADSTS50196: The server terminated an operation because it encountered a client request loop.\r\nTrace ID: ${traceId}`, error_codes: [50196], timestamp: new Date().toISOString(), trace_id: traceId, correlation_id: guid() }, headers);
		}
		return ctx.send(status, { statusCode: status, message: `Simulated failure (HTTP ${status}).`, correlationId: ctx.requestId }, headers);
	}

	async stop() {
		await Promise.all(
			Object.values(this._servers).map(
				(s) =>
					new Promise((resolve) => {
						s.close(() => resolve(undefined));
						s.closeAllConnections();
					}),
			),
		);
		this._servers = {};
	}
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

/** @param {any} v */
function clone(v) {
	return JSON.parse(JSON.stringify(v));
}

/**
 * Starts the simulated cloud.
 * @param {SimOptions} [options]
 */
async function startSimulatedCloud(options = {}) {
	const cloud = new SimCloud(options);
	const ports = options.ports || {};
	try {
		const loginPort = await cloud._listen('login', ports.login || 0);
		const graphPort = await cloud._listen('graph', ports.graph || 0);
		const identityPort = await cloud._listen('identity', ports.identity || 0);
		const mdePort = await cloud._listen('mde', ports.mde || 0);
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
