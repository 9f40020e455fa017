// Types for the simulated Microsoft cloud (sim/index.js). See sim/README.md.

export type SimServer = 'login' | 'graph' | 'identity' | 'mde';

export interface SimOptions {
	pageSize?: number;
	/** alerts_v2 page size (cap for `$top`), default 2000 */
	alertPageSize?: number;
	accessTokenLifetimeSec?: number;
	latencyMs?: number;
	incidents?: number;
	seed?: number;
	ports?: { login?: number; graph?: number; identity?: number; mde?: number };
	/** false: a Defender for Endpoint tenant without machines (default: the seed machines) */
	mdeMachines?: boolean;
	tenantId?: string;
	deviceCodeIntervalSec?: number;
	deviceCodeLifetimeSec?: number;
	publicClientIds?: string[];
	trustCa?: boolean;
}

export interface SimApp {
	clientId: string;
	roles: string[];
	clientSecret?: string;
	/** private key + certificate PEM, as a user pastes it */
	certificatePem?: string;
	/** SHA-1 thumbprint, hex upper case */
	thumbprint?: string;
}

/** An app registered with a client secret (`cloud.apps.secret`, `cloud.apps.readOnly`). */
export interface SimSecretApp extends SimApp {
	clientSecret: string;
}

/** An app registered with a certificate (`cloud.apps.certificate`). */
export interface SimCertificateApp extends SimApp {
	certificatePem: string;
	thumbprint: string;
}

/** The apps every simulated tenant has. */
export interface SimApps {
	secret: SimSecretApp;
	certificate: SimCertificateApp;
	readOnly: SimSecretApp;
}

export interface SimManagedIdentity {
	kind: 'system' | 'userAssigned';
	clientId: string;
	objectId: string;
	resourceId: string;
	displayName: string;
	roles: string[];
	enabled: boolean;
}

export interface LoggedRequest {
	server: SimServer;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** HTTP status answered; 0 while pending, -1 for a hung request */
	status: number;
	time: number;
}

export interface FaultSpec {
	server?: SimServer;
	method?: string;
	/** RegExp tested against path + query, or a path prefix */
	path?: RegExp | string;
	status?: number;
	/** seconds ('2') or an HTTP date */
	retryAfter?: string | number;
	body?: 'html' | 'malformed' | Record<string, unknown> | string;
	headers?: Record<string, string>;
	delayMs?: number;
	hang?: boolean;
	/** answer 200 at once, then one body byte every trickleMs, never complete */
	trickleMs?: number;
	/** default 1 */
	times?: number;
}

export interface GraphIncident {
	'@odata.type': string;
	id: string;
	tenantId: string;
	displayName: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
	assignedTo: string | null;
	classification: string;
	determination: string;
	status: string;
	severity: string;
	customTags: string[];
	systemTags: string[];
	description: string | null;
	summary: string | null;
	resolvingComment: string | null;
	redirectIncidentId: string | null;
	incidentWebUrl: string;
	lastModifiedBy: string;
	priorityScore: number;
	comments: Array<{ '@odata.type'?: string; comment: string; createdByDisplayName: string; createdDateTime: string }>;
	alerts: Array<Record<string, any>>;
	[key: string]: any;
}

export interface GraphAlert {
	'@odata.type': string;
	id: string;
	incidentId: string;
	status: string;
	severity: string;
	classification: string;
	determination: string;
	serviceSource: string;
	detectionSource: string;
	title: string;
	assignedTo: string | null;
	alertWebUrl: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
	comments: Array<{ '@odata.type'?: string; comment: string; createdByDisplayName: string; createdDateTime: string }>;
	evidence: Array<Record<string, any>>;
	[key: string]: any;
}

/** A Defender for Endpoint machine (api/machine). */
export interface MdeMachine {
	id: string;
	computerDnsName: string;
	firstSeen: string;
	lastSeen: string;
	osPlatform: string;
	version: string;
	osProcessor: string;
	lastIpAddress: string;
	lastExternalIpAddress: string;
	osBuild: number;
	healthStatus: string;
	rbacGroupId: number;
	rbacGroupName: string;
	riskScore: string;
	exposureLevel: string;
	isAadJoined: boolean;
	aadDeviceId: string | null;
	machineTags: string[];
	onboardingStatus: string;
	deviceValue: string;
	[key: string]: any;
}

/** A Defender for Endpoint machine action (api/machineaction). */
export interface MdeMachineAction {
	id: string;
	type: string;
	scope: string | null;
	requestor: string;
	requestorComment: string;
	status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';
	machineId: string;
	computerDnsName: string;
	creationDateTimeUtc: string;
	lastUpdateDateTimeUtc: string;
	cancellationRequestor: string | null;
	cancellationComment: string | null;
	cancellationDateTimeUtc: string | null;
	errorHResult: number;
	relatedFileInfo: { fileIdentifier: string; fileIdentifierType: string } | null;
	[key: string]: any;
}

export interface RateWindow {
	requests: number;
	windowMs: number;
}

/** The simulated Defender for Endpoint API's state (`cloud.mde`). */
export interface MdeSimulation {
	readonly machines: MdeMachine[];
	readonly actions: {
		readonly timing: { pendingMs: number; inProgressMs: number };
		setTiming(timing: { pendingMs?: number; inProgressMs?: number }): void;
		/** the next `times` (default 1) matching actions end with `outcome` instead of Succeeded */
		setOutcome(rule: { outcome: 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled'; type?: string; machineId?: string; times?: number }): void;
		list(): MdeMachineAction[];
		get(id: string): MdeMachineAction | undefined;
	};
	readonly indicators: { readonly items: Array<Record<string, any>> };
	/** public client id -> consented MDE delegated permissions */
	readonly delegatedConsent: Map<string, string[]>;
	/** the MDE clock (ms): real time plus what advanceTime added */
	now(): number;
	advanceTime(ms: number): void;
	addMachine(partial?: Partial<MdeMachine>): MdeMachine;
	clearMachines(): void;
	findMachine(idOrName: string): MdeMachine | undefined;
	addIndicator(body: Record<string, any>): Record<string, any>;
	/** null = no limit; default 100/min + 1,500/h for each API (route), GetPackageUri 2/min + 120/h */
	setRateLimit(windows: RateWindow[] | null, packageUriWindows?: RateWindow[] | null): void;
	setDelegatedConsent(clientId: string, scopes: string[]): void;
}

export interface SimInfo {
	authorityHost: string;
	graphEndpoint: string;
	mdeEndpoint: string;
	mdePublicClientId: string;
	identityEndpoint: string;
	identityHeader: string;
	imdsHost: string;
	caCertPath: string;
	caCertPem: string;
	tenantId: string;
	tenantDomain: string;
	apps: SimApps;
	publicClientId: string;
	publicClientIds: string[];
	identities: { system: { clientId: string; roles: string[] }; userAssigned: { clientId: string; resourceId: string; roles: string[] } };
	user: { userPrincipalName: string; displayName: string; scopes: string[] };
	pageSize: number;
	accessTokenLifetimeSec: number;
}

export declare class SimCloud {
	readonly options: Required<Pick<SimOptions, 'pageSize' | 'alertPageSize' | 'accessTokenLifetimeSec' | 'latencyMs' | 'deviceCodeIntervalSec' | 'deviceCodeLifetimeSec' | 'seed'>>;
	readonly authorityHost: string;
	readonly graphEndpoint: string;
	/** Defender for Endpoint API origin, also its token audience (`<mdeEndpoint>/.default`) */
	readonly mdeEndpoint: string;
	readonly mde: MdeSimulation;
	/** a public client with every MDE delegated permission consented (the default Graph client has none) */
	readonly mdePublicClientId: string;
	readonly identityEndpoint: string;
	readonly identityHeader: string;
	/** for AZURE_POD_IDENTITY_AUTHORITY_HOST (IMDS shape on the identity server) */
	readonly imdsHost: string;
	readonly caCertPem: string;
	readonly caCertPath: string;
	readonly tenantId: string;
	readonly tenantDomain: string;
	readonly apps: SimApps;
	readonly publicClientId: string;
	readonly publicClientIds: Set<string>;
	/** public clients whose token answers carry foci: "1" (default: the Graph Command Line Tools client) */
	readonly familyClientIds: Set<string>;
	readonly identities: { system: SimManagedIdentity; userAssigned: SimManagedIdentity };
	readonly user: { oid: string; userPrincipalName: string; displayName: string; scopes: string[] };
	readonly requests: LoggedRequest[];
	readonly incidents: GraphIncident[];
	/** every access token issued so far, by its `uti` claim */
	readonly accessTokens: Map<string, { accessToken: string; expiresAtMs: number; expired: boolean; kind: string; clientId: string }>;
	/** refresh tokens handed out (the token is the key) */
	readonly refreshTokens: Map<string, { clientId: string; scopes: string[]; oidc: string[]; issuedAt: number; expiresAt: number; revoked: boolean; revokedAt?: number }>;
	/** device codes handed out (the device_code is the key) */
	readonly deviceCodes: Map<string, { deviceCode: string; userCode: string; clientId: string; scopes: string[]; oidc: string[]; createdAt: number; expiresAt: number; status: 'pending' | 'approved' | 'declined' | 'redeemed'; polls: number }>;

	/** with a secret (`secret: true` generates one): the answer carries it */
	registerApp(opts: { roles?: string[]; secret: true | string; certificate?: boolean | string; clientId?: string; displayName?: string }): SimSecretApp;
	registerApp(opts?: { roles?: string[]; secret?: boolean | string; certificate?: boolean | string; clientId?: string; displayName?: string }): SimApp;
	registerPublicClient(clientId?: string): string;
	approveDeviceCode(userCode?: string): { userCode: string; clientId: string };
	declineDeviceCode(userCode?: string): { userCode: string; clientId: string };
	expireDeviceCodes(): void;
	deviceCodeList(): Array<{ userCode: string; clientId: string; status: 'pending' | 'approved' | 'declined' | 'redeemed'; polls: number; expiresAt: string }>;
	expireAccessTokens(): void;
	revokeRefreshTokens(): void;
	expireRefreshTokens(): void;
	setAccessTokenLifetime(sec: number): void;
	createIncident(partial?: Partial<GraphIncident> & { alertsCount?: number }): GraphIncident;
	createIncidents(n: number, partial?: Partial<GraphIncident> & { alertsCount?: number }): GraphIncident[];
	/** the live object (do not mutate) */
	getIncident(id: string | number): GraphIncident | undefined;
	updateIncidentAsPortal(id: string | number, changes: Partial<GraphIncident> & { comment?: string }): GraphIncident;
	/** any alert property; `incidentId` adds it to that incident (which counts as updated), else a new incident holds it */
	createAlert(partial?: Partial<GraphAlert> & { incidentId?: string }): GraphAlert;
	createAlerts(n: number, partial?: Partial<GraphAlert> & { incidentId?: string }): GraphAlert[];
	/** the live object (do not mutate) */
	getAlert(id: string): GraphAlert | undefined;
	/** any property; `comment` adds a comment; moves lastUpdateDateTime */
	updateAlertAsPortal(id: string, changes: Partial<GraphAlert> & { comment?: string }): GraphAlert;
	/** every alert of every incident, newest first (copies) */
	readonly alerts: GraphAlert[];
	setHuntingRows(table: string, n: number): void;
	injectFault(spec: FaultSpec): void;
	clearFaults(): void;
	setRateLimit(limit: { requests: number; windowMs: number } | null): void;
	setLatency(ms: number): void;
	clearRequests(): void;
	counts(): { login: number; token: number; deviceCode: number; graph: number; identity: number; mde: number; total: number };
	info(): SimInfo;
	trustCa(): void;
	stop(): Promise<void>;
}

export declare function startSimulatedCloud(options?: SimOptions): Promise<SimCloud>;
export declare function trustCa(caPem: string): void;
export declare const DEFAULT_PUBLIC_CLIENT_ID: string;
/** ids of the seeded Defender for Endpoint machines (for alert evidence `mdeDeviceId`) */
export declare const SEED_MACHINE_IDS: readonly string[];

export interface CapturedRequest {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export interface TestServer {
	/** http://127.0.0.1:<port> */
	url: string;
	port: number;
	stop(): Promise<void>;
}

/** Records every request and answers 200 {"value":[]}: the other origin a redirect points at. */
export declare function startCaptureServer(): Promise<TestServer & { requests: CapturedRequest[] }>;
/** An HTTP CONNECT proxy to 127.0.0.1 targets; `tunnels` holds each tunnel's "host:port". */
export declare function startConnectProxy(): Promise<TestServer & { tunnels: string[]; plainRequests: string[] }>;
