/* The node's description against the public contract (shared/INTERFACE.md): names, values, defaults. */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';

const { description, methods } = new Microsoft365Defender();
const props = description.properties;

const find = (name: string, where: Record<string, string[]> = {}) => {
	const found = props.filter(
		(p) =>
			p.name === name &&
			Object.entries(where).every(([key, values]) =>
				values.every((v) => (p.displayOptions?.show?.[key] as string[] | undefined)?.includes(v)),
			),
	);
	expect(found).toHaveLength(1);
	return found[0];
};
const values = (p: INodeProperties | INodePropertyCollection) =>
	((p as INodeProperties).options as INodePropertyOptions[]).map((o) => o.value).sort();
const option = (collection: INodeProperties, name: string) =>
	(collection.options as INodeProperties[]).find((o) => o.name === name)!;

test('type name, tool use, credentials selected by authentication and tested by the shared function', () => {
	expect(description.name).toBe('microsoft365Defender');
	expect(description.usableAsTool).toEqual({ replacements: { description: expect.stringMatching(/Output "Simplified"/) } });
	expect(description.credentials).toEqual([
		expect.objectContaining({ name: 'microsoft365DefenderDeviceCodeApi', displayOptions: { show: { authentication: ['deviceCode'] } }, testedBy: 'microsoft365DefenderCredentialTest' }),
		expect.objectContaining({ name: 'microsoft365DefenderClientCredentialsApi', displayOptions: { show: { authentication: ['clientCredentials'] } }, testedBy: 'microsoft365DefenderCredentialTest' }),
		expect.objectContaining({ name: 'microsoft365DefenderManagedIdentityApi', displayOptions: { show: { authentication: ['managedIdentity'] } }, testedBy: 'microsoft365DefenderCredentialTest' }),
	]);
	expect(typeof methods.credentialTest.microsoft365DefenderCredentialTest).toBe('function');
	expect(typeof methods.listSearch.searchIncidents).toBe('function');
	const authentication = find('authentication');
	expect(authentication.default).toBe('clientCredentials');
	expect(values(authentication)).toEqual(['clientCredentials', 'deviceCode', 'managedIdentity']);
});

test('one resource property (n8n lists actions per resource property): incident (default), alert, huntingQuery, device, indicator, deviceSignIn', () => {
	const resources = props.filter((p) => p.name === 'resource');
	expect(resources).toHaveLength(1);
	const [resource] = resources;
	expect(resource.default).toBe('incident');
	expect(resource.displayOptions).toBeUndefined();
	expect(values(resource)).toEqual(['alert', 'device', 'deviceSignIn', 'huntingQuery', 'incident', 'indicator']);
	// the editor shows options in this order; n8n's lint wants them sorted by name
	const names = (resource.options as INodePropertyOptions[]).map((o) => o.name);
	expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
});

test('the node picker lists each action once: one Operation per resource, actions distinct across the node', () => {
	const operations = props.filter((p) => p.name === 'operation');
	const resourcesOfOperations = operations.map((p) => p.displayOptions?.show?.resource as string[]);
	for (const shown of resourcesOfOperations) expect(shown).toHaveLength(1);
	expect(resourcesOfOperations.map(([r]) => r).sort()).toEqual(values(find('resource')));
	const options = operations.flatMap((p) => p.options as INodePropertyOptions[]);
	const actions = options.map((o) => o.action);
	expect(new Set(actions).size).toBe(actions.length);
	const descriptions = options.map((o) => o.description);
	expect(new Set(descriptions).size).toBe(descriptions.length);
});

test('incident operations and their parameters', () => {
	expect(values(find('operation', { resource: ['incident'] }))).toEqual(['get', 'getAll', 'update']);
	expect(find('returnAll', { resource: ['incident'], operation: ['getAll'] }).type).toBe('boolean');
	expect(find('limit', { resource: ['incident'], operation: ['getAll'] }).default).toBe(50);
	const filters = find('filters', { resource: ['incident'], operation: ['getAll'] });
	expect((filters.options as INodeProperties[]).map((o) => o.name).sort()).toEqual(
		['assignedTo', 'createdAfter', 'createdBefore', 'lastUpdatedAfter', 'lastUpdatedBefore', 'odataFilter', 'severity', 'status'],
	);
	expect(option(filters, 'status').type).toBe('multiOptions');
	expect(values(option(filters, 'status'))).toEqual(['active', 'awaitingAction', 'inProgress', 'redirected', 'resolved']);
	expect(values(option(filters, 'severity'))).toEqual(['high', 'informational', 'low', 'medium', 'unknown']);
	const listOptions = find('options', { resource: ['incident'], operation: ['getAll'] });
	expect(option(listOptions, 'includeAlerts').default).toBe(false);
	expect(option(listOptions, 'includeAlerts').description).toMatch(/500/);
	// more than one option: n8n's "Add Option" opens a list instead of adding Include Alerts at once
	expect((listOptions.options as INodeProperties[]).map((o) => o.name)).toEqual(['includeAlerts', 'includeComments']);
	for (const resource of ['incident', 'alert']) {
		for (const operation of ['get', 'getAll']) {
			const output = find('output', { resource: [resource], operation: [operation] });
			expect(output.default).toBe('raw'); // the contract: Graph objects as returned
			expect(values(output).sort()).toEqual(['fields', 'raw', 'simple']);
			expect(output.description).toMatch(/AI agents: ask for Simplified/);
			expect(find('fields', { resource: [resource], operation: [operation] }).displayOptions?.show?.output).toEqual(['fields']);
		}
	}

	for (const operation of ['get', 'update']) {
		const locator = find('incidentId', { resource: ['incident'], operation: [operation] });
		expect(locator.type).toBe('resourceLocator');
		expect(locator.modes?.map((m) => m.name)).toEqual(['list', 'id', 'url']);
		expect(locator.modes?.[0].typeOptions?.searchListMethod).toBe('searchIncidents');
	}
	expect(option(find('options', { resource: ['incident'], operation: ['get'] }), 'includeAlerts')).toBeDefined();

	const updateFields = find('updateFields', { resource: ['incident'], operation: ['update'] });
	expect((updateFields.options as INodeProperties[]).map((o) => o.name).sort()).toEqual(
		['assignedTo', 'classification', 'comment', 'customTags', 'determination', 'status'],
	);
	// awaitingAction is only Defender Experts' to set: filters offer it, Update does not
	expect(values(option(updateFields, 'status'))).toEqual(['active', 'inProgress', 'redirected', 'resolved']);
	expect(values(option(updateFields, 'classification'))).toEqual(
		['falsePositive', 'informationalExpectedActivity', 'truePositive', 'unknown'],
	);
	expect(values(option(updateFields, 'determination'))).toEqual(
		[
			'apt', 'compromisedAccount', 'confirmedActivity', 'lineOfBusinessApplication', 'maliciousUserActivity',
			'malware', 'multiStagedAttack', 'notEnoughDataToValidate', 'notMalicious', 'other', 'phishing',
			'securityPersonnel', 'securityTesting', 'unknown', 'unwantedSoftware',
		],
	);
});

test('hunting query: run with query and options.timespan', () => {
	expect(values(find('operation', { resource: ['huntingQuery'] }))).toEqual(['run']);
	expect(find('query', { operation: ['run'] }).type).toBe('string');
	expect(option(find('options', { resource: ['huntingQuery'] }), 'timespan')).toBeDefined();
});

test('every operation has a description and an action, for AI agents', () => {
	for (const operation of props.filter((p) => p.name === 'operation')) {
		for (const o of operation.options as INodePropertyOptions[]) {
			expect(o.description?.length).toBeGreaterThan(15);
			expect(o.action).toBeTruthy();
		}
	}
});

test('alert operations and their parameters (contract: resource alert; enum members from the CSDL)', () => {
	expect(typeof methods.listSearch.searchAlerts).toBe('function');
	expect(values(find('operation', { resource: ['alert'] }))).toEqual(['get', 'getAll', 'update']);
	expect(find('returnAll', { resource: ['alert'], operation: ['getAll'] }).type).toBe('boolean');
	expect(find('limit', { resource: ['alert'], operation: ['getAll'] }).default).toBe(50);
	const filters = find('filters', { resource: ['alert'], operation: ['getAll'] });
	expect((filters.options as INodeProperties[]).map((o) => o.name).sort()).toEqual([
		'assignedTo', 'createdAfter', 'createdBefore', 'incidentId', 'lastUpdatedAfter', 'lastUpdatedBefore', 'odataFilter', 'serviceSource',
		'severity', 'status',
	]);
	expect(values(option(filters, 'status'))).toEqual(['inProgress', 'new', 'resolved', 'unknown']);
	expect(values(option(filters, 'severity'))).toEqual(['high', 'informational', 'low', 'medium', 'unknown']);
	expect(values(option(filters, 'serviceSource'))).toEqual([
		'azureAdIdentityProtection', 'dataLossPrevention', 'microsoft365Defender', 'microsoftAppGovernance',
		'microsoftDefenderForCloud', 'microsoftDefenderForCloudApps', 'microsoftDefenderForEndpoint',
		'microsoftDefenderForIdentity', 'microsoftDefenderForOffice365', 'microsoftInsiderRiskManagement',
		'microsoftSecurityForAI', 'microsoftSentinel', 'microsoftThreatIntelligence', 'unknown',
	]);
	for (const operation of ['get', 'update']) {
		const locator = find('alertId', { resource: ['alert'], operation: [operation] });
		expect(locator.type).toBe('resourceLocator');
		expect(locator.modes?.map((m) => m.name)).toEqual(['list', 'id', 'url']);
		expect(locator.modes?.[0].typeOptions?.searchListMethod).toBe('searchAlerts');
	}
	const updateFields = find('updateFields', { resource: ['alert'], operation: ['update'] });
	expect((updateFields.options as INodeProperties[]).map((o) => o.name).sort()).toEqual(
		['assignedTo', 'classification', 'comment', 'determination', 'status'],
	);
	expect(values(option(updateFields, 'status'))).toEqual(['inProgress', 'new', 'resolved']);
	const incidentUpdate = find('updateFields', { resource: ['incident'], operation: ['update'] });
	expect(option(updateFields, 'determination').options).toEqual(option(incidentUpdate, 'determination').options);
});
