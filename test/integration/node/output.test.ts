/*
 * Output (Raw / Simplified / Selected Fields) of Get and List for incidents and alerts, the Last Updated Before
 * filter and the Include Comments option: requests sent to the simulated Graph and items out.
 */
import type { IDataObject } from 'n8n-workflow';

import { SELECTABLE_FIELDS, SIMPLIFIED_FIELDS } from '../../../nodes/Microsoft365Defender/actions/output';
import { incidentLocator, resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	bed = await startTestBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const json = (out: { items: Array<{ json: IDataObject }> }) => out.items.map((item) => item.json);
const alertLocator = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Output: Raw (default)', () => {
	test('List Incidents without Output: Graph objects as returned, no $select', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'getAll', limit: 3 });
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests()[0].query.$select).toBeUndefined();
		expect(json(out)[0]).toEqual(expect.objectContaining({ tenantId: bed.cloud.tenantId, comments: expect.any(Array) }));
		expect(json(out).map((i) => i.id)).toEqual(bed.cloud.incidents.slice(0, 3).map((i) => i.id));
	});
});

describe('Output: Simplified', () => {
	test('List Incidents: the main fields first, in order, no tenantId or other fields', async () => {
		const out = await bed.run({ resource: 'incident', operation: 'getAll', limit: 4, output: 'simple' });
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests()[0].query.$select).toBeUndefined();
		const items = json(out);
		expect(items).toHaveLength(4);
		for (const [k, item] of items.entries()) {
			const incident = bed.cloud.incidents[k];
			expect(Object.keys(item)).toEqual(SIMPLIFIED_FIELDS.incident.filter((field) => field in incident));
			expect(Object.keys(item).slice(0, 4)).toEqual(['id', 'displayName', 'severity', 'status']);
			expect(item).toMatchObject({ id: incident.id, severity: incident.severity, incidentWebUrl: incident.incidentWebUrl });
			expect(item.tenantId).toBeUndefined();
		}
	});

	test('Get Incident with Include Alerts: the alerts are simplified too', async () => {
		const incident = bed.cloud.incidents.find((i) => (i.alerts as unknown[]).length > 0)!;
		const out = await bed.run({
			resource: 'incident',
			operation: 'get',
			incidentId: incidentLocator(String(incident.id)),
			output: 'simple',
			options: { includeAlerts: true },
		});
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests()[0].query).toEqual({ $expand: 'alerts' });
		const [item] = json(out);
		expect(item.id).toBe(incident.id);
		const alerts = item.alerts as IDataObject[];
		expect(alerts).toHaveLength((incident.alerts as unknown[]).length);
		expect(Object.keys(alerts[0]).slice(0, 4)).toEqual(['id', 'title', 'severity', 'status']);
		expect(alerts[0]['@odata.type']).toBeUndefined();
		expect(alerts[0].evidence).toBeUndefined();
	});

	test('List Alerts and Get Alert: no @odata.type, title and severity up front', async () => {
		const list = await bed.run({ resource: 'alert', operation: 'getAll', limit: 2, output: 'simple' });
		expect(list.error).toBeUndefined();
		const [first] = json(list);
		expect(Object.keys(first).slice(0, 4)).toEqual(['id', 'title', 'severity', 'status']);
		expect(first['@odata.type']).toBeUndefined();

		bed.cloud.clearRequests();
		const get = await bed.run({ resource: 'alert', operation: 'get', alertId: alertLocator(String(first.id)), output: 'simple' });
		expect(get.error).toBeUndefined();
		expect(json(get)).toEqual([first]);
	});
});

describe('Output: Selected Fields', () => {
	test('List Incidents sends $select with id first and outputs only those fields', async () => {
		const out = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			limit: 3,
			output: 'fields',
			fields: ['severity', 'displayName'],
		});
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests()[0].query).toEqual({ $select: 'id,severity,displayName', $top: '3' });
		expect(json(out)).toEqual(
			bed.cloud.incidents.slice(0, 3).map((i) => ({ id: i.id, severity: i.severity, displayName: i.displayName })),
		);
	});

	test('$select with $expand=alerts: the alerts still come, in full', async () => {
		const incident = bed.cloud.incidents.find((i) => (i.alerts as unknown[]).length > 0)!;
		const out = await bed.run({
			resource: 'incident',
			operation: 'get',
			incidentId: incidentLocator(String(incident.id)),
			output: 'fields',
			fields: ['status'],
			options: { includeAlerts: true },
		});
		expect(out.error).toBeUndefined();
		expect(bed.graphRequests()[0].query).toEqual({ $select: 'id,status', $expand: 'alerts' });
		const [item] = json(out);
		expect(Object.keys(item)).toEqual(['id', 'status', 'alerts']);
		expect((item.alerts as IDataObject[]).map((a) => a.id)).toEqual((incident.alerts as IDataObject[]).map((a) => a.id));
		expect((item.alerts as IDataObject[])[0].evidence).toBeDefined();
	});

	test('List Alerts and Get Alert send $select; the Incident ID filter (no $select on $expand) is shaped locally', async () => {
		const list = await bed.run({ resource: 'alert', operation: 'getAll', limit: 2, output: 'fields', fields: ['title'] });
		expect(list.error).toBeUndefined();
		expect(bed.graphRequests()[0].query.$select).toBe('id,title');
		expect(json(list).every((a) => Object.keys(a).join() === 'id,title')).toBe(true);

		bed.cloud.clearRequests();
		const get = await bed.run({
			resource: 'alert',
			operation: 'get',
			alertId: alertLocator(String(json(list)[0].id)),
			output: 'fields',
			fields: ['serviceSource'],
		});
		expect(bed.graphRequests()[0].query).toEqual({ $select: 'id,serviceSource' });
		expect(Object.keys(json(get)[0])).toEqual(['id', 'serviceSource']);

		const incident = bed.cloud.incidents.find((i) => (i.alerts as unknown[]).length > 0)!;
		bed.cloud.clearRequests();
		const ofIncident = await bed.run({
			resource: 'alert',
			operation: 'getAll',
			returnAll: true,
			output: 'fields',
			fields: ['incidentId'],
			filters: { incidentId: String(incident.id) },
		});
		expect(ofIncident.error).toBeUndefined();
		expect(bed.graphRequests()[0].query).toEqual({ $expand: 'alerts' });
		expect(json(ofIncident).every((a) => Object.keys(a).join() === 'id,incidentId' && a.incidentId === incident.id)).toBe(true);
	});

	test('no field chosen, or one Graph does not have: refused before any request, naming the field', async () => {
		const none = await bed.run({ resource: 'incident', operation: 'getAll', output: 'fields', fields: [] });
		// n8n's own check of the required parameter answers first in the editor and in a run
		expect(none.error?.message).toMatch(/"Fields" is required|"Fields": choose at least one field/);
		const unknown = await bed.run({ resource: 'alert', operation: 'getAll', output: 'fields', fields: ['severity', 'riskScore'] });
		expect(unknown.error?.message).toMatch(/Fields/);
		expect(unknown.error?.message).toMatch(/riskScore/);
		const badMode = await bed.run({ resource: 'incident', operation: 'getAll', output: 'pretty' });
		expect(badMode.error?.message).toMatch(/"Output" has the unknown value "pretty"/);
		expect(bed.graphRequests()).toHaveLength(0);
	});

	test('the field lists are exactly the properties of Graph v1.0 $metadata', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const schema = require('../../../schema/graph-security.json');
		expect([...SELECTABLE_FIELDS.incident].sort()).toEqual(Object.keys(schema.entities.incident.properties).sort());
		expect([...SELECTABLE_FIELDS.alert].sort()).toEqual(Object.keys(schema.entities.alert.properties).sort());
		for (const entity of ['incident', 'alert'] as const) {
			expect(SIMPLIFIED_FIELDS[entity].every((field) => SELECTABLE_FIELDS[entity].includes(field))).toBe(true);
		}
	});
});

describe('Last Updated Before and Include Comments', () => {
	test('List Incidents and List Alerts send lastUpdateDateTime lt (exclusive)', async () => {
		const incidents = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			returnAll: true,
			filters: { lastUpdatedAfter: '2000-01-01T00:00:00Z', lastUpdatedBefore: '2100-01-01T00:00:00Z' },
		});
		expect(incidents.error).toBeUndefined();
		expect(bed.graphRequests()[0].query.$filter).toBe(
			'lastUpdateDateTime ge 2000-01-01T00:00:00.000Z and lastUpdateDateTime lt 2100-01-01T00:00:00.000Z',
		);
		expect(incidents.items).toHaveLength(bed.cloud.incidents.length);

		const cut = String(bed.cloud.incidents[0].lastUpdateDateTime);
		bed.cloud.clearRequests();
		const before = await bed.run({ resource: 'incident', operation: 'getAll', returnAll: true, filters: { lastUpdatedBefore: cut } });
		expect(json(before).map((i) => i.id)).toEqual(
			bed.cloud.incidents.filter((i) => Date.parse(String(i.lastUpdateDateTime)) < Date.parse(cut)).map((i) => i.id),
		);

		bed.cloud.clearRequests();
		const alerts = await bed.run({ resource: 'alert', operation: 'getAll', limit: 5, filters: { lastUpdatedBefore: '2100-01-01T00:00:00Z' } });
		expect(alerts.error).toBeUndefined();
		expect(bed.graphRequests()[0].query.$filter).toBe('lastUpdateDateTime lt 2100-01-01T00:00:00.000Z');
	});

	test('List Alerts by Incident ID applies Last Updated Before itself', async () => {
		const incident = bed.cloud.incidents.find((i) => (i.alerts as unknown[]).length > 0)!;
		const out = await bed.run({
			resource: 'alert',
			operation: 'getAll',
			returnAll: true,
			filters: { incidentId: String(incident.id), lastUpdatedBefore: '2000-01-01T00:00:00Z' },
		});
		expect(out.error).toBeUndefined();
		expect(out.items).toHaveLength(0);
	});

	test('Include Comments off drops comments (default keeps them)', async () => {
		const withComments = await bed.run({ resource: 'incident', operation: 'getAll', limit: 2 });
		expect(json(withComments).every((i) => Array.isArray(i.comments))).toBe(true);
		const without = await bed.run({ resource: 'incident', operation: 'getAll', limit: 2, options: { includeComments: false } });
		expect(json(without).every((i) => !('comments' in i) && i.id !== undefined)).toBe(true);
		const get = await bed.run({
			resource: 'incident',
			operation: 'get',
			incidentId: incidentLocator(String(bed.cloud.incidents[0].id)),
			options: { includeComments: false },
		});
		expect(json(get)[0].comments).toBeUndefined();
	});
});
