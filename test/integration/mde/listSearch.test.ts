/** The Device locator's From List mode: searchDevices against the simulated Defender for Endpoint API. */
import { SEED_MACHINE_IDS } from '../../../sim';
import { searchList } from '../../harness';
import { nodeType } from '../node/setup';
import { CLIENT_CREDENTIALS, resetMdeBed, startMdeBed, type MdeBed } from './setup';

let bed: MdeBed;
beforeAll(async () => {
	bed = await startMdeBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetMdeBed(bed));

const search = async (filter?: string, paginationToken?: string) =>
	await searchList(nodeType, 'searchDevices', {
		store: bed.store,
		credentials: { [CLIENT_CREDENTIALS]: bed.mdeApp },
		parameters: { resource: 'device', operation: 'get' },
		path: 'parameters.deviceId',
		filter,
		paginationToken,
	});

test('"<DNS name> (<OS>, <health>, risk <risk>)", Defender filters by name prefix or id', async () => {
	const all = await search();
	expect(all.results[0]).toEqual({ name: 'ws-finance-01.simcontoso.com (Windows11, Active, risk High)', value: SEED_MACHINE_IDS[0] });
	expect(all.paginationToken).toBeUndefined();
	expect(bed.mdeRequests()[0].query).toEqual({ $top: '50', $skip: '0' });

	const byName = await search(' WS-HR ');
	expect(byName.results.map((r) => r.value)).toEqual([SEED_MACHINE_IDS[1]]);
	expect(bed.mdeRequests()[1].query.$filter).toBe("startswith(computerDnsName,'ws-hr')");

	const byId = await search(SEED_MACHINE_IDS[2].toUpperCase());
	expect(byId.results.map((r) => r.value)).toEqual([SEED_MACHINE_IDS[2]]);
	expect(bed.mdeRequests()[2].query.$filter).toBe(`id eq '${SEED_MACHINE_IDS[2]}'`);
});

test('pages with $skip while a page is full; a token that is not ours starts over; no devices (404) is an empty list', async () => {
	const added = Array.from({ length: 50 }, (_, k) => bed.cloud.mde.addMachine({ computerDnsName: `page-${String(k).padStart(2, '0')}.simcontoso.com` }));
	try {
		const first = await search('page-');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		const second = await search('page-', first.paginationToken as string);
		expect(second.results).toEqual([]);
		expect(bed.mdeRequests()[1].query.$skip).toBe('50');
		await search('page-', 'https://elsewhere.example/next');
		expect(bed.mdeRequests()[2].query.$skip).toBe('0');
	} finally {
		bed.cloud.mde.machines.splice(bed.cloud.mde.machines.indexOf(added[0]), added.length);
	}
	const saved = [...bed.cloud.mde.machines];
	bed.cloud.mde.clearMachines();
	try {
		expect(await search()).toEqual({ results: [] });
	} finally {
		bed.cloud.mde.machines.push(...saved);
	}
});
