/** The Device and Indicator parameters are the contract's (../shared/INTERFACE.md): names, values, defaults. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';

const { properties } = new Microsoft365Defender().description;
const { listSearch } = new Microsoft365Defender().methods;

function find(name: string, show: Record<string, string[]>): INodeProperties {
	const found = properties.filter(
		(p) => p.name === name && Object.entries(show).every(([key, values]) => JSON.stringify(p.displayOptions?.show?.[key]) === JSON.stringify(values)),
	);
	expect(found).toHaveLength(1);
	return found[0];
}
const values = (p: INodeProperties) => (p.options as INodePropertyOptions[]).map((o) => o.value);
const option = (collection: INodeProperties, name: string) => (collection.options as INodeProperties[]).find((o) => o.name === name)!;
const names = (collection: INodeProperties) => (collection.options as INodeProperties[]).map((o) => o.name).sort();

const DEVICE_ACTIONS = ['isolate', 'releaseFromIsolation', 'runAntivirusScan', 'collectInvestigationPackage', 'restrictAppExecution', 'removeAppRestriction', 'stopAndQuarantineFile'];

test('device operations', () => {
	expect([...values(find('operation', { resource: ['device'] }))].sort()).toEqual(['getAction', 'get', 'getAll', ...DEVICE_ACTIONS].sort());
	expect(find('limit', { resource: ['device'], operation: ['getAll'] }).default).toBe(50);
	expect(names(find('filters', { resource: ['device'], operation: ['getAll'] }))).toEqual(
		['exposureLevel', 'healthStatus', 'lastSeenAfter', 'machineTag', 'nameStartsWith', 'odataFilter', 'osPlatform', 'riskScore'],
	);
	const deviceId = find('deviceId', { resource: ['device'], operation: ['get'] });
	expect(deviceId.type).toBe('resourceLocator');
	expect(deviceId.modes!.map((m) => m.name)).toEqual(['list', 'id', 'name']);
	expect(deviceId.modes![0].typeOptions?.searchListMethod).toBe('searchDevices');
	expect(typeof listSearch.searchDevices).toBe('function');
	expect(find('actionId', { resource: ['device'], operation: ['getAction'] }).type).toBe('string');
});

test.each(DEVICE_ACTIONS)('%s: deviceId, a required comment with a default, options', (operation) => {
	const show = { resource: ['device'], operation: [operation] };
	expect(find('deviceId', show).type).toBe('resourceLocator');
	const comment = find('comment', show);
	expect(comment.required).toBe(true);
	expect(String(comment.default)).toMatch(/n8n.*\$workflow\.name.*\$workflow\.id/);
	const options = find('options', show);
	expect(names(options)).toEqual(['ifActionPending', 'waitForCompletion', 'waitTimeoutMinutes']);
	expect(option(options, 'waitForCompletion').default).toBe(false);
	expect(option(options, 'waitTimeoutMinutes').default).toBe(10);
	expect(values(option(options, 'ifActionPending'))).toEqual(['fail', 'returnPending']);
	expect(option(options, 'ifActionPending').default).toBe('fail');
});

test('isolation and scan types, SHA-1', () => {
	const isolationType = find('isolationType', { resource: ['device'], operation: ['isolate'] });
	expect(values(isolationType)).toEqual(['Full', 'Selective', 'UnManagedDevice']);
	expect(isolationType.default).toBe('Full');
	const scanType = find('scanType', { resource: ['device'], operation: ['runAntivirusScan'] });
	expect([...values(scanType)].sort()).toEqual(['Full', 'Quick']);
	expect(scanType.default).toBe('Quick');
	expect(find('sha1', { resource: ['device'], operation: ['stopAndQuarantineFile'] }).required).toBe(true);
});

test('indicator operations and their parameters', () => {
	expect([...values(find('operation', { resource: ['indicator'] }))].sort()).toEqual(['create', 'delete', 'getAll']);
	expect(names(find('filters', { resource: ['indicator'], operation: ['getAll'] }))).toEqual(['action', 'indicatorType', 'indicatorValue', 'odataFilter']);
	const create = { resource: ['indicator'], operation: ['create'] };
	expect([...values(find('indicatorType', create))].sort()).toEqual(['CertificateThumbprint', 'DomainName', 'FileMd5', 'FileSha1', 'FileSha256', 'IpAddress', 'Url']);
	// Defender retired Alert and AlertAndBlock: not offered
	expect([...values(find('action', create))].sort()).toEqual(['Allowed', 'Audit', 'Block', 'BlockAndRemediate', 'Warn']);
	for (const name of ['indicatorValue', 'title', 'description']) expect(find(name, create).required).toBe(true);
	const additional = find('additionalFields', create);
	expect(names(additional)).toEqual(['expirationTime', 'generateAlert', 'rbacGroupNames', 'recommendedActions', 'severity']);
	expect(values(option(additional, 'severity'))).toEqual(['Informational', 'Low', 'Medium', 'High']);
	expect(find('indicatorId', { resource: ['indicator'], operation: ['delete'] }).type).toBe('string');
});
