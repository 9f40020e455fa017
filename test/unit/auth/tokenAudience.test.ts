import {
	authenticateRequest,
	deviceCodeFingerprint,
	needsDeviceCodeRefresh,
	resolveCloud,
} from '../../../nodes/Microsoft365Defender/auth';
import { audienceOfRequest, isTokenFor } from '../../../nodes/Microsoft365Defender/auth/tokenAudience';

const GRAPH = 'https://graph.microsoft.com';
const MDE = 'https://api.securitycenter.microsoft.com';

function jwt(aud: string): string {
	return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ aud })).toString('base64url')}.sig`;
}

describe('audienceOfRequest: the URL origin picks the audience', () => {
	const cloud = resolveCloud({ cloud: 'global' });
	it.each([
		[`${GRAPH}/v1.0/security/incidents`, 'graph'],
		[`${MDE}/api/machines`, 'mde'],
		['https://graph.microsoft.com:443/v1.0/x', 'graph'],
		['https://graph.microsoft.com.evil.example/v1.0/x', undefined],
		['http://graph.microsoft.com/v1.0/x', undefined],
		['https://api-gcc.securitycenter.microsoft.us/api/machines', undefined],
		['not a url', undefined],
	])('%s -> %s', (url, audience) => {
		expect(audienceOfRequest(cloud, { url })).toBe(audience);
	});

	it('a relative url with baseURL', () => {
		expect(audienceOfRequest(cloud, { url: '/api/machines', baseURL: MDE })).toBe('mde');
	});

	it('the legacy request options of n8n\'s HTTP Request node (predefined credential) name the URL `uri`', () => {
		expect(audienceOfRequest(cloud, { uri: `${GRAPH}/v1.0/security/secureScores` } as never)).toBe('graph');
		expect(audienceOfRequest(cloud, { uri: 'https://example.com/x' } as never)).toBeUndefined();
	});

	it('usGcc: Graph as global, its own Defender for Endpoint host', () => {
		const gcc = resolveCloud({ cloud: 'usGcc' });
		expect(audienceOfRequest(gcc, { url: `${MDE}/api/machines` })).toBeUndefined();
		expect(audienceOfRequest(gcc, { url: 'https://api-gcc.securitycenter.microsoft.us/api/machines' })).toBe('mde');
	});
});

describe('isTokenFor', () => {
	it.each([
		[jwt(GRAPH), GRAPH, 'graph', true],
		[jwt('00000003-0000-0000-c000-000000000000'), GRAPH, 'graph', true],
		[jwt(MDE), GRAPH, 'graph', false],
		[jwt(MDE), MDE, 'mde', true],
		[jwt('fc780465-2017-40d4-a0c5-307022471b92'), MDE, 'mde', true],
		[jwt(GRAPH), MDE, 'mde', false],
		[jwt('00000003-0000-0000-c000-000000000000'), MDE, 'mde', false],
		['opaque', MDE, 'mde', true],
	] as const)('%#', (token, endpoint, audience, expected) => {
		expect(isTokenFor(token, endpoint, audience)).toBe(expected);
	});
});

describe('device code: one cache, a token per audience', () => {
	const SETTINGS = { tenantId: 'organizations', clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e' };
	const SIGNED_IN = { ...SETTINGS, signedInWith: deviceCodeFingerprint(SETTINGS) };
	const now = Date.parse('2026-01-05T10:00:00Z');
	const expiry = (ms: number) => String(Math.floor((now + ms) / 1000));
	function cache(graphMs: number, mdeMs?: number, mdeAud = MDE): string {
		return JSON.stringify({
			Account: { a: { username: 'soc@contoso.com' } },
			RefreshToken: { r: { secret: 'rt' } },
			AccessToken: {
				g: { secret: jwt(GRAPH), expires_on: expiry(graphMs), target: 'SecurityIncident.ReadWrite.All SecurityAlert.ReadWrite.All ThreatHunting.Read.All profile openid' },
				...(mdeMs === undefined ? {} : { m: { secret: jwt(mdeAud), expires_on: expiry(mdeMs), target: `${mdeAud}/Machine.Read ${mdeAud}/Machine.Isolate openid profile` } }),
			},
		});
	}

	it.each([
		['mdeAccess off: only Graph counts', { tokenCache: cache(3600_000) }, false],
		['mdeAccess on, no MDE token yet', { mdeAccess: true, tokenCache: cache(3600_000) }, true],
		['mdeAccess on, both valid', { mdeAccess: true, tokenCache: cache(3600_000, 3600_000) }, false],
		['mdeAccess on, MDE within 5 minutes', { mdeAccess: true, tokenCache: cache(3600_000, 240_000) }, true],
		['mdeAccess on, MDE token of another host', { mdeAccess: true, tokenCache: cache(3600_000, 3600_000, 'https://old.example') }, true],
		['mdeAccess on, refused 1 minute ago', { mdeAccess: true, tokenCache: cache(3600_000), mdeTokenError: JSON.stringify({ message: 'no', at: now - 60_000 }) }, false],
		['mdeAccess on, refused 6 minutes ago', { mdeAccess: true, tokenCache: cache(3600_000), mdeTokenError: JSON.stringify({ message: 'no', at: now - 360_000 }) }, true],
		['the MDE token does not stand for Graph', { mdeAccess: true, tokenCache: cache(-1000, 3600_000) }, true],
	])('needsDeviceCodeRefresh: %s -> %s', (_name, fields, expected) => {
		expect(needsDeviceCodeRefresh({ ...SIGNED_IN, ...fields }, now)).toBe(expected);
	});

	it('authenticate attaches the token of the request host', async () => {
		const credentials = { ...SIGNED_IN, mdeAccess: true, tokenCache: cache(Date.now() - now + 3600_000, Date.now() - now + 3600_000), session: 'x' };
		const type = 'microsoft365DefenderDeviceCodeApi';
		const graph = await authenticateRequest(type, credentials, { url: `${GRAPH}/v1.0/security/incidents` });
		const mde = await authenticateRequest(type, credentials, { url: `${MDE}/api/machines` });
		expect(graph.headers).toEqual({ Authorization: `Bearer ${jwt(GRAPH)}` });
		expect(mde.headers).toEqual({ Authorization: `Bearer ${jwt(MDE)}` });
		await expect(authenticateRequest(type, credentials, { url: 'https://example.com/x' })).rejects.toThrow(
			`No token is sent to https://example.com: this credential's tokens go only to Microsoft Graph (${GRAPH}) and Defender for Endpoint (${MDE}).`,
		);
	});
});
