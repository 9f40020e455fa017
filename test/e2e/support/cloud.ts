// The simulated Microsoft cloud (sim/) for an e2e suite: runs in the jest process (Node 20); n8n (Node 24)
// reaches it over 127.0.0.1 with its CA in NODE_EXTRA_CA_CERTS. At the end a suite records what it
// produced (the request log of the non-token endpoints) and which values must never appear anywhere
// (secrets, private key, tokens) for the secrets suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SimConnectionInfo } from '../../../e2e/lib/credentials';
import { saveJson, secretsDir } from './run';

export interface LoggedRequest {
	server: 'login' | 'graph' | 'identity';
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, unknown>;
	body: string;
	status: number;
	time: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface SimCloud extends SimConnectionInfo {
	apps: SimConnectionInfo['apps'] & { readOnly: { clientId: string; clientSecret: string } };
	identities: { system: { clientId: string }; userAssigned: { clientId: string } };
	requests: LoggedRequest[];
	refreshTokens: Map<string, unknown>;
	deviceCodes: Map<string, unknown>;
	incidents: Json[];
	getIncident(id: string): Json;
	createIncident(partial?: Json): Json;
	createIncidents(n: number, partial?: Json): Json[];
	approveDeviceCode(userCode?: string): { userCode: string; clientId: string };
	deviceCodeList(): { userCode: string; status: string }[];
	setHuntingRows(table: string, rows: number): void;
	injectFault(spec: Json): void;
	clearRequests(): void;
	counts(): { login: number; token: number; deviceCode: number; graph: number; identity: number; total: number };
	info(): SimConnectionInfo;
	stop(): Promise<void>;
	/** added here: every access token the sim handed out */
	issuedAccessTokens: string[];
	/** added here: the CONNECT proxy n8n's https traffic goes through (simEnvironment sets HTTPS_PROXY) */
	proxyUrl: string;
	proxyTunnels: string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sim = require('../../../sim') as {
	startSimulatedCloud(options?: Json): Promise<SimCloud>;
	startConnectProxy(): Promise<{ url: string; tunnels: string[]; stop(): Promise<void> }>;
};

export async function startCloud(options: Json = {}): Promise<SimCloud> {
	const cloud = await sim.startSimulatedCloud({ pageSize: 5, incidents: 20, deviceCodeIntervalSec: 0, ...options });
	// Remember every access token issued (token endpoint and managed identity), for the secrets scan.
	cloud.issuedAccessTokens = [];
	const withIssue = cloud as unknown as { _issueAccessToken(o: Json): { accessToken: string } };
	const issue = withIssue._issueAccessToken.bind(cloud);
	withIssue._issueAccessToken = (o: Json) => {
		const token = issue(o);
		cloud.issuedAccessTokens.push(token.accessToken);
		return token;
	};
	const proxy = await sim.startConnectProxy();
	cloud.proxyUrl = proxy.url;
	cloud.proxyTunnels = proxy.tunnels;
	const stopCloud = cloud.stop.bind(cloud);
	cloud.stop = async () => {
		await proxy.stop();
		await stopCloud();
	};
	return cloud;
}

export const isTokenEndpoint = (r: LoggedRequest) =>
	(r.server === 'login' && r.path.endsWith('/oauth2/v2.0/token')) || (r.server === 'identity' && r.path === '/msi/token');

/** Graph requests in the log, optionally only those after the first `from` entries. */
export const graphRequests = (cloud: SimCloud, from = 0) => cloud.requests.slice(from).filter((r) => r.server === 'graph');
export const tokenRequests = (cloud: SimCloud) => cloud.requests.filter(isTokenEndpoint);

/** Form fields of a logged x-www-form-urlencoded request. */
export const formOf = (r: LoggedRequest) => Object.fromEntries(new URLSearchParams(r.body));

/**
 * Saves the suite's evidence: the request log of the non-token endpoints (the Authorization header, which
 * carries the access token by design, left out), and the secrets the suite's outputs must not contain.
 */
export function recordCloudEvidence(suite: string, cloud: SimCloud): void {
	saveJson(
		suite,
		'sim-requests',
		cloud.requests.filter((r) => !isTokenEndpoint(r)).map(({ headers, ...r }) => {
			const { authorization: _authorization, ...otherHeaders } = headers;
			return { ...r, headers: otherHeaders };
		}),
	);
	// the private key's base64 lines: any copy of the key (PEM, JSON-escaped PEM, bare base64) contains them
	const privateKeyLines = [cloud.apps.certificate.certificatePem].flatMap((pem) => {
		const match = /-----BEGIN (?:RSA )?PRIVATE KEY-----([\s\S]+?)-----END/.exec(pem);
		if (!match) throw new Error('the sim certificate PEM holds no private key');
		return match[1].split(/\s+/).filter((line) => line.length >= 40);
	});
	const secrets = {
		clientSecrets: [cloud.apps.secret.clientSecret, cloud.apps.readOnly.clientSecret],
		privateKeyLines,
		accessTokens: [...new Set(cloud.issuedAccessTokens)],
		refreshTokens: [...cloud.refreshTokens.keys()],
		deviceCodes: [...cloud.deviceCodes.keys()],
		identityHeader: [cloud.identityHeader],
	};
	fs.writeFileSync(path.join(secretsDir(), `${suite}.json`), JSON.stringify(secrets, null, 2));
	// which hosts n8n reached through the proxy (the secrets suite checks the sign-in host is among them)
	saveJson(suite, 'proxy-tunnels', { authorityHost: new URL(cloud.authorityHost).host, tunnels: [...new Set(cloud.proxyTunnels)] });
}
