/*
 * Microsoft Graph v1.0's own $metadata is the judge (schema/graph-security.json, extracted from
 * ../shared/graph/security-v1.0.csdl.xml by scripts/extract-graph-schema.js): every enum value a node or
 * trigger parameter offers, every property the node filters or writes, the pairing table, the hunting
 * action's parameters. Adding a value Graph does not have fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import schema from '../../../schema/graph-security.json';
import {
	DETERMINATIONS_BY_CLASSIFICATION,
	DETERMINATIONS,
	RETIRED_DETERMINATIONS,
	buildIncidentFilter,
} from '../../../nodes/Microsoft365Defender/helpers';
import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { Microsoft365DefenderTrigger } from '../../../nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node';
import { evolvableEnumHeaders } from '../../../nodes/Microsoft365Defender/transport';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extract } = require('../../../scripts/extract-graph-schema.js') as { extract: (csdl: string, name: string) => unknown };

type Entity = 'incident' | 'alert';
interface SchemaProperty {
	type: string;
	enum?: string;
}
const entities = schema.entities as unknown as Record<
	Entity,
	{ properties: Record<string, SchemaProperty>; filterable: string[]; updatable: string[]; navigationProperties: Record<string, unknown> }
>;
const enums = schema.enums as Record<string, { members: string[]; evolvable: string[] }>;

/** Graph's members of the enum behind an entity's property ('unknownFutureValue' is a sentinel, never a value). */
function graphMembers(entity: Entity, property: string): string[] {
	const enumName = entities[entity].properties[property]?.enum;
	if (enumName === undefined) throw new Error(`${entity}.${property} is not an enum in Graph's metadata`);
	return enums[enumName].members.filter((m) => m !== 'unknownFutureValue');
}

interface OfferedEnum {
	where: string;
	entity: Entity;
	name: string;
	values: string[];
}

/** Which Graph entity a parameter talks about: its resource, or the trigger event it is shown for. */
function entityOf(parameter: INodeProperties | INodePropertyCollection, inherited: Entity): Entity {
	const show = (parameter as INodeProperties).displayOptions?.show ?? {};
	const resource = (show.resource as string[] | undefined)?.[0];
	const event = (show.event as string[] | undefined)?.[0];
	if (resource === 'alert' || (event !== undefined && event.startsWith('alert'))) return 'alert';
	if (resource === 'incident' || (event !== undefined && event.startsWith('incident'))) return 'incident';
	return inherited;
}

/** Every options / multiOptions parameter, also inside collections, with the entity it belongs to. */
function offeredEnums(properties: INodeProperties[], where: string, inherited: Entity = 'incident'): OfferedEnum[] {
	const found: OfferedEnum[] = [];
	for (const parameter of properties) {
		// Device and Indicator are Defender for Endpoint's API, not Graph's (their values: test/unit/mde)
		const resource = ((parameter as INodeProperties).displayOptions?.show?.resource as string[] | undefined)?.[0];
		if (resource === 'device' || resource === 'indicator') continue;
		const entity = entityOf(parameter, inherited);
		const options = (parameter.options ?? []) as Array<INodePropertyOptions | INodeProperties | INodePropertyCollection>;
		if (parameter.type === 'options' || parameter.type === 'multiOptions') {
			found.push({
				where: `${where}${parameter.name}`,
				entity,
				name: parameter.name,
				values: (options as INodePropertyOptions[]).map((o) => String(o.value)),
			});
		} else if (parameter.type === 'collection' || parameter.type === 'fixedCollection') {
			const nested = options.flatMap((o) =>
				'values' in o && Array.isArray((o as INodePropertyCollection).values)
					? (o as INodePropertyCollection).values
					: [o as INodeProperties],
			);
			found.push(...offeredEnums(nested, `${where}${parameter.name}.`, entity));
		}
	}
	return found;
}

const nodeParameters = offeredEnums(new Microsoft365Defender().description.properties, 'node ');
const triggerParameters = offeredEnums(new Microsoft365DefenderTrigger().description.properties, 'trigger ');
const graphBacked = [...nodeParameters, ...triggerParameters].filter(
	(p) => entities[p.entity].properties[p.name]?.enum !== undefined,
);

describe("every enum value offered is Graph's own", () => {
	test('the parameters named after Graph enum properties are found (status, severity, classification, determination)', () => {
		const names = new Set(graphBacked.map((p) => `${p.entity}.${p.name}`));
		for (const expected of ['incident.status', 'incident.severity', 'incident.classification', 'incident.determination']) {
			expect(names).toContain(expected);
		}
		expect(graphBacked.filter((p) => p.where.startsWith('trigger')).length).toBeGreaterThanOrEqual(2);
	});

	test.each(graphBacked.map((p) => [p.where, p] as const))('%s', (_where, parameter) => {
		const members = graphMembers(parameter.entity, parameter.name);
		const notGraph = parameter.values.filter((value) => !members.includes(value));
		expect({ parameter: parameter.where, notGraph }).toEqual({ parameter: parameter.where, notGraph: [] });
	});

	test('the pairing table uses only Graph members, and every determination Graph has (but the sentinel) is paired', () => {
		const classifications = graphMembers('incident', 'classification');
		const determinations = graphMembers('incident', 'determination');
		for (const [classification, allowed] of Object.entries(DETERMINATIONS_BY_CLASSIFICATION)) {
			expect(classifications).toContain(classification);
			for (const determination of allowed) expect(determinations).toContain(determination);
		}
		const paired = new Set(Object.values(DETERMINATIONS_BY_CLASSIFICATION).flat());
		expect([...paired].sort()).toEqual([...determinations].sort());
		expect([...DETERMINATIONS].sort()).toEqual([...determinations].sort());
		// alerts take the same enums, so the same table serves them
		expect(graphMembers('alert', 'determination')).toEqual(determinations);
		expect(graphMembers('alert', 'classification')).toEqual(classifications);
	});

	test("the retired names are not Graph's, their replacements are", () => {
		const determinations = graphMembers('incident', 'determination');
		for (const [old, graphName] of Object.entries(RETIRED_DETERMINATIONS)) {
			expect(determinations).not.toContain(old);
			expect(determinations).toContain(graphName);
		}
	});

	test('Update Incident does not offer the evolvable awaitingAction; List and the trigger filter by it', () => {
		expect(enums.incidentStatus.evolvable).toEqual(['awaitingAction']);
		const status = (where: string) => graphBacked.find((p) => p.where === where)!.values;
		expect(status('node updateFields.status')).not.toContain('awaitingAction');
		expect(status('node filters.status')).toContain('awaitingAction');
		expect(status('trigger filters.status')).toContain('awaitingAction');
	});
});

describe('every property the node filters or writes exists on the Graph entity', () => {
	test('the $filter the List operation and the trigger build uses only filterable incident properties', () => {
		const filter = buildIncidentFilter({
			status: ['active'],
			severity: ['high'],
			assignedTo: 'a@b.c',
			createdAfter: '2024-01-01T00:00:00Z',
			createdBefore: '2024-02-01T00:00:00Z',
			lastUpdatedAfter: '2024-01-15T00:00:00Z',
		})!;
		const used = [...filter.matchAll(/(\w+) (?:eq|ne|ge|gt|le|lt) /g)].map((m) => m[1]);
		expect(used.length).toBeGreaterThanOrEqual(6);
		for (const property of used) expect(entities.incident.filterable).toContain(property);
	});

	test("the OData Filter field names exactly Graph's filterable properties", () => {
		const list = new Microsoft365Defender().description.properties.find(
			(p) => p.name === 'filters' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes('incident'),
		)!;
		const odata = (list.options as INodeProperties[]).find((o) => o.name === 'odataFilter')!;
		const named = /Filterable properties: ([^.]+)\./.exec(odata.description ?? '')![1].split(', ');
		expect(named.sort()).toEqual([...entities.incident.filterable].sort());
	});

	test('the Update Fields are updatable properties (comment goes to the comments action)', () => {
		const update = new Microsoft365Defender().description.properties.find((p) => p.name === 'updateFields')!;
		const fields = (update.options as INodeProperties[]).map((o) => o.name).filter((name) => name !== 'comment');
		for (const field of fields) expect(entities.incident.updatable).toContain(field);
		expect(Object.keys(schema.complexTypes.alertComment.properties)).toContain('comment');
	});

	test("Run Hunting Query's body keys are runHuntingQuery's parameter names as the metadata spells them", () => {
		expect(Object.keys(schema.actions.runHuntingQuery.parameters).sort()).toEqual(['query', 'timespan']);
		const source = fs.readFileSync(
			path.join(__dirname, '../../../nodes/Microsoft365Defender/actions/huntingQuery/run.operation.ts'),
			'utf8',
		);
		expect(source).toMatch(/body: IDataObject = \{ query \}/);
		expect(source).toMatch(/body\.timespan = /);
	});
});

describe('evolvable enums: the Prefer header', () => {
	test('is asked for on every incidents and alerts_v2 path, and only there', () => {
		const prefer = { Prefer: 'include-unknown-enum-members' };
		for (const p of ['/security/incidents', '/security/incidents/12', '/security/incidents/12/comments', '/security/alerts_v2', '/security/alerts_v2/da1/comments']) {
			expect(evolvableEnumHeaders(p)).toEqual(prefer);
		}
		for (const p of ['/security/runHuntingQuery', '/security/incidentsX', '/me']) expect(evolvableEnumHeaders(p)).toEqual({});
	});
});

describe("npm start's example workflows use only Graph's values", () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const demo = require('../../../demo/workflows.js') as Record<string, (...args: unknown[]) => { nodes: Array<{ type: string; name: string; parameters: Record<string, unknown> }> }>;
	const credential = { type: 'microsoft365DefenderClientCredentialsApi', id: 'c1', name: 'demo' };
	const workflows = [
		demo.highSeverityTicketWorkflow(credential, 'http://127.0.0.1:5690/tickets'),
		demo.huntingSummaryWorkflow(credential),
		demo.closeFalsePositivesWorkflow(credential),
		demo.deviceCodeWorkflow({ ...credential, type: 'microsoft365DefenderDeviceCodeApi' }),
		demo.isolateDeviceWorkflow(credential),
	];
	const defenderNodes = workflows.flatMap((w) => w.nodes).filter((n) => n.type.startsWith('n8n-nodes-microsoft-365-defender.'));

	test.each(defenderNodes.map((n) => [n.name, n] as const))('%s', (_name, node) => {
		const collections = ['filters', 'updateFields'].map((key) => (node.parameters[key] ?? {}) as Record<string, unknown>);
		for (const values of collections) {
			for (const [name, value] of Object.entries(values)) {
				if (entities.incident.properties[name]?.enum === undefined) continue;
				for (const v of Array.isArray(value) ? value : [value]) expect(graphMembers('incident', name)).toContain(v);
			}
		}
		const update = node.parameters.updateFields as { classification?: string; determination?: string } | undefined;
		if (update?.determination !== undefined) {
			expect(DETERMINATIONS_BY_CLASSIFICATION[update.classification!]).toContain(update.determination);
		}
	});

	test('the close-false-positives example resolves as falsePositive / notMalicious', () => {
		const update = defenderNodes.find((n) => n.parameters.operation === 'update')!;
		expect(update.parameters.updateFields).toMatchObject({ classification: 'falsePositive', determination: 'notMalicious' });
	});
});

describe('the schema JSON', () => {
	const csdl = path.resolve(__dirname, '../../../../shared/graph/security-v1.0.csdl.xml');
	(fs.existsSync(csdl) ? test : test.skip)('is what the extraction script makes of the CSDL (not edited by hand, not stale)', () => {
		const made = extract(fs.readFileSync(csdl, 'utf8'), '../shared/graph/security-v1.0.csdl.xml');
		expect(made).toEqual(schema);
	});

	test('records where each fact that is not in the metadata comes from', () => {
		for (const entity of Object.values(schema.entities)) {
			expect(entity.sources.properties).toBe('metadata');
			for (const key of ['filterable', 'updatable', 'queryOptions'] as const) {
				expect(entity.sources[key]).toMatch(/^microsoftgraph\/microsoft-graph-docs-contrib@[0-9a-f]{40} api-reference\/v1\.0\/api\/security-/);
			}
		}
	});
});
