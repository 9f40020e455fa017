/** Indicator operations through the node against the simulated Defender for Endpoint API. */
import type { IDataObject } from 'n8n-workflow';

import { DEVICE_CODE, resetMdeBed, startMdeBed, type MdeBed } from './setup';

let bed: MdeBed;
beforeAll(async () => {
	bed = await startMdeBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetMdeBed(bed));

const json = (out: { items: Array<{ json: IDataObject }> }) => out.items.map((item) => item.json);
const body = (request: { body: string }) => JSON.parse(request.body) as IDataObject;

describe('Indicator → Submit', () => {
	test("Block a domain: Defender's body exactly, the indicator is the output", async () => {
		const out = await bed.runMde({
			resource: 'indicator',
			operation: 'create',
			indicatorType: 'DomainName',
			indicatorValue: ' C2.Example.com ',
			action: 'Block',
			title: 'C2 of incident 1234',
			description: 'Seen in the ransomware alert',
			additionalFields: { severity: 'High', expirationTime: '2099-01-01T00:00:00Z', recommendedActions: 'Isolate the device', rbacGroupNames: 'Workstations, Servers', generateAlert: true },
		});
		expect(out.error).toBeUndefined();
		const [request] = bed.mdeRequests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/api/indicators');
		expect(body(request)).toEqual({
			indicatorValue: 'c2.example.com',
			indicatorType: 'DomainName',
			action: 'Block',
			title: 'C2 of incident 1234',
			description: 'Seen in the ransomware alert',
			generateAlert: true,
			severity: 'High',
			expirationTime: '2099-01-01T00:00:00.000Z',
			recommendedActions: 'Isolate the device',
			rbacGroupNames: ['Workstations', 'Servers'],
		});
		expect(json(out)[0]).toMatchObject({ indicatorValue: 'c2.example.com', action: 'Block', severity: 'High', createdBy: bed.cloud.apps.secret.clientId });
		expect(json(out)[0]['@odata.context']).toBeUndefined();
	});

	test('Audit sends generateAlert true even when not asked; the same value again updates the same indicator', async () => {
		const sha256 = 'c'.repeat(64);
		const base = { resource: 'indicator', operation: 'create', indicatorType: 'FileSha256', indicatorValue: sha256, title: 't', description: 'd' };
		const first = json(await bed.runMde({ ...base, action: 'Audit' }))[0];
		expect(body(bed.mdeRequests()[0]).generateAlert).toBe(true);
		const second = json(await bed.runMde({ ...base, action: 'BlockAndRemediate', indicatorValue: sha256.toUpperCase() }))[0];
		expect(second.id).toBe(first.id);
		expect(second.action).toBe('BlockAndRemediate');
	});

	test('403: the Ti permission', async () => {
		const out = await bed.run(
			{ resource: 'indicator', operation: 'create', indicatorType: 'IpAddress', indicatorValue: '203.0.113.9', action: 'Block', title: 't', description: 'd' },
			{ credentials: { microsoft365DefenderClientCredentialsApi: bed.mdeReadOnlyApp } },
		);
		expect(`${out.error?.message} ${(out.error as { description?: string }).description}`).toContain('Ti.ReadWrite or Ti.ReadWrite.All (application) or Ti.ReadWrite (delegated)');
	});
});

describe('Indicator → Get Many and Delete', () => {
	test('filters become $filter; Delete removes it (204), a second Delete is "not found"', async () => {
		const created = bed.cloud.mde.addIndicator({ indicatorValue: 'https://bad.example.com/x', indicatorType: 'Url', action: 'Block', title: 't', description: 'd' });
		bed.cloud.mde.addIndicator({ indicatorValue: '198.51.100.4', indicatorType: 'IpAddress', action: 'Allowed', title: 't', description: 'd' });

		const list = await bed.runMde({ resource: 'indicator', operation: 'getAll', returnAll: true, filters: { indicatorType: ['Url'], action: ['Block'] } });
		expect(list.error).toBeUndefined();
		expect(json(list).map((indicator) => indicator.indicatorValue)).toEqual(['https://bad.example.com/x']);
		expect(bed.mdeRequests()[0].query).toEqual({ $filter: "indicatorType eq 'Url' and action eq 'Block'", $top: '10000' });

		bed.cloud.clearRequests();
		const deleted = await bed.runMde({ resource: 'indicator', operation: 'delete', indicatorId: String(created.id) });
		expect(deleted.error).toBeUndefined();
		expect(json(deleted)).toEqual([{ id: String(created.id), deleted: true }]);
		expect(bed.mdeRequests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`DELETE /api/indicators/${String(created.id)} 204`]);

		const again = await bed.runMde({ resource: 'indicator', operation: 'delete', indicatorId: String(created.id) });
		expect(again.error?.message).toMatch(new RegExp(`^Indicator ${String(created.id)} not found`));
	});

	test('Delete with the device-code credential is refused with the explanation, before any request', async () => {
		const ref = bed.store.add(DEVICE_CODE, {
			cloud: 'custom',
			authorityHost: bed.cloud.authorityHost,
			graphEndpoint: bed.cloud.graphEndpoint,
			mdeEndpoint: bed.cloud.mdeEndpoint,
			tenantId: bed.cloud.tenantId,
			clientId: bed.cloud.mdePublicClientId,
			mdeAccess: true,
		});
		const out = await bed.run({ authentication: 'deviceCode', resource: 'indicator', operation: 'delete', indicatorId: '1' }, { credentials: { [DEVICE_CODE]: ref } });
		expect(out.error?.message).toBe('Delete Indicator cannot be done with a user sign-in (Device Code)');
		expect((out.error as { description?: string }).description).toMatch(/documents only application permissions \(Ti\.ReadWrite or Ti\.ReadWrite\.All\)/);
		expect(bed.cloud.requests).toEqual([]);
	});
});
