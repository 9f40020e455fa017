import {
	ClientCertificateCredential,
	ClientSecretCredential,
	ManagedIdentityCredential,
} from '@azure/identity';
import { PublicClientApplication } from '@azure/msal-node';

import { createHash, createPrivateKey, randomUUID, sign, constants } from 'crypto';

import { startSimulatedCloud, type SimCloud } from '../../sim';

/** Decodes a JWT payload (no verification: the sim's Graph server does that). */
function claims(token: string): Record<string, any> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function form(body: string): Record<string, string> {
	return Object.fromEntries(new URLSearchParams(body));
}

describe('simulated Entra ID and managed identity, through the real client libraries', () => {
	let cloud: SimCloud;
	let scope: string;
	let identityOptions: { authorityHost: string; disableInstanceDiscovery: boolean };

	beforeAll(async () => {
		cloud = await startSimulatedCloud({ incidents: 3, deviceCodeIntervalSec: 0 });
		cloud.trustCa();
		scope = `${cloud.graphEndpoint}/.default`;
		identityOptions = { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true };
	});
	afterAll(async () => {
		delete process.env.IDENTITY_ENDPOINT;
		delete process.env.IDENTITY_HEADER;
		await cloud.stop();
	});
	beforeEach(() => {
		cloud.clearRequests();
		cloud.setAccessTokenLifetime(3600);
	});

	describe('@azure/identity ClientSecretCredential', () => {
		it('gets an app token carrying the app roles for the Graph audience', async () => {
			const credential = new ClientSecretCredential(cloud.tenantId, cloud.apps.secret.clientId, cloud.apps.secret.clientSecret!, identityOptions);
			const token = await credential.getToken(scope);
			const c = claims(token.token);
			expect(c).toMatchObject({ aud: cloud.graphEndpoint, tid: cloud.tenantId, appid: cloud.apps.secret.clientId, idtyp: 'app' });
			expect(c.roles).toEqual(['SecurityIncident.ReadWrite.All', 'SecurityAlert.ReadWrite.All', 'ThreatHunting.Read.All']);
			expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3500 * 1000);
			const tokenRequest = cloud.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'))!;
			expect(form(tokenRequest.body)).toMatchObject({ grant_type: 'client_credentials', client_id: cloud.apps.secret.clientId, scope });
		});

		it('refuses a wrong secret with AADSTS7000215 and the Entra error shape', async () => {
			const credential = new ClientSecretCredential(cloud.tenantId, cloud.apps.secret.clientId, 'not-the-secret', identityOptions);
			await expect(credential.getToken(scope)).rejects.toThrow(/AADSTS7000215/);
			const answer = await fetch(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.apps.secret.clientId, client_secret: 'x', scope }),
			});
			expect(answer.status).toBe(401);
			const body = (await answer.json()) as any;
			expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
			expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\..*\r\nTrace ID: /s);
			expect(typeof body.trace_id).toBe('string');
			expect(typeof body.correlation_id).toBe('string');
		});

		it('refuses an unknown app (AADSTS700016) and an unknown tenant (AADSTS90002)', async () => {
			const unknownApp = new ClientSecretCredential(cloud.tenantId, '11111111-2222-3333-4444-555555555555', 'x', identityOptions);
			await expect(unknownApp.getToken(scope)).rejects.toThrow(/AADSTS700016/);
			const unknownTenant = new ClientSecretCredential('99999999-2222-3333-4444-555555555555', cloud.apps.secret.clientId, cloud.apps.secret.clientSecret!, identityOptions);
			// msal-node reads the tenant's OIDC document first; Entra answers 400 invalid_tenant, msal reports endpoints_resolution_error.
			await expect(unknownTenant.getToken(scope)).rejects.toThrow(/endpoints_resolution_error/);
			const discovery = cloud.requests.filter((r) => r.path === '/99999999-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration');
			expect(discovery.map((r) => r.status)).toContain(400);
			const token = await fetch(`${cloud.authorityHost}/99999999-2222-3333-4444-555555555555/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.apps.secret.clientId, client_secret: 'x', scope }),
			});
			expect(await token.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
		});

		it('refuses client credentials on /organizations (AADSTS50059): app tokens need a tenant', async () => {
			// (msal-node refuses this itself before asking: missing_tenant_id_error.)
			const answer = await fetch(`${cloud.authorityHost}/organizations/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.apps.secret.clientId, client_secret: cloud.apps.secret.clientSecret!, scope }),
			});
			expect(answer.status).toBe(400);
			expect(await answer.json()).toMatchObject({ error: 'invalid_request', error_codes: [50059] });
		});

		it('refuses a scope for another resource (AADSTS500011)', async () => {
			const credential = new ClientSecretCredential(cloud.tenantId, cloud.apps.secret.clientId, cloud.apps.secret.clientSecret!, identityOptions);
			await expect(credential.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS500011/);
		});
	});

	describe('@azure/identity ClientCertificateCredential', () => {
		it('signs in with the PEM (key + certificate) through a verified client assertion', async () => {
			const credential = new ClientCertificateCredential(
				cloud.tenantId,
				cloud.apps.certificate.clientId,
				{ certificate: cloud.apps.certificate.certificatePem! },
				identityOptions,
			);
			const token = await credential.getToken(scope);
			expect(claims(token.token)).toMatchObject({ appid: cloud.apps.certificate.clientId, appidacr: '2' });
			const sent = form(cloud.requests.find((r) => r.path.endsWith('/token'))!.body);
			expect(sent.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
			expect(sent.client_secret).toBeUndefined();
		});

		it("refuses an assertion signed with a certificate that is not the app's (AADSTS700027)", async () => {
			const other = cloud.registerApp({ certificate: true });
			const credential = new ClientCertificateCredential(cloud.tenantId, cloud.apps.certificate.clientId, { certificate: other.certificatePem! }, identityOptions);
			await expect(credential.getToken(scope)).rejects.toThrow(/AADSTS700027/);
		});
	});

	describe('client assertion checks (hand-made assertions)', () => {
		function assertion(o: { alg?: 'RS256' | 'PS256'; thumbprint?: 'x5t' | 'x5t#S256'; aud?: string; sub?: string; exp?: number }) {
			const pem = cloud.apps.certificate.certificatePem!;
			const der = Buffer.from(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)![1].replace(/\s+/g, ''), 'base64');
			const alg = o.alg ?? 'RS256';
			const header: Record<string, string> = { alg, typ: 'JWT' };
			const kind = o.thumbprint ?? 'x5t';
			header[kind] = createHash(kind === 'x5t' ? 'sha1' : 'sha256').update(der).digest('base64url');
			const now = Math.floor(Date.now() / 1000);
			const payload = {
				aud: o.aud ?? `${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`,
				iss: cloud.apps.certificate.clientId,
				sub: o.sub ?? cloud.apps.certificate.clientId,
				jti: randomUUID(),
				nbf: now - 10,
				exp: o.exp ?? now + 600,
			};
			const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
			const key = createPrivateKey(pem);
			const signature =
				alg === 'PS256'
					? sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
					: sign('sha256', Buffer.from(input), key);
			return `${input}.${signature.toString('base64url')}`;
		}
		async function redeem(clientAssertion: string) {
			const r = await fetch(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					grant_type: 'client_credentials',
					client_id: cloud.apps.certificate.clientId,
					client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
					client_assertion: clientAssertion,
					scope,
				}),
			});
			return { status: r.status, body: (await r.json()) as any };
		}

		it('accepts RS256 with x5t and PS256 with x5t#S256', async () => {
			expect((await redeem(assertion({}))).status).toBe(200);
			expect((await redeem(assertion({ alg: 'PS256', thumbprint: 'x5t#S256' }))).status).toBe(200);
		});

		it('refuses an expired, mis-addressed, tampered or foreign-subject assertion', async () => {
			expect((await redeem(assertion({ exp: Math.floor(Date.now() / 1000) - 3600 }))).body.error_codes).toEqual([700024]);
			expect((await redeem(assertion({ aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' }))).body.error_codes).toEqual([700027]);
			expect((await redeem(assertion({ sub: cloud.apps.secret.clientId }))).body.error_codes).toEqual([700021]);
			const good = assertion({});
			const tampered = good.slice(0, -6) + (good.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
			const refused = await redeem(tampered);
			expect(refused).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [700027] } });
			expect(refused.body.error_description).toMatch(/signature validation/);
		});
	});

	describe('@azure/identity ManagedIdentityCredential (App Service IDENTITY_ENDPOINT / IDENTITY_HEADER)', () => {
		beforeAll(() => {
			process.env.IDENTITY_ENDPOINT = cloud.identityEndpoint;
			process.env.IDENTITY_HEADER = cloud.identityHeader;
		});

		it('gets a token for the system-assigned identity', async () => {
			const token = await new ManagedIdentityCredential().getToken(scope);
			expect(claims(token.token)).toMatchObject({ appid: cloud.identities.system.clientId, aud: cloud.graphEndpoint });
			const request = cloud.requests.find((r) => r.server === 'identity')!;
			expect(request.query).toEqual({ 'api-version': '2019-08-01', resource: cloud.graphEndpoint });
			expect(request.headers['x-identity-header']).toBe(cloud.identityHeader);
		});

		it('gets a token for the user-assigned identity by client id', async () => {
			const token = await new ManagedIdentityCredential({ clientId: cloud.identities.userAssigned.clientId }).getToken(scope);
			expect(claims(token.token).appid).toBe(cloud.identities.userAssigned.clientId);
			expect(cloud.requests.find((r) => r.server === 'identity')!.query.client_id).toBe(cloud.identities.userAssigned.clientId);
		});

		it('answers an unknown client id and a wrong header like App Service', async () => {
			await expect(new ManagedIdentityCredential({ clientId: '12345678-0000-0000-0000-000000000000' }).getToken(scope)).rejects.toThrow(
				/Unable to load the proper Managed Identity/,
			);
			const wrongHeader = await fetch(`${cloud.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent(cloud.graphEndpoint)}`, {
				headers: { 'X-IDENTITY-HEADER': 'wrong' },
			});
			expect(wrongHeader.status).toBe(401);
		});
	});

	describe('msal-node PublicClientApplication (device code, refresh)', () => {
		const delegated = () => [`${cloud.graphEndpoint}/SecurityIncident.ReadWrite.All`, `${cloud.graphEndpoint}/ThreatHunting.Read.All`];
		const newApp = () =>
			new PublicClientApplication({
				auth: {
					clientId: cloud.publicClientId,
					authority: `${cloud.authorityHost}/organizations`,
					knownAuthorities: [new URL(cloud.authorityHost).host],
				},
			});

		async function signIn(app: PublicClientApplication) {
			let pendingPolls = 0;
			const result = await app.acquireTokenByDeviceCode({
				scopes: delegated(),
				deviceCodeCallback: (response) => {
					expect(response.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
					expect(response.verificationUri).toBe(`${cloud.authorityHost}/devicelogin`);
					// Approve only after msal has been told "authorization_pending" at least once.
					const timer = setInterval(() => {
						pendingPolls = cloud.requests.filter((r) => r.path.endsWith('/token') && r.status === 400).length;
						if (pendingPolls > 0) {
							clearInterval(timer);
							cloud.approveDeviceCode(response.userCode);
						}
					}, 5);
				},
			});
			return { result: result!, pendingPolls };
		}

		it('signs in with device code: pending, then approved, with id token and client_info', async () => {
			const app = newApp();
			const { result, pendingPolls } = await signIn(app);
			expect(pendingPolls).toBeGreaterThan(0);
			expect(result.account!.username).toBe(cloud.user.userPrincipalName);
			expect(result.account!.tenantId).toBe(cloud.tenantId);
			// msal builds the home account id from client_info (uid.utid), which it asks for with client_info=1.
			expect(result.account!.homeAccountId).toBe(`${cloud.user.oid}.${cloud.tenantId}`);
			expect(result.idTokenClaims).toMatchObject({ tid: cloud.tenantId, oid: cloud.user.oid, preferred_username: cloud.user.userPrincipalName });
			const c = claims(result.accessToken);
			expect(c.scp).toBe('SecurityIncident.ReadWrite.All ThreatHunting.Read.All');
			expect(c.roles).toBeUndefined();
			const pending = cloud.requests.find((r) => r.path.endsWith('/token') && r.status === 400)!;
			expect(form(pending.body)).toMatchObject({ client_id: cloud.publicClientId, client_info: '1' });
		});

		it('refreshes silently after the access token expires, rotating the refresh token', async () => {
			cloud.setAccessTokenLifetime(60); // inside msal's 5-minute renewal window: "expired" for acquireTokenSilent
			const app = newApp();
			const { result } = await signIn(app);
			const [account] = await app.getTokenCache().getAllAccounts();
			cloud.clearRequests();
			const refreshed = await app.acquireTokenSilent({ account, scopes: delegated() });
			expect(refreshed.accessToken).not.toBe(result.accessToken);
			const redemption = cloud.requests.filter((r) => r.path.endsWith('/token'));
			expect(redemption).toHaveLength(1);
			expect(form(redemption[0].body).grant_type).toBe('refresh_token');
			// Every redemption hands out a new refresh token; the one redeemed stays valid.
			const firstRefreshToken = form(redemption[0].body).refresh_token;
			cloud.clearRequests();
			await app.acquireTokenSilent({ account, scopes: delegated(), forceRefresh: true });
			expect(form(cloud.requests[0].body).refresh_token).not.toBe(firstRefreshToken);
			const again = await fetch(`${cloud.authorityHost}/organizations/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'refresh_token', client_id: cloud.publicClientId, refresh_token: firstRefreshToken, scope: delegated().join(' ') }),
			});
			expect(again.status).toBe(200);
		});

		it('answers invalid_grant AADSTS50173 for a revoked refresh token and AADSTS700082 for an expired one', async () => {
			const app = newApp();
			await signIn(app);
			const [account] = await app.getTokenCache().getAllAccounts();
			cloud.revokeRefreshTokens();
			await expect(app.acquireTokenSilent({ account, scopes: delegated(), forceRefresh: true })).rejects.toMatchObject({
				errorCode: 'invalid_grant',
				message: expect.stringContaining('AADSTS50173'),
			});
			const second = newApp();
			await signIn(second);
			const [secondAccount] = await second.getTokenCache().getAllAccounts();
			cloud.expireRefreshTokens();
			await expect(second.acquireTokenSilent({ account: secondAccount, scopes: delegated(), forceRefresh: true })).rejects.toMatchObject({
				errorCode: 'invalid_grant',
				message: expect.stringContaining('AADSTS700082'),
			});
		});

		it('answers authorization_declined and expired_token on the token endpoint', async () => {
			const start = async () => {
				const r = await fetch(`${cloud.authorityHost}/organizations/oauth2/v2.0/devicecode`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ client_id: cloud.publicClientId, scope: delegated().join(' ') + ' offline_access' }),
				});
				expect(r.status).toBe(200);
				return (await r.json()) as { device_code: string; user_code: string; interval: number; expires_in: number; message: string };
			};
			const poll = async (deviceCode: string) => {
				const r = await fetch(`${cloud.authorityHost}/organizations/oauth2/v2.0/token`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cloud.publicClientId, device_code: deviceCode }),
				});
				return { status: r.status, body: (await r.json()) as any };
			};
			const declined = await start();
			expect(declined.message).toContain(declined.user_code);
			expect((await poll(declined.device_code)).body).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
			cloud.declineDeviceCode(declined.user_code);
			expect(await poll(declined.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_declined' } });
			const expired = await start();
			cloud.expireDeviceCodes();
			expect((await poll(expired.device_code)).body).toMatchObject({ error: 'expired_token', error_codes: [70019] });
			expect(() => cloud.approveDeviceCode()).toThrow(/no pending/);
		});

		it('marks refresh tokens of the Microsoft family client (foci) but not of other public clients', async () => {
			const ownClient = cloud.registerPublicClient();
			const signInWith = async (clientId: string) => {
				const start = (await (
					await fetch(`${cloud.authorityHost}/organizations/oauth2/v2.0/devicecode`, {
						method: 'POST',
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
						body: new URLSearchParams({ client_id: clientId, scope: `${delegated().join(' ')} offline_access openid profile` }),
					})
				).json()) as { device_code: string; user_code: string };
				cloud.approveDeviceCode(start.user_code);
				const answer = await fetch(`${cloud.authorityHost}/organizations/oauth2/v2.0/token`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: clientId, device_code: start.device_code, client_info: '1' }),
				});
				expect(answer.status).toBe(200);
				return (await answer.json()) as Record<string, string>;
			};
			const family = await signInWith(cloud.publicClientId);
			expect(family.foci).toBe('1');
			const own = await signInWith(ownClient);
			expect(own.foci).toBeUndefined();
			expect(own).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String), id_token: expect.any(String) });
			expect(JSON.parse(Buffer.from(own.client_info, 'base64url').toString())).toEqual({ uid: cloud.user.oid, utid: cloud.tenantId });
			expect(claims(own.access_token).appid).toBe(ownClient);
		});

		it('lets a person approve on the device login page', async () => {
			const r = await fetch(`${cloud.authorityHost}/organizations/oauth2/v2.0/devicecode`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ client_id: cloud.publicClientId, scope: delegated().join(' ') }),
			});
			const { user_code: userCode } = (await r.json()) as { user_code: string };
			const page = await fetch(`${cloud.authorityHost}/devicelogin`);
			expect(await page.text()).toContain('name="user_code"');
			const approved = await fetch(`${cloud.authorityHost}/devicelogin`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ user_code: userCode.toLowerCase(), action: 'approve' }),
			});
			expect(await approved.text()).toContain('You have signed in');
			expect(cloud.deviceCodeList()[0]).toMatchObject({ userCode, status: 'approved' });
		});
	});

	it('serves OIDC metadata whose issuer matches the host, per tenant form', async () => {
		const get = async (tenant: string): Promise<any> => (await fetch(`${cloud.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`)).json();
		expect((await get('organizations')).issuer).toBe(`${cloud.authorityHost}/{tenantid}/v2.0`);
		expect((await get(cloud.tenantId)).issuer).toBe(`${cloud.authorityHost}/${cloud.tenantId}/v2.0`);
		expect((await get(cloud.tenantDomain)).token_endpoint).toBe(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`);
		expect((await get('nope.onmicrosoft.com')).error_codes).toEqual([90002]);
	});
});
