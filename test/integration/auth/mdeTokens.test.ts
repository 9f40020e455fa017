/**
 * Tokens per audience: each credential type's `authenticate`, run by n8n-core's real
 * httpRequestWithAuthentication, attaches a Graph token to Graph requests and a Defender for Endpoint token
 * to MDE requests (asserted from the simulated cloud's request log: the `aud` of each bearer that reached
 * each host), and no token to any other host.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeType, INodeExecutionData } from 'n8n-workflow';

import type { SimCloud as FullSimCloud } from '../../../sim';
import { authenticateRequest, needsDeviceCodeRefresh, rememberN8nHttp, tokenHttpFromHttpRequest } from '../../../nodes/Microsoft365Defender/auth';
import { validateCertificatePem } from '../../../nodes/Microsoft365Defender/auth/validate';
import { type CredentialRef, type CredentialStore, executeNode } from '../../harness';
import {
	CLIENT,
	DEVICE,
	IDENTITY,
	certificateApp,
	customCloud,
	expectNoSecrets,
	newStore,
	runNode,
	secretApp,
	tokenRequests,
	useCloud,
	visibleText,
} from './authTestBed';

const bed = useCloud();
const cloud = () => bed.cloud as unknown as FullSimCloud & typeof bed.cloud;

const ENV_KEYS = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'IMDS_ENDPOINT'];
const savedEnv: Record<string, string | undefined> = {};
beforeAll(() => {
	for (const key of ENV_KEYS) {
		savedEnv[key] = process.env[key];
		delete process.env[key];
	}
	process.env.IDENTITY_ENDPOINT = cloud().identityEndpoint;
	process.env.IDENTITY_HEADER = cloud().identityHeader;
});
afterAll(() => {
	for (const key of ENV_KEYS) {
		if (savedEnv[key] === undefined) delete process.env[key];
		else process.env[key] = savedEnv[key];
	}
});

/** The custom cloud of the sim with its Defender for Endpoint origin. */
function withMde(data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return { ...data, mdeEndpoint: cloud().mdeEndpoint };
}

function graphUrl(): string {
	return `${cloud().graphEndpoint}/v1.0/security/incidents?$top=1`;
}
function mdeUrl(): string {
	return `${cloud().mdeEndpoint}/api/machines?$top=1`;
}

interface Outcome {
	url: string;
	status?: number;
	error?: string;
}

/**
 * A node that sends each URL through httpRequestWithAuthentication with the chosen credential, the way the
 * transport does (n8n's request helper remembered for the token libraries; device code: `session` '' when
 * its tokens need refreshing, so n8n runs preAuthentication).
 */
function probeNode(type: string, urls: string[]): INodeType {
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const out: INodeExecutionData[] = [];
			// authenticate gets no helpers: the token libraries send through n8n's (SSRF rules, proxy)
			rememberN8nHttp(tokenHttpFromHttpRequest(this.helpers.httpRequest));
			for (const url of urls) {
				const credentials = await this.getCredentials(type);
				const data = type === DEVICE && needsDeviceCodeRefresh(credentials) ? { ...credentials, session: '' } : credentials;
				const details = this.getNode().credentials?.[type];
				try {
					const response = (await this.helpers.httpRequestWithAuthentication.call(
						this,
						type,
						{ method: 'GET', url, json: true, returnFullResponse: true, ignoreHttpStatusErrors: true },
						{ credentialsDecrypted: { id: details?.id ?? '', name: details?.name ?? '', type, data } },
					)) as { statusCode: number };
					out.push({ json: { url, status: response.statusCode } });
				} catch (error) {
					let inner = error as Error & { cause?: Error };
					while (inner.cause instanceof Error) inner = inner.cause as Error & { cause?: Error };
					out.push({ json: { url, error: inner.message } });
				}
			}
			return [out];
		},
	};
}

async function probe(store: CredentialStore, type: string, ref: CredentialRef, urls: string[]): Promise<Outcome[]> {
	const result = await executeNode(probeNode(type, urls), { store, credentials: { [type]: ref } });
	expect(result.error).toBeUndefined();
	expectNoSecrets(visibleText(result), bed.cloud);
	return result.items.map((item) => item.json as unknown as Outcome);
}

function audienceOf(authorization: unknown): string {
	const token = String(authorization ?? '').replace(/^Bearer /, '');
	return String((JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { aud?: string }).aud);
}

/** For each host that got requests: the audiences of the bearer tokens it received. */
function audiencesByHost(): Record<string, string[]> {
	const result: Record<string, string[]> = {};
	for (const request of cloud().requests) {
		const authorization = request.headers.authorization;
		if (authorization === undefined) continue;
		(result[request.server] ??= []).push(audienceOf(authorization));
	}
	for (const server of Object.keys(result)) result[server] = [...new Set(result[server])];
	return result;
}

const APP_TYPES: Array<[string, () => ICredentialDataDecryptedObject, string]> = [
	['client secret', () => withMde(secretApp(bed.cloud)), CLIENT],
	['certificate', () => withMde(certificateApp(bed.cloud)), CLIENT],
	['managed identity', () => ({ cloud: 'custom', graphEndpoint: cloud().graphEndpoint, mdeEndpoint: cloud().mdeEndpoint, clientId: '' }), IDENTITY],
];

describe.each(APP_TYPES)('%s', (_name, data, type) => {
	it('Graph gets a Graph token, Defender for Endpoint its own; each cached per audience', async () => {
		const store = newStore();
		const ref = store.add(type, data());
		const outcomes = await probe(store, type, ref, [graphUrl(), mdeUrl(), graphUrl(), mdeUrl()]);
		expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200]);
		expect(audiencesByHost()).toEqual({ graph: [cloud().graphEndpoint], mde: [cloud().mdeEndpoint] });
		// one token per audience, asked for that audience's host only
		if (type === IDENTITY) {
			const resources = cloud().requests.filter((r) => r.server === 'identity').map((r) => r.query.resource);
			expect(resources).toEqual([cloud().graphEndpoint, cloud().mdeEndpoint]);
		} else {
			const scopes = tokenRequests(bed.cloud).map((r) => new URLSearchParams(r.body).get('scope'));
			expect(scopes).toEqual([`${cloud().graphEndpoint}/.default`, `${cloud().mdeEndpoint}/.default`]);
		}
	});

	it('any other host: no token and an error naming the host and the allowed ones', async () => {
		const store = newStore();
		const ref = store.add(type, data());
		const foreign = `${cloud().authorityHost}/anything`;
		const [outcome] = await probe(store, type, ref, [foreign]);
		expect(outcome.error).toBe(
			`No token is sent to ${new URL(foreign).origin}: this credential's tokens go only to Microsoft Graph (${cloud().graphEndpoint}) and Defender for Endpoint (${cloud().mdeEndpoint}).`,
		);
		expect(cloud().requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
		expect(cloud().requests.filter((r) => r.path === '/anything')).toEqual([]);
	});

	it('a custom cloud without mdeEndpoint: Defender for Endpoint is not an allowed host, and the error says the field is empty', async () => {
		const store = newStore();
		const { mdeEndpoint: _unset, ...withoutMde } = data();
		const ref = store.add(type, withoutMde);
		const [outcome] = await probe(store, type, ref, [mdeUrl()]);
		expect(outcome.error).toMatch(/^No token is sent to https:\/\/127\.0\.0\.1:\d+: .*only to Microsoft Graph \(.*\) \(.*"mdeEndpoint", is empty\)\.$/);
		expect(cloud().counts().mde).toBe(0);
	});
});

describe('device code', () => {
	function deviceData(overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
		return withMde({ ...customCloud(bed.cloud), tenantId: 'organizations', clientId: cloud().mdePublicClientId, ...overrides });
	}

	/** Signed in through the real node (run -> code, approve, run), as a user does. */
	async function signedIn(store: CredentialStore, data: ICredentialDataDecryptedObject): Promise<CredentialRef> {
		const ref = store.add(DEVICE, data);
		const first = await runNode(store, DEVICE, ref);
		const code = /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(first.error?.message ?? '')?.[1];
		bed.cloud.approveDeviceCode(code);
		expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
		bed.cloud.clearRequests();
		return ref;
	}

	it('mdeAccess on: the sign-in also gets a Defender for Endpoint token from the same refresh token, no second sign-in', async () => {
		const store = newStore();
		bed.cloud.clearRequests();
		const ref = store.add(DEVICE, deviceData({ mdeAccess: true }));
		const first = await runNode(store, DEVICE, ref);
		bed.cloud.approveDeviceCode(/enter the code ([A-Z]{4}-[A-Z]{4})/.exec(first.error?.message ?? '')?.[1]);
		expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
		expect(bed.cloud.counts().deviceCode).toBe(1);
		const grants = tokenRequests(bed.cloud).map((r) => new URLSearchParams(r.body));
		const mdeGrant = grants.find((g) => (g.get('scope') ?? '').includes(cloud().mdeEndpoint));
		expect(mdeGrant?.get('grant_type')).toBe('refresh_token');
		expect(mdeGrant?.get('scope')).toContain(`${cloud().mdeEndpoint}/.default`);
		expect(store.get(ref.id).mdeTokenError).toBe('');

		bed.cloud.clearRequests();
		const outcomes = await probe(store, DEVICE, ref, [mdeUrl(), graphUrl(), mdeUrl()]);
		expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
		expect(audiencesByHost()).toEqual({ graph: [cloud().graphEndpoint], mde: [cloud().mdeEndpoint] });
		// both tokens were stored: no token request at all
		expect(tokenRequests(bed.cloud)).toHaveLength(0);
	});

	it('mdeAccess turned on after the sign-in: the next request refreshes once and stores both tokens', async () => {
		const store = newStore();
		const ref = await signedIn(store, deviceData());
		store.set(ref.id, { ...store.get(ref.id), mdeAccess: true });
		const outcomes = await probe(store, DEVICE, ref, [mdeUrl(), graphUrl(), mdeUrl()]);
		expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
		expect(audiencesByHost()).toEqual({ graph: [cloud().graphEndpoint], mde: [cloud().mdeEndpoint] });
		// one refresh for Graph and one for Defender for Endpoint, both persisted
		expect(tokenRequests(bed.cloud)).toHaveLength(2);
		expect(bed.cloud.counts().deviceCode).toBe(0);
		expect(needsDeviceCodeRefresh(await store.read(ref.id))).toBe(false);
	});

	it('both tokens near expiry: one preAuthentication renews both, so both stay fresh', async () => {
		bed.cloud.setAccessTokenLifetime(240); // within the 5-minute margin
		try {
			const store = newStore();
			const ref = await signedIn(store, deviceData({ mdeAccess: true }));
			expect(needsDeviceCodeRefresh(await store.read(ref.id))).toBe(true);
			bed.cloud.setAccessTokenLifetime(3600);
			const outcomes = await probe(store, DEVICE, ref, [mdeUrl(), graphUrl()]);
			expect(outcomes.map((o) => o.status)).toEqual([200, 200]);
			expect(tokenRequests(bed.cloud)).toHaveLength(2);
			expect(needsDeviceCodeRefresh(await store.read(ref.id))).toBe(false);
			expect(audiencesByHost()).toEqual({ graph: [cloud().graphEndpoint], mde: [cloud().mdeEndpoint] });
		} finally {
			bed.cloud.setAccessTokenLifetime(3600);
		}
	});

	it('mdeAccess off: a Defender for Endpoint request gets no token and is told to turn it on, with the permissions', async () => {
		const store = newStore();
		const ref = await signedIn(store, deviceData());
		const [mde, graph] = await probe(store, DEVICE, ref, [mdeUrl(), graphUrl()]);
		expect(mde.error).toMatch(/^Credential field "mdeAccess": Defender for Endpoint requests \(Device and Indicator resources\) need "Defender for Endpoint Access" turned on/);
		expect(mde.error).toContain('Machine.Read, Machine.Isolate, Machine.Scan, Machine.CollectForensics, Machine.RestrictExecution, Machine.StopAndQuarantine, Ti.ReadWrite');
		expect(graph.status).toBe(200);
		expect(cloud().counts().mde).toBe(0);
	});

	it('a public client without Defender for Endpoint consent: Graph keeps working, MDE says why, asked again only after the margin', async () => {
		const store = newStore();
		const ref = await signedIn(store, deviceData({ mdeAccess: true, clientId: bed.cloud.publicClientId }));
		const stored = JSON.parse(String(store.get(ref.id).mdeTokenError)) as { message: string };
		expect(stored.message).toMatch(/AADSTS65001/);
		const outcomes = await probe(store, DEVICE, ref, [graphUrl(), mdeUrl(), graphUrl()]);
		expect(outcomes[0].status).toBe(200);
		expect(outcomes[1].error).toMatch(/^Getting the Defender for Endpoint token was refused by Microsoft Entra ID: .*AADSTS65001.*Machine\.Isolate/);
		expect(outcomes[2].status).toBe(200);
		expect(tokenRequests(bed.cloud)).toHaveLength(0);
		expect(cloud().counts().mde).toBe(0);
	});

	it('any other host: no token', async () => {
		const store = newStore();
		const ref = await signedIn(store, deviceData({ mdeAccess: true }));
		const [outcome] = await probe(store, DEVICE, ref, [`${cloud().authorityHost}/anything`]);
		expect(outcome.error).toMatch(/^No token is sent to https:\/\/127\.0\.0\.1:\d+: this credential's tokens go only to Microsoft Graph/);
		expect(cloud().requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
	});
});

describe('per request: no PEM parsing and one settings hash', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const crypto = require('node:crypto') as typeof import('node:crypto');

	function counting() {
		const spies = {
			hashes: [jest.spyOn(crypto, 'createHash'), jest.spyOn(crypto, 'createHmac')],
			pem: [jest.spyOn(crypto, 'X509Certificate'), jest.spyOn(crypto, 'createPrivateKey')],
		};
		const count = (list: jest.SpyInstance[]) => list.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
		return {
			hashes: () => count(spies.hashes),
			pemParses: () => count(spies.pem),
			restore: () => [...spies.hashes, ...spies.pem].forEach((spy) => spy.mockRestore()),
		};
	}

	it('certificate credential: after the first token, each request hashes once and parses no PEM', async () => {
		const store = newStore();
		const data = withMde(certificateApp(bed.cloud));
		const ref = store.add(CLIENT, data);
		await probe(store, CLIENT, ref, [graphUrl(), mdeUrl()]);
		const counter = counting();
		try {
			for (const url of [graphUrl(), mdeUrl(), graphUrl(), mdeUrl(), graphUrl()]) await authenticateRequest(CLIENT, data, { url });
			expect(counter.pemParses()).toBe(0);
			expect(counter.hashes()).toBe(5);
			// the counter sees PEM parsing where it happens (a cache miss validates the certificate; the spy
			// does not construct, so validation then fails: only the count matters here)
			expect(() => validateCertificatePem(data.certificate)).toThrow();
			expect(counter.pemParses()).toBeGreaterThan(0);
		} finally {
			counter.restore();
		}
		expect(tokenRequests(bed.cloud)).toHaveLength(2);
	});

	it('device code: the transport\'s refresh check and authenticate together hash the settings at most once per request', async () => {
		const store = newStore();
		const ref = store.add(DEVICE, withMde({ ...customCloud(bed.cloud), tenantId: 'organizations', clientId: cloud().mdePublicClientId, mdeAccess: true }));
		const first = await runNode(store, DEVICE, ref);
		bed.cloud.approveDeviceCode(/enter the code ([A-Z]{4}-[A-Z]{4})/.exec(first.error?.message ?? '')?.[1]);
		expect((await runNode(store, DEVICE, ref)).error).toBeUndefined();
		const data = await store.read(ref.id);
		const counter = counting();
		try {
			for (const url of [graphUrl(), mdeUrl(), graphUrl()]) {
				expect(needsDeviceCodeRefresh(data)).toBe(false);
				await authenticateRequest(DEVICE, data, { url });
			}
			expect(counter.hashes()).toBeLessThanOrEqual(3);
			expect(counter.pemParses()).toBe(0);
		} finally {
			counter.restore();
		}
	});
});
