import {
	InvalidInputError,
	buildDeviceFilter,
	buildIndicatorFilter,
	pendingActionFilter,
	permissionHint,
	requireComment,
	requireDeviceName,
	requireIndicatorAction,
	requireIndicatorId,
	requireIndicatorValue,
	requireMachineActionId,
	requireMachineId,
	requireSha1,
} from '../../../nodes/Microsoft365Defender/helpers';

const MACHINE = '1e5bc9d7e413ddd7902c2932e418702b84d0cc07';
const SHA1 = '87662bc3d60e4200ceaf7aae249d1c343f4b83c9';
const SHA256 = 'a'.repeat(64);
const MD5 = 'b'.repeat(32);
const SECRET = 'Zq8~secret.Value_that-MUST-not-show~1234567';

/** The error thrown by `run`; asserts it is our input error and that it does not repeat `value`. */
function refusal(run: () => unknown, value?: string): InvalidInputError {
	let caught: unknown;
	try {
		run();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InvalidInputError);
	const error = caught as InvalidInputError;
	if (value !== undefined && value.length > 3) expect(error.message).not.toContain(value);
	return error;
}

describe('requireMachineId', () => {
	it('accepts 40 hex characters, trimmed and lower-cased', () => {
		expect(requireMachineId(` ${MACHINE.toUpperCase()} `)).toBe(MACHINE);
	});
	it.each([['', 'empty'], [MACHINE.slice(1), '39 hexadecimal'], [`${MACHINE}0`, '41 hexadecimal'], ['ws-finance-01', 'not all of them hexadecimal'], [SECRET, 'characters']])(
		'refuses %p naming the field and what is allowed, never the value',
		(value, shape) => {
			const error = refusal(() => requireMachineId(value), value);
			expect(error.message).toContain('"Device"');
			expect(error.message).toContain('40 hexadecimal characters');
			expect(error.message).toContain(shape);
		},
	);
	it('says a GUID is the Entra device id', () => {
		expect(refusal(() => requireMachineId('3f2b6c1e-8a4d-4e2f-9b1c-7d5e3a9f0b12')).message).toMatch(/aadDeviceId/);
	});
	it('refuses objects from expressions', () => {
		refusal(() => requireMachineId({ id: MACHINE }));
	});
});

describe('requireDeviceName, requireMachineActionId, requireIndicatorId', () => {
	it('device names: DNS names, lower-cased, a trailing dot dropped', () => {
		expect(requireDeviceName('WS-Finance-01.contoso.com.')).toBe('ws-finance-01.contoso.com');
		expect(requireDeviceName('ws-hr-07')).toBe('ws-hr-07');
		const error = refusal(() => requireDeviceName("x' or 1 eq 1"), "x' or 1 eq 1");
		expect(error.message).toContain('DNS name');
		refusal(() => requireDeviceName(''));
	});
	it('action ids are GUIDs', () => {
		expect(requireMachineActionId('7C3B6A2E-5F1D-4B8A-9E0C-2D4F6A8B0C1E')).toBe('7c3b6a2e-5f1d-4b8a-9e0c-2d4f6a8b0c1e');
		expect(refusal(() => requireMachineActionId(MACHINE), MACHINE).message).toMatch(/"Action ID".*GUID/);
	});
	it('indicator ids are numbers', () => {
		expect(requireIndicatorId(' 995 ')).toBe('995');
		expect(refusal(() => requireIndicatorId('abc/../1')).message).toMatch(/"Indicator ID".*number/);
	});
});

describe('requireSha1', () => {
	it('accepts a SHA-1, lower-cased', () => {
		expect(requireSha1(SHA1.toUpperCase())).toBe(SHA1);
	});
	it.each([[SHA256, 'SHA-256'], [MD5, 'MD5'], ['xyz', '3 characters'], ['', 'empty']])('refuses %p, saying what it looks like', (value, what) => {
		const error = refusal(() => requireSha1(value), value);
		expect(error.message).toContain('"SHA-1"');
		expect(error.message).toContain('40 hexadecimal');
		expect(error.message).toContain(what);
	});
});

describe('requireComment', () => {
	it('trims; empty and overlong are refused without repeating the text', () => {
		expect(requireComment('  isolate: alert 12  ')).toBe('isolate: alert 12');
		expect(refusal(() => requireComment('   ')).message).toMatch(/"Comment" is empty; Defender requires a comment/);
		const long = `${SECRET}${'x'.repeat(1000)}`;
		expect(refusal(() => requireComment(long), SECRET).message).toMatch(/at most 1000/);
	});
});

describe('requireIndicatorValue', () => {
	it.each([
		['FileSha1', SHA1.toUpperCase(), SHA1],
		['FileSha256', SHA256.toUpperCase(), SHA256],
		['FileMd5', MD5, MD5],
		['CertificateThumbprint', 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01', 'abcdef0123456789abcdef0123456789abcdef01'],
		['IpAddress', '203.0.113.7', '203.0.113.7'],
		['IpAddress', '2001:db8::7', '2001:db8::7'],
		['DomainName', 'Malicious.Example.com', 'malicious.example.com'],
		['Url', 'https://malicious.example.com/payload?x=1', 'https://malicious.example.com/payload?x=1'],
		['Url', 'malicious.example.com/payload', 'malicious.example.com/payload'],
		['Url', 'http://203.0.113.7/x', 'http://203.0.113.7/x'],
	])('%s %p is accepted', (type, value, expected) => {
		expect(requireIndicatorValue(type, value)).toEqual({ indicatorType: type, indicatorValue: expected });
	});

	it.each([
		['FileSha1', SHA256, /SHA-256 hash, pick its type/],
		['FileSha256', SHA1, /SHA-1 hash/],
		['FileMd5', 'not-a-hash', /32 hexadecimal/],
		['CertificateThumbprint', MD5, /40 hexadecimal/],
		['IpAddress', '10.0.0.0/24', /CIDR/],
		['IpAddress', '999.1.1.1', /IPv4 address such as/],
		['IpAddress', 'example.com', /IPv6/],
		['DomainName', 'https://malicious.example.com', /without scheme or path/],
		['DomainName', '203.0.113.7', /IpAddress/],
		['DomainName', 'bad_domain!', /labels of letters/],
		['Url', 'ftp://malicious.example.com/x', /http or https URL/],
		['Url', 'javascript:alert(1)', /http or https URL/],
		['Url', 'not a url', /http or https URL/],
	])('%s %p is refused', (type, value, message) => {
		const error = refusal(() => requireIndicatorValue(type, value), value);
		expect(error.message).toContain('"Indicator Value"');
		expect(error.message).toMatch(message);
	});

	it('an unknown type and an empty value are refused', () => {
		expect(refusal(() => requireIndicatorValue('Hostname', 'x')).message).toMatch(/"Indicator Type".*allowed: FileSha1/);
		expect(refusal(() => requireIndicatorValue('Url', ' ')).message).toMatch(/"Indicator Value" is empty/);
	});
});

describe('requireIndicatorAction', () => {
	it('Audit sends generateAlert true, even when not asked', () => {
		expect(requireIndicatorAction('Audit', 'Url', undefined)).toEqual({ action: 'Audit', generateAlert: true });
		expect(requireIndicatorAction('Audit', 'Url', true)).toEqual({ action: 'Audit', generateAlert: true });
		expect(refusal(() => requireIndicatorAction('Audit', 'Url', false)).message).toMatch(/"Generate Alert" must be on for the action Audit/);
	});
	it('Alert and AlertAndBlock are retired', () => {
		for (const action of ['Alert', 'AlertAndBlock']) {
			expect(refusal(() => requireIndicatorAction(action, 'FileSha1', true)).message).toMatch(/retired by Defender \(supported until January 2022\)/);
		}
	});
	it('BlockAndRemediate is for files, Warn for network indicators', () => {
		expect(requireIndicatorAction('BlockAndRemediate', 'FileSha256', undefined).action).toBe('BlockAndRemediate');
		expect(refusal(() => requireIndicatorAction('BlockAndRemediate', 'Url', undefined)).message).toMatch(/files only/);
		expect(requireIndicatorAction('Warn', 'DomainName', undefined).action).toBe('Warn');
		expect(refusal(() => requireIndicatorAction('Warn', 'FileSha1', undefined)).message).toMatch(/Defender for Cloud Apps/);
	});
	it('others pass with generateAlert as asked; unknown ones list the allowed', () => {
		expect(requireIndicatorAction('Block', 'IpAddress', false)).toEqual({ action: 'Block', generateAlert: false });
		expect(requireIndicatorAction('Allowed', 'CertificateThumbprint', undefined)).toEqual({ action: 'Allowed', generateAlert: undefined });
		expect(refusal(() => requireIndicatorAction('Quarantine', 'Url', undefined)).message).toMatch(/allowed: Audit, Warn, Block, BlockAndRemediate, Allowed/);
	});
});

describe('device and indicator $filter', () => {
	it('every device filter, ORed within a list, ANDed together', () => {
		expect(
			buildDeviceFilter({
				nameStartsWith: "ws-o'brien",
				healthStatus: ['Active', 'ImpairedCommunication'],
				riskScore: ['High'],
				exposureLevel: 'Medium,High',
				osPlatform: 'Windows10, Windows11',
				machineTag: 'finance',
				lastSeenAfter: '2024-05-01T00:00:00Z',
				odataFilter: "onboardingStatus eq 'Onboarded'",
			}),
		).toBe(
			"startswith(computerDnsName,'ws-o''brien') and (healthStatus eq 'Active' or healthStatus eq 'ImpairedCommunication')" +
				" and riskScore eq 'High' and (exposureLevel eq 'Medium' or exposureLevel eq 'High')" +
				" and (osPlatform eq 'Windows10' or osPlatform eq 'Windows11') and machineTags/any(tag: tag eq 'finance')" +
				" and lastSeen ge 2024-05-01T00:00:00.000Z and (onboardingStatus eq 'Onboarded')",
		);
		expect(buildDeviceFilter({ machineTag: 'a, b' })).toBe("(machineTags/any(tag: tag eq 'a') or machineTags/any(tag: tag eq 'b'))");
		expect(buildDeviceFilter({})).toBeUndefined();
		expect(buildDeviceFilter({ lastSeenAfter: '2024-05-01T02:00' }, 'Europe/Berlin')).toBe('lastSeen ge 2024-05-01T00:00:00.000Z');
	});
	it('unknown enum values are refused', () => {
		expect(refusal(() => buildDeviceFilter({ riskScore: ['Severe'] })).message).toMatch(/"Risk Score".*allowed: None, Informational/);
		expect(refusal(() => buildDeviceFilter({ healthStatus: 'active' })).message).toMatch(/"Health Status"/);
		expect(refusal(() => buildDeviceFilter({ lastSeenAfter: 'yesterday' })).message).toMatch(/"Last Seen After"/);
	});
	it('indicator filters, retired actions listable', () => {
		expect(buildIndicatorFilter({ indicatorType: ['Url', 'DomainName'], action: ['AlertAndBlock'], indicatorValue: 'x.example.com', odataFilter: "severity eq 'High'" })).toBe(
			"(indicatorType eq 'Url' or indicatorType eq 'DomainName') and action eq 'AlertAndBlock' and indicatorValue eq 'x.example.com' and (severity eq 'High')",
		);
		expect(buildIndicatorFilter({})).toBeUndefined();
		refusal(() => buildIndicatorFilter({ indicatorType: 'Hash' }));
	});
	it('the pending action of a type on a device', () => {
		expect(pendingActionFilter(MACHINE, 'Isolate')).toBe(
			`machineId eq '${MACHINE}' and type eq 'Isolate' and (status eq 'Pending' or status eq 'InProgress')`,
		);
	});
});

describe('permissionHint', () => {
	it('names application and delegated permissions', () => {
		expect(permissionHint('isolate')).toBe('Machine.Isolate (application and delegated)');
		expect(permissionHint('readMachines')).toBe('Machine.Read.All or Machine.ReadWrite.All (application) or Machine.Read or Machine.ReadWrite (delegated)');
		expect(permissionHint('deleteIndicator')).toBe('Ti.ReadWrite or Ti.ReadWrite.All (application only: Defender has no delegated permission for this)');
		expect(permissionHint('stopAndQuarantineFile')).toMatch(/^Machine\.StopAndQuarantine /);
	});
});
