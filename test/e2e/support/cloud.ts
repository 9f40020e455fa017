// The simulated Microsoft cloud (sim/) for an e2e suite: runs in the jest process (Node 20); n8n (Node 24)
// reaches it over 127.0.0.1 with its CA in NODE_EXTRA_CA_CERTS. At the end a suite records what it
// produced (the request log of the non-token endpoints) and which values must never appear anywhere
// (secrets, private key, tokens) for the secrets suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startConnectProxy, startSimulatedCloud, type GraphIncident, type LoggedRequest, type SimCloud as SimulatedCloud, type SimOptions } from '../../../sim';
import { saveJson, secretsDir } from './run';

export type { LoggedRequest } from '../../../sim';

/** The simulated cloud of an e2e suite (sim/index.d.ts), with the CONNECT proxy n8n's https traffic goes through. */
export type SimCloud = Omit<SimulatedCloud, 'getIncident'> & {
	/** the live incident: a suite looks up only incidents it knows exist (a missing one fails the test on use) */
	getIncident(id: string | number): GraphIncident;
	/** the proxy's URL (simEnvironment sets HTTPS_PROXY to it) */
	proxyUrl: string;
	/** each tunnel's host:port */
	proxyTunnels: string[];
};

export async function startCloud(options: SimOptions = {}): Promise<SimCloud> {
	const cloud = (await startSimulatedCloud({ pageSize: 5, incidents: 20, deviceCodeIntervalSec: 0, ...options })) as SimCloud;
	const proxy = await startConnectProxy();
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
		// every access token the sim handed out (token endpoint and managed identity)
		accessTokens: [...cloud.accessTokens.values()].map((t) => t.accessToken),
		refreshTokens: [...cloud.refreshTokens.keys()],
		deviceCodes: [...cloud.deviceCodes.keys()],
		identityHeader: [cloud.identityHeader],
	};
	fs.writeFileSync(path.join(secretsDir(), `${suite}.json`), JSON.stringify(secrets, null, 2));
	// which hosts n8n reached through the proxy (the secrets suite checks the sign-in host is among them)
	saveJson(suite, 'proxy-tunnels', { authorityHost: new URL(cloud.authorityHost).host, tunnels: [...new Set(cloud.proxyTunnels)] });
}
