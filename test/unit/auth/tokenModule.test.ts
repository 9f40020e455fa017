import {
	SignInRequiredError,
	authenticateRequest,
	deviceCodeFingerprint,
	needsDeviceCodeRefresh,
	redactSecrets,
	signInInstructions,
	toTokenRequestError,
} from '../../../nodes/Microsoft365Defender/auth';

const SETTINGS = { tenantId: 'organizations', clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e' };
/** the settings plus the fingerprint a sign-in with them stores (a cache without one counts as other settings) */
const SIGNED_IN = { ...SETTINGS, signedInWith: deviceCodeFingerprint(SETTINGS) };

/** A msal-shaped serialized cache with one account, one refresh token and one access token. */
function tokenCache(accessTokenExpiresOn: Date): string {
	return JSON.stringify({
		Account: { a: { username: 'soc@contoso.com', name: 'SOC', realm: 'tid' } },
		RefreshToken: { r: { secret: 'rt-secret' } },
		AccessToken: { t: { secret: 'at-secret', expires_on: String(Math.floor(accessTokenExpiresOn.getTime() / 1000)) } },
	});
}

describe('device-code sign-in message', () => {
	it('has the URL, the code and the expiry time in UTC', () => {
		expect(
			signInInstructions({ verificationUri: 'https://microsoft.com/devicelogin', userCode: 'ABCD-EFGH', expiresAt: '2026-01-05T10:42:31.000Z' }),
		).toBe('To sign in, open https://microsoft.com/devicelogin and enter the code ABCD-EFGH, then run this node again. The code expires at 10:42 UTC.');
	});
});

describe('needsDeviceCodeRefresh', () => {
	const now = Date.parse('2026-01-05T10:00:00Z');
	it.each([
		['not signed in', { ...SETTINGS }, false],
		['not signed in, stale session value', { ...SETTINGS, session: '2026-01-05T11:00:00.000Z' }, true],
		['signed in with other settings', { ...SETTINGS, signedInWith: 'other', tokenCache: tokenCache(new Date(now + 3600_000)) }, true],
		['token cache without fingerprint', { ...SETTINGS, tokenCache: tokenCache(new Date(now + 3600_000)) }, true],
		['token valid for an hour', { ...SIGNED_IN, tokenCache: tokenCache(new Date(now + 3600_000)) }, false],
		['token valid for 4 minutes', { ...SIGNED_IN, tokenCache: tokenCache(new Date(now + 240_000)) }, true],
		['token expired', { ...SIGNED_IN, tokenCache: tokenCache(new Date(now - 1000)) }, true],
	])('%s -> %s', (_name, credentials, expected) => {
		expect(needsDeviceCodeRefresh(credentials, now)).toBe(expected);
	});
});

describe('authenticate (device code) never touches the network', () => {
	it('adds the stored access token', async () => {
		const options = await authenticateRequest(
			'microsoft365DefenderDeviceCodeApi',
			{ ...SIGNED_IN, tokenCache: tokenCache(new Date(Date.now() + 3600_000)), session: 'x' },
			{ url: 'https://graph.microsoft.com/v1.0/security/incidents' },
		);
		expect(options.headers).toEqual({ Authorization: 'Bearer at-secret' });
	});

	it('not signed in: SignInRequiredError with the stored pending code', async () => {
		const pendingSignIn = JSON.stringify({
			deviceCode: 'dc',
			userCode: 'ABCD-EFGH',
			verificationUri: 'https://microsoft.com/devicelogin',
			expiresAt: '2026-01-05T10:42:00.000Z',
			interval: 5,
		});
		const attempt = authenticateRequest('microsoft365DefenderDeviceCodeApi', { ...SETTINGS, tokenCache: '', pendingSignIn, session: '' }, { url: 'x' });
		await expect(attempt).rejects.toBeInstanceOf(SignInRequiredError);
		await expect(attempt).rejects.toThrow(/enter the code ABCD-EFGH/);
		const error = (await attempt.catch((e: Error) => e)) as SignInRequiredError;
		expect(error.pendingSignIn).toEqual({ verificationUri: 'https://microsoft.com/devicelogin', userCode: 'ABCD-EFGH', expiresAt: '2026-01-05T10:42:00.000Z' });
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain('"dc"');
	});
});

describe('errors carry no secrets', () => {
	it('redactSecrets removes JWTs, sensitive parameters and known values', () => {
		const text =
			'failed: client_secret=abc8Q~xyz&refresh_token=1.AXkAsecret and Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl plus mysecretvalue';
		const redacted = redactSecrets(text, ['mysecretvalue']);
		for (const secret of ['abc8Q~xyz', '1.AXkAsecret', 'eyJhbGciOiJSUzI1NiJ9', 'mysecretvalue']) {
			expect(redacted).not.toContain(secret);
		}
	});

	it('Entra errors keep the AADSTS text and add what to check, without trace lines', () => {
		const error = toTokenRequestError(
			{
				name: 'AuthenticationError',
				errorResponse: {
					error: 'invalid_client',
					errorDescription: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'x'.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 3",
				},
			},
			'The token request',
		);
		expect(error.message).toMatch(/^The token request was refused by Microsoft Entra ID: invalid_client: AADSTS7000215: Invalid client secret provided\./);
		expect(error.message).toMatch(/Check the Client Secret/);
		expect(error.message).not.toMatch(/Trace ID/);
		expect(error.aadstsCodes).toEqual(['AADSTS7000215']);
	});
});

it('authenticate refuses tokens stored for other sign-in settings', async () => {
	const attempt = authenticateRequest(
		'microsoft365DefenderDeviceCodeApi',
		{ ...SETTINGS, signedInWith: 'fingerprint-of-other-settings', tokenCache: tokenCache(new Date(Date.now() + 3600_000)), session: 'x' },
		{ url: 'https://graph.microsoft.com/v1.0/security/incidents' },
	);
	await expect(attempt).rejects.toThrow(/changed since the last sign-in: sign in again/);
});

describe('findAuthError', () => {
	it('finds the token module error on the cause chain, or by message where n8n 1.x dropped the cause', async () => {
		const { findAuthError, CredentialInputError, TokenRequestError, rememberThrownInsideN8n } = await import('../../../nodes/Microsoft365Defender/auth');
		const input = new CredentialInputError('clientId', 'is empty');
		const wrapped = Object.assign(new Error('wrapper'), { cause: Object.assign(new Error('middle'), { cause: input }) });
		expect(findAuthError(wrapped)).toBe(input);
		const token = rememberThrownInsideN8n(new TokenRequestError('refused by Entra')) as Error;
		expect(findAuthError(new Error('refused by Entra'))).toBe(token);
		expect(findAuthError(new Error('something else'))).toBeUndefined();
		expect(findAuthError('not an error')).toBeUndefined();
	});
});
