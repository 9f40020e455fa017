/**
 * Issue 11, item 10: date filters without a zone are read in the workflow's time zone (getTimezone()),
 * not the n8n process's; values with a zone, and Luxon DateTimes from expressions, are taken as given.
 */
import { resetTestBed, startTestBed, type TestBed } from '../node/setup';

let bed: TestBed;
beforeAll(async () => {
	bed = await startTestBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const list = (createdAfter: string) => ({
	authentication: 'clientCredentials',
	resource: 'incident',
	operation: 'getAll',
	returnAll: false,
	limit: 1,
	filters: { createdAfter },
});
const sentFilter = () => bed.graphRequests()[0].query.$filter;

it.each([
	['America/New_York', '2024-05-01T10:00:00', '2024-05-01T14:00:00.000Z'],
	['Europe/Berlin', '2024-05-01T10:00:00', '2024-05-01T08:00:00.000Z'],
	['Europe/Berlin', '2024-01-15T10:00:00', '2024-01-15T09:00:00.000Z'],
	['UTC', '2024-05-01T10:00:00', '2024-05-01T10:00:00.000Z'],
	['Asia/Kolkata', '2024-05-01', '2024-04-30T18:30:00.000Z'],
	['America/New_York', '2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
	['America/New_York', '2024-05-01T10:00:00+02:00', '2024-05-01T08:00:00.000Z'],
])('workflow time zone %s: %s is sent as %s', async (timezone, value, expected) => {
	const result = await bed.run(list(value), { timezone });
	expect(result.error).toBeUndefined();
	expect(sentFilter()).toBe(`createdDateTime ge ${expected}`);
});

it('the process time zone (TZ) does not matter, the workflow\'s does', async () => {
	const saved = process.env.TZ;
	process.env.TZ = 'America/Los_Angeles';
	try {
		await bed.run(list('2024-05-01T10:00:00'), { timezone: 'Europe/Berlin' });
		expect(sentFilter()).toBe('createdDateTime ge 2024-05-01T08:00:00.000Z');
	} finally {
		if (saved === undefined) delete process.env.TZ;
		else process.env.TZ = saved;
	}
});

it('a Luxon DateTime from an expression is taken as the instant it is', async () => {
	const result = await bed.run(list("={{ DateTime.fromISO('2024-05-01T10:00:00', { zone: 'Asia/Tokyo' }) }}"), { timezone: 'Europe/Berlin' });
	expect(result.error).toBeUndefined();
	expect(sentFilter()).toBe('createdDateTime ge 2024-05-01T01:00:00.000Z');
});
