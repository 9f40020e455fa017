/*
 * Graph v1.0's own values end to end against the simulated cloud, which now refuses what Graph refuses:
 * the determination pairs of Graph's alertDetermination, the retired Defender API names refused before any
 * request, the evolvable status awaitingAction (seen and filtered only with
 * `Prefer: include-unknown-enum-members`, which every incidents request carries), unassigning with null.
 */
import type { IDataObject } from 'n8n-workflow';

import { searchList, testCredential } from '../../harness';
import { incidentLocator, nodeType, resetTestBed, startTestBed, type TestBed } from './setup';

let bed: TestBed;
beforeAll(async () => {
	bed = await startTestBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetTestBed(bed));

const PREFER = 'include-unknown-enum-members';
const incidentsRequests = () => bed.graphRequests().filter((r) => r.path.startsWith('/v1.0/security/incidents'));

describe("Update Incident with Graph's determinations", () => {
	test.each([
		['falsePositive', 'notMalicious'],
		['falsePositive', 'notEnoughDataToValidate'],
		['truePositive', 'compromisedAccount'],
		['informationalExpectedActivity', 'confirmedActivity'],
		['truePositive', 'apt'],
		['truePositive', 'securityPersonnel'],
	])('%s + %s: sent as is, accepted and stored by Graph', async (classification, determination) => {
		const target = bed.cloud.createIncident({ status: 'active' });
		const out = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { status: 'resolved', classification, determination },
		});
		expect(out.error).toBeUndefined();
		const [patch] = bed.graphRequests();
		expect(patch.method).toBe('PATCH');
		expect(patch.status).toBe(200);
		expect(JSON.parse(patch.body)).toEqual({ status: 'resolved', classification, determination });
		expect(out.items[0].json).toMatchObject({ id: target.id, classification, determination });
		expect(bed.cloud.getIncident(target.id as string)).toMatchObject({ classification, determination });
	});

	test.each([
		['falsePositive', 'clean', 'notMalicious'],
		['falsePositive', 'insufficientData', 'notEnoughDataToValidate'],
		['truePositive', 'compromisedUser', 'compromisedAccount'],
		['informationalExpectedActivity', 'confirmedUserActivity', 'confirmedActivity'],
	])('%s + the retired "%s" is refused with the Graph name "%s", before any request', async (classification, old, graphName) => {
		const target = bed.cloud.createIncident({ status: 'active' });
		const out = await bed.run(
			{
				resource: 'incident',
				operation: 'update',
				incidentId: incidentLocator(target.id as string),
				// as a saved workflow or an expression would carry it
				updateFields: { classification, determination: `={{ "${old}" }}`, comment: 'closing' },
			},
			{ checkIssues: false },
		);
		expect(out.error?.message).toBe(`Determination "${old}" is the retired Defender API's name; Graph calls it "${graphName}"`);
		// said once: no description repeating the message
		expect((out.error as { description?: string }).description ?? undefined).toBeUndefined();
		expect(bed.graphRequests()).toHaveLength(0);
		expect(bed.cloud.getIncident(target.id as string)?.determination).toBe(target.determination);
	});

	test('the simulated Graph itself refuses a retired name (so a node bug could not pass unseen)', async () => {
		const target = bed.cloud.createIncident({ status: 'active' });
		const token = await bed.run({ resource: 'incident', operation: 'get', incidentId: incidentLocator(target.id as string) });
		expect(token.error).toBeUndefined();
		const auth = bed.graphRequests()[0].headers.authorization as string;
		const r = await fetch(`${bed.cloud.graphEndpoint}/v1.0/security/incidents/${target.id as string}`, {
			method: 'PATCH',
			headers: { authorization: auth, 'content-type': 'application/json' },
			body: JSON.stringify({ classification: 'falsePositive', determination: 'clean' }),
		});
		expect(r.status).toBe(400);
		expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(
			/'clean'.*microsoft\.graph\.security\.alertDetermination/,
		);
	});
});

describe('awaitingAction (an evolvable member) and the Prefer header', () => {
	test('List shows it with its status and the status filter finds it; every request asked for evolvable members', async () => {
		const waiting = bed.cloud.createIncident({ status: 'awaitingAction', severity: 'high' });
		const all = await bed.run({ resource: 'incident', operation: 'getAll', returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items.find((item) => item.json.id === waiting.id)?.json.status).toBe('awaitingAction');
		expect(all.items.some((item) => item.json.status === 'unknownFutureValue')).toBe(false);

		const filtered = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			returnAll: true,
			filters: { status: ['awaitingAction'] },
		});
		expect(filtered.error).toBeUndefined();
		const expected = bed.cloud.incidents.filter((i) => i.status === 'awaitingAction').map((i) => i.id);
		expect(expected).toContain(waiting.id);
		expect(filtered.items.map((item) => item.json.id)).toEqual(expected);

		expect(incidentsRequests().length).toBeGreaterThan(1);
		for (const request of incidentsRequests()) expect(request.headers.prefer).toBe(PREFER);
	});

	test('Get, Update (PATCH, comment POST, GET again) and the resource locator search send it too', async () => {
		const waiting = bed.cloud.createIncident({ status: 'awaitingAction' });
		const got = await bed.run({ resource: 'incident', operation: 'get', incidentId: incidentLocator(waiting.id as string) });
		expect(got.items[0].json.status).toBe('awaitingAction');
		const updated = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(waiting.id as string),
			updateFields: { customTags: 'seen', comment: 'Defender Experts asked us' },
		});
		expect(updated.error).toBeUndefined();
		expect(updated.items[0].json.status).toBe('awaitingAction');
		const found = await searchList(nodeType, 'searchIncidents', {
			store: bed.store,
			credentials: { microsoft365DefenderClientCredentialsApi: bed.app },
			parameters: { resource: 'incident', operation: 'get' },
			path: 'parameters.incidentId',
			filter: String(waiting.id),
		});
		expect(found.results[0].name).toMatch(/, awaitingAction\)$/);
		expect(incidentsRequests().map((r) => r.method)).toEqual(['GET', 'PATCH', 'POST', 'GET', 'GET']);
		for (const request of incidentsRequests()) expect(request.headers.prefer).toBe(PREFER);
	});

	test('the credential test sends it; the hunting query (not an incidents path) does not', async () => {
		const app = bed.store.get(bed.app.id);
		const result = await testCredential(nodeType, 'microsoft365DefenderClientCredentialsApi', { store: bed.store, data: app });
		expect(result.status).toBe('OK');
		await bed.run({ resource: 'huntingQuery', operation: 'run', query: 'AlertInfo | take 1' });
		const [test, hunt] = bed.graphRequests();
		expect(test.path).toBe('/v1.0/security/incidents');
		expect(test.headers.prefer).toBe(PREFER);
		expect(hunt.path).toBe('/v1.0/security/runHuntingQuery');
		expect(hunt.headers.prefer).toBeUndefined();
	});
});

describe('errors said once', () => {
	test("an old name in a raw OData filter: Graph's refusal is the message, the description adds the filter sent, not the refusal again", async () => {
		const out = await bed.run({
			resource: 'incident',
			operation: 'getAll',
			limit: 5,
			filters: { odataFilter: "determination eq 'clean'" },
		});
		const message = out.error?.message ?? '';
		const description = (out.error as { description?: string }).description ?? '';
		expect(message).toBe(
			"The string 'clean' is not a valid enumeration type constant for property 'determination'. Allowed values: " +
				'unknown, apt, malware, securityPersonnel, securityTesting, unwantedSoftware, other, multiStagedAttack, compromisedAccount, ' +
				'phishing, maliciousUserActivity, notMalicious, notEnoughDataToValidate, confirmedActivity, lineOfBusinessApplication, ' +
				'unknownFutureValue. (HTTP 400, BadRequest)',
		);
		expect(description).toMatch(/^Filter sent: \(determination eq 'clean'\); request-id [0-9a-f-]{36}$/);
		expect(description).not.toContain('not a valid enumeration');
	});
});

describe('unassign', () => {
	test('an empty Assigned To sends null, and the incident has no owner afterwards', async () => {
		const target = bed.cloud.createIncident({ assignedTo: 'kai.carter@contoso.com' });
		const out = await bed.run({
			resource: 'incident',
			operation: 'update',
			incidentId: incidentLocator(target.id as string),
			updateFields: { assignedTo: '  ' },
		});
		expect(out.error).toBeUndefined();
		expect(JSON.parse(bed.graphRequests()[0].body)).toEqual({ assignedTo: null });
		expect((out.items[0].json as IDataObject).assignedTo).toBeNull();
		expect(bed.cloud.getIncident(target.id as string)?.assignedTo).toBeNull();
	});
});
