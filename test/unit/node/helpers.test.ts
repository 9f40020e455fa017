import {
	DETERMINATIONS_BY_CLASSIFICATION,
	DETERMINATION_OPTIONS,
	InvalidInputError,
	RETIRED_DETERMINATIONS,
	buildIncidentFilter,
	incidentPath,
	assertLinkTenant,
	parseAlertId,
	parseIncidentId,
	parseIncidentLink,
	requireDateTime,
	requireEnumValue,
	requireEnumValues,
	requireIsoDuration,
	requirePositiveInteger,
	requireVerdict,
	requireText,
} from '../../../nodes/Microsoft365Defender/helpers';
import { parseRetryAfter } from '../../../nodes/Microsoft365Defender/transport';
import { incidentIdLocator } from '../../../nodes/Microsoft365Defender/actions/incident/common';

describe('parseIncidentId', () => {
	it.each([
		[1234, '1234'],
		['  42 ', '42'],
		['https://security.microsoft.com/incidents/2972395?tid=3b7f1a5e-0000-4000-8000-000000000000', '2972395'],
		['https://security.microsoft.com/incident2/17/overview?tid=x', '17'],
		['https://security.microsoft.us/incidents/9', '9'],
		['https://security.microsoft.com/incidents/5/alerts?tid=x#top', '5'],
		['https://security.microsoft.com/incidents/5/', '5'],
		[{ __rl: true, mode: 'id', value: '77' }, '77'],
	])('accepts %p', (input, expected) => {
		expect(parseIncidentId(input)).toBe(expected);
		// the id n8n's own By URL check extracts (common.ts extractValue) is the id acted on
		if (typeof input === 'string' && input.startsWith('https://')) {
			expect(new RegExp(String(incidentIdLocator.modes![2].extractValue!.regex)).exec(input)?.[1]).toBe(expected);
		}
	});

	it.each([
		// each passes n8n's By URL check, which extracts 1001: the node must not act on 1002 (issue 11 item 9)
		'https://security.microsoft.com/incidents/1001/%2e%2e/1002',
		'https://security.microsoft.com/incidents/1001\\..\\1002',
		'https://security.microsoft.com/incidents/1001/../../incidents/1002',
		'https://security.microsoft.com/incidents/1001/unknownpage',
		'https://security.microsoft.com/incidents/1001%2F..%2F1002',
	])('refuses %p, which n8n\'s check reads as 1001', (input) => {
		expect(new RegExp(String(incidentIdLocator.modes![2].extractValue!.regex)).exec(input)?.[1]).toBe('1001');
		expect(() => parseIncidentId(input, 'Incident')).toThrow(/"Incident" must be a numeric incident id/);
	});

	it('a link of another tenant is refused when the credential names its tenant by GUID', () => {
		const tenant = '3b7f1a5e-0000-4000-8000-000000000000';
		const other = parseIncidentLink(`https://security.microsoft.com/incidents/5?tid=9c2d0000-0000-4000-8000-000000000000`);
		expect(() => assertLinkTenant(other, tenant)).toThrow(/"Incident" is a link to an incident of tenant 9c2d0000-0000-4000-8000-000000000000, but the credential signs in to tenant 3b7f1a5e/);
		expect(() => assertLinkTenant(parseIncidentLink(`https://security.microsoft.com/incidents/5?tid=${tenant.toUpperCase()}`), tenant)).not.toThrow();
		// a domain or "organizations" names no GUID to compare with
		expect(() => assertLinkTenant(other, 'contoso.onmicrosoft.com')).not.toThrow();
	});

	it.each([
		'1/../../users',
		'1?$filter=id eq 1',
		'abc',
		'-5',
		'1.5',
		'https://security.microsoft.com/incidents/1/../../users',
		'http://security.microsoft.com/incidents/5',
		'https://security.microsoft.com/alerts/5',
		'',
	])('refuses %p naming the field', (input) => {
		expect(() => parseIncidentId(input, 'Incident')).toThrow(InvalidInputError);
		expect(() => parseIncidentId(input, 'Incident')).toThrow(/"Incident"/);
	});

	it('refuses an object coming from an expression', () => {
		expect(() => parseIncidentId({ id: 5 })).toThrow(/must be text, but the expression gave an object/);
	});

	it('URL-encodes the id into the path', () => {
		expect(incidentPath('12')).toBe('/security/incidents/12');
		expect(incidentPath('a/b?c')).toBe('/security/incidents/a%2Fb%3Fc');
	});
});

describe('buildIncidentFilter', () => {
	it('returns undefined with nothing set', () => {
		expect(buildIncidentFilter({})).toBeUndefined();
		expect(buildIncidentFilter({ status: [], severity: '', assignedTo: '  ', odataFilter: '' })).toBeUndefined();
	});

	it('ORs values within a list and ANDs everything, raw filter in parentheses', () => {
		expect(
			buildIncidentFilter({
				status: ['active', 'inProgress'],
				severity: ['high'],
				assignedTo: "o'brien@contoso.com",
				createdAfter: '2024-05-01T00:00:00Z',
				createdBefore: new Date('2024-06-01T00:00:00Z'),
				lastUpdatedAfter: '2024-05-15T12:00:00+02:00',
				odataFilter: "classification eq 'truePositive' or determination eq 'malware'",
			}),
		).toBe(
			"(status eq 'active' or status eq 'inProgress') and severity eq 'high'" +
				" and assignedTo eq 'o''brien@contoso.com'" +
				' and createdDateTime ge 2024-05-01T00:00:00.000Z and createdDateTime lt 2024-06-01T00:00:00.000Z' +
				' and lastUpdateDateTime ge 2024-05-15T10:00:00.000Z' +
				" and (classification eq 'truePositive' or determination eq 'malware')",
		);
	});

	it('accepts a Luxon-like DateTime and comma-separated values from expressions', () => {
		const dateTime = { toJSDate: () => new Date('2024-01-02T03:04:05Z') };
		expect(buildIncidentFilter({ severity: 'high, medium', createdAfter: dateTime })).toBe(
			"(severity eq 'high' or severity eq 'medium') and createdDateTime ge 2024-01-02T03:04:05.000Z",
		);
	});

	it('refuses unknown enum values and bad dates naming the field', () => {
		expect(() => buildIncidentFilter({ status: ['open'] })).toThrow(
			/"Status" has the unknown value "open"; allowed: active, awaitingAction, inProgress, redirected, resolved/,
		);
		expect(() => buildIncidentFilter({ createdAfter: 'yesterday' })).toThrow(/"Created After" is not a date/);
		expect(() => buildIncidentFilter({ assignedTo: { upn: 'x' } })).toThrow(/"Assigned To" must be text/);
	});
});

describe('validation', () => {
	it('requireText refuses objects and lists, accepts numbers', () => {
		expect(requireText(5, 'Query')).toBe('5');
		expect(() => requireText({ a: 1 }, 'Query')).toThrow('"Query" must be text, but the expression gave an object: {"a":1}');
		expect(() => requireText(['a'], 'Query')).toThrow(/gave a list/);
		expect(() => requireText('  ', 'Query', { required: true })).toThrow('"Query" is empty');
	});

	it('enum checks name the parameter and list allowed values', () => {
		expect(requireEnumValue('high', ['high', 'low'], 'Severity')).toBe('high');
		expect(() => requireEnumValue('urgent', ['high', 'low'], 'Severity')).toThrow(
			'"Severity" has the unknown value "urgent"; allowed: high, low',
		);
		expect(requireEnumValues(undefined, ['a'], 'X')).toEqual([]);
	});

	it('ISO-8601 durations', () => {
		for (const ok of ['P7D', 'PT12H', 'P1DT6H', 'p30d', 'PT0.5S', 'P1Y2M3W4DT5H6M7S']) {
			expect(() => requireIsoDuration(ok, 'Timespan')).not.toThrow();
		}
		for (const bad of ['7d', 'P', 'PT', '1 day', 'P1H', 'PT1D']) {
			expect(() => requireIsoDuration(bad, 'Timespan')).toThrow(/"Timespan" is not an ISO-8601 duration/);
		}
	});

	it('limits must be whole numbers >= 1; huge ones pass', () => {
		expect(requirePositiveInteger(1e12, 'Limit')).toBe(1e12);
		expect(requirePositiveInteger('3', 'Limit')).toBe(3);
		for (const bad of [0, -1, 1.5, Number.NaN, Infinity, 'x', null]) {
			expect(() => requirePositiveInteger(bad, 'Limit')).toThrow(/"Limit" must be a whole number of at least 1/);
		}
	});

	it('dates', () => {
		expect(requireDateTime('2024-05-01', 'Created After')).toBe('2024-05-01T00:00:00.000Z');
		expect(() => requireDateTime({}, 'Created After')).toThrow(/"Created After"/);
	});

	it('determination must fit the classification', () => {
		const fits = (classification?: string, determination?: string) => () =>
			requireVerdict({
				...(classification === undefined ? {} : { classification }),
				...(determination === undefined ? {} : { determination }),
			});
		for (const [classification, determinations] of Object.entries(DETERMINATIONS_BY_CLASSIFICATION)) {
			for (const determination of determinations) {
				expect(fits(classification, determination)()).toEqual({ classification, determination });
			}
		}
		expect(fits('falsePositive', 'malware')).toThrow(
			'Determination "malware" does not fit classification "falsePositive"; allowed with "falsePositive": notMalicious, notEnoughDataToValidate, other',
		);
		expect(fits(undefined, 'malware')).toThrow(/needs "Classification"/);
		expect(fits('truePositive', undefined)()).toEqual({ classification: 'truePositive' });
		expect(fits('benign', undefined)).toThrow(/"Classification" has the unknown value "benign"/);
		// every determination in the table is offered as an option
		const offered = DETERMINATION_OPTIONS.map((option) => option.value);
		for (const determinations of Object.values(DETERMINATIONS_BY_CLASSIFICATION)) {
			for (const determination of determinations) expect(offered).toContain(determination);
		}
	});

	it("the retired Defender API's determination names are refused with Graph's name", () => {
		expect(RETIRED_DETERMINATIONS).toEqual({
			clean: 'notMalicious',
			insufficientData: 'notEnoughDataToValidate',
			compromisedUser: 'compromisedAccount',
			confirmedUserActivity: 'confirmedActivity',
		});
		const classificationOf: Record<string, string> = {
			clean: 'falsePositive',
			insufficientData: 'falsePositive',
			compromisedUser: 'truePositive',
			confirmedUserActivity: 'informationalExpectedActivity',
		};
		for (const [old, graphName] of Object.entries(RETIRED_DETERMINATIONS)) {
			expect(() => requireVerdict({ classification: classificationOf[old], determination: old })).toThrow(
				`Determination "${old}" is the retired Defender API's name; Graph calls it "${graphName}"`,
			);
			// the Graph name is offered, and says the old name people search for
			const option = DETERMINATION_OPTIONS.find((o) => o.value === graphName)!;
			expect(option.description).toContain(`"${old}"`);
			expect(DETERMINATION_OPTIONS.some((o) => o.value === old)).toBe(false);
		}
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		const now = Date.parse('2024-05-01T00:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('Wed, 01 May 2024 00:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('Tue, 30 Apr 2024 00:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});
});

describe('parseAlertId', () => {
	const id = 'da637551227677560813_-961444813';
	it('reads an id and a portal link (with a known sub-page and tid)', () => {
		expect(parseAlertId(id)).toBe(id);
		expect(parseAlertId({ __rl: true, mode: 'url', value: `https://security.microsoft.com/alerts/${id}?tid=x` })).toBe(id);
		expect(parseAlertId(`https://security.microsoft.com/alerts/${id}/details`)).toBe(id);
	});
	it('refuses a link whose raw text could be normalised to another alert (read like incident links)', () => {
		for (const link of [
			`https://security.microsoft.com/alerts/${id}/%2e%2e/other1`,
			`https://security.microsoft.com/alerts/${id}/../other1`,
			`https://security.microsoft.com/alerts/${id}\\..\\other1`,
			`https://security.microsoft.com/alerts/${id}/unknown-page`,
		]) {
			expect(() => parseAlertId(link)).toThrow(InvalidInputError);
		}
	});
});
