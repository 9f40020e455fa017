import { resolveCloud } from '../../../nodes/Microsoft365Defender/auth';

describe('resolveCloud: each cloud value maps to its sign-in and Graph hosts and scopes', () => {
	it.each([
		// The table of INTERFACE.md: sign-in host, Graph host, Defender for Endpoint host.
		['global', 'https://login.microsoftonline.com', 'https://graph.microsoft.com', 'https://api.securitycenter.microsoft.com'],
		['usGcc', 'https://login.microsoftonline.com', 'https://graph.microsoft.com', 'https://api-gcc.securitycenter.microsoft.us'],
		['usGov', 'https://login.microsoftonline.us', 'https://graph.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'],
		['usGovDoD', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'],
	])('%s', (cloud, authorityHost, graph, mde) => {
		expect(resolveCloud({ cloud })).toEqual({
			cloud,
			authorityHost,
			graphEndpoint: graph,
			mdeEndpoint: mde,
			appScope: `${graph}/.default`,
			delegatedScopes: [`${graph}/SecurityIncident.ReadWrite.All`, `${graph}/SecurityAlert.ReadWrite.All`, `${graph}/ThreatHunting.Read.All`, 'offline_access'],
			managedIdentityResource: graph,
			disableInstanceDiscovery: false,
		});
	});

	it('no cloud value means global (the default)', () => {
		expect(resolveCloud({}).graphEndpoint).toBe('https://graph.microsoft.com');
		expect(resolveCloud({ cloud: '' }).authorityHost).toBe('https://login.microsoftonline.com');
	});

	it('custom uses the given https URLs, without trailing slash, and skips instance discovery', () => {
		const resolved = resolveCloud({
			cloud: 'custom',
			authorityHost: 'https://login.sovereign.example/',
			graphEndpoint: ' https://graph.sovereign.example ',
		});
		expect(resolved).toEqual({
			cloud: 'custom',
			authorityHost: 'https://login.sovereign.example',
			graphEndpoint: 'https://graph.sovereign.example',
			mdeEndpoint: undefined,
			appScope: 'https://graph.sovereign.example/.default',
			delegatedScopes: [
				'https://graph.sovereign.example/SecurityIncident.ReadWrite.All',
				'https://graph.sovereign.example/SecurityAlert.ReadWrite.All',
				'https://graph.sovereign.example/ThreatHunting.Read.All',
				'offline_access',
			],
			managedIdentityResource: 'https://graph.sovereign.example',
			disableInstanceDiscovery: true,
		});
	});

	it('custom takes the Defender for Endpoint URL when given, without trailing slash', () => {
		const resolved = resolveCloud({
			cloud: 'custom',
			authorityHost: 'https://login.example',
			graphEndpoint: 'https://graph.example',
			mdeEndpoint: 'https://mde.example/ ',
		});
		expect(resolved.mdeEndpoint).toBe('https://mde.example');
	});

	it('custom for a managed identity needs no authority host', () => {
		expect(resolveCloud({ cloud: 'custom', graphEndpoint: 'https://graph.example' }, false).managedIdentityResource).toBe(
			'https://graph.example',
		);
		expect(() => resolveCloud({ cloud: 'custom', graphEndpoint: 'https://graph.example' })).toThrow(/"authorityHost".*empty/);
	});

	it.each([
		[{ cloud: 'china' }, /Credential field "cloud": unknown cloud "china"; allowed: global, usGcc, usGov, usGovDoD, custom/],
		[{ cloud: 'toString' }, /"cloud": unknown cloud/],
		[{ cloud: 'custom', authorityHost: 'http://login.example', graphEndpoint: 'https://g.example' }, /"authorityHost": must be an https URL \(got "http"\)/],
		[{ cloud: 'custom', authorityHost: 'https://login.example', graphEndpoint: 'http://g.example' }, /"graphEndpoint": must be an https URL/],
		[{ cloud: 'custom', authorityHost: 'login.example', graphEndpoint: 'https://g.example' }, /"authorityHost": "login.example" is not a valid URL/],
		[{ cloud: 'custom', authorityHost: 'https://login.example', graphEndpoint: '' }, /"graphEndpoint": is empty/],
		[{ cloud: 'custom', authorityHost: 'https://login.example?x=1', graphEndpoint: 'https://g.example' }, /"authorityHost": must be a plain https URL/],
		[{ cloud: 'custom', authorityHost: 'https://login.example', graphEndpoint: 'https://g.example', mdeEndpoint: 'http://mde.example' }, /"mdeEndpoint": must be an https URL/],
	])('refuses %j', (credentials, message) => {
		expect(() => resolveCloud(credentials)).toThrow(message);
		try {
			resolveCloud(credentials);
		} catch (error) {
			expect((error as Error).name).toBe('CredentialInputError');
		}
	});
});
