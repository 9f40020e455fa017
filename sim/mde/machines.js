// @ts-check
'use strict';

/**
 * Defender for Endpoint machines (api/machine): seed data and the $filter rules of api/get-machines.
 * Seed ids and devices are exported so other simulated data (alert evidence `mdeDeviceId`) points at them.
 */

const crypto = require('crypto');

const HEALTH_STATUS = ['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData', 'NoSensorDataImpairedCommunication', 'Unknown'];
const RISK_SCORE = ['None', 'Informational', 'Low', 'Medium', 'High'];
const EXPOSURE_LEVEL = ['None', 'Low', 'Medium', 'High'];
const ONBOARDING_STATUS = ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'];
const DEVICE_VALUE = ['Normal', 'Low', 'High'];

/** The filterable properties api/get-machines lists, with their kinds (for odataFilter.js). */
const MACHINE_FILTER_SCHEMA = {
	typeName: 'WindowsDefenderATP.Machine',
	properties: ['id', 'computerDnsName', 'firstSeen', 'lastSeen', 'osPlatform', 'version', 'osProcessor', 'lastIpAddress', 'lastExternalIpAddress', 'osBuild', 'healthStatus', 'rbacGroupId', 'rbacGroupName', 'riskScore', 'exposureLevel', 'isAadJoined', 'aadDeviceId', 'machineTags', 'onboardingStatus', 'deviceValue'],
	filterable: /** @type {Record<string, 'string' | 'enum' | 'datetime' | 'number' | 'boolean' | 'collection'>} */ ({
		computerDnsName: 'string', id: 'string', version: 'string', deviceValue: 'enum', aadDeviceId: 'string', machineTags: 'collection',
		lastSeen: 'datetime', exposureLevel: 'enum', onboardingStatus: 'enum', lastIpAddress: 'string', healthStatus: 'enum',
		osPlatform: 'string', riskScore: 'enum', rbacGroupId: 'number',
	}),
	enums: { healthStatus: HEALTH_STATUS, riskScore: RISK_SCORE, exposureLevel: EXPOSURE_LEVEL, onboardingStatus: ONBOARDING_STATUS, deviceValue: DEVICE_VALUE },
	functions: true,
};

/** Seed machines: [id, computerDnsName, osPlatform, version, osBuild, ip, healthStatus, riskScore, exposureLevel, tags]. */
const SEED = /** @type {const} */ ([
	['1e5bc9d7e413ddd7902c2932e418702b84d0cc07', 'ws-finance-01.simcontoso.com', 'Windows11', '23H2', 22631, '10.1.4.21', 'Active', 'High', 'High', ['finance', 'laptop']],
	['7b2f3a9c5d1e4f60a8b9c0d1e2f3a4b5c6d7e8f9', 'ws-hr-07.simcontoso.com', 'Windows10', '22H2', 19045, '10.1.6.37', 'Active', 'Medium', 'Medium', ['hr', 'laptop']],
	['a4c1e8f2b7d94e3a8c6f1b2d3e4f5a6b7c8d9e0f', 'srv-sql-02.simcontoso.com', 'WindowsServer2022', '21H2', 20348, '10.2.0.12', 'Active', 'Low', 'Medium', ['production', 'server']],
	['c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0', 'build-linux-03.simcontoso.com', 'Linux', '101.24032.0007', 0, '10.3.1.5', 'Active', 'None', 'Low', ['build']],
	['f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d', 'mac-design-05.simcontoso.com', 'macOS', '14.4', 0, '10.1.9.88', 'Inactive', 'Informational', 'Low', ['design', 'laptop']],
]);
const SEED_MACHINE_IDS = SEED.map((m) => m[0]);
/** What alert evidence (sim/graph/evidence.js) says of a seeded machine's device. */
const SEED_DEVICES = SEED.map(([id, computerDnsName, osPlatform, version, osBuild]) => ({ id, computerDnsName, osPlatform, version, osBuild }));

/**
 * A machine as api/machine describes it. `partial` overrides any property.
 * @param {Record<string, any>} partial
 * @param {number} nowMs
 */
function makeMachine(partial, nowMs) {
	const id = partial.id || crypto.randomBytes(20).toString('hex');
	const name = partial.computerDnsName || `ws-${id.slice(0, 6)}.simcontoso.com`;
	const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace('Z', '0000Z');
	return {
		computerDnsName: name,
		firstSeen: iso(nowMs - 200 * 86400000),
		lastSeen: iso(nowMs - 15 * 60000),
		osPlatform: 'Windows11',
		version: '23H2',
		osProcessor: 'x64',
		lastIpAddress: '10.1.0.10',
		lastExternalIpAddress: '203.0.113.10',
		osBuild: 22631,
		healthStatus: 'Active',
		rbacGroupId: 140,
		rbacGroupName: 'Workstations',
		riskScore: 'None',
		exposureLevel: 'Low',
		isAadJoined: true,
		aadDeviceId: crypto.randomUUID(),
		machineTags: [],
		onboardingStatus: 'Onboarded',
		deviceValue: 'Normal',
		...partial,
		id,
	};
}

/** @param {number} nowMs */
function seedMachines(nowMs) {
	return SEED.map(([id, computerDnsName, osPlatform, version, osBuild, lastIpAddress, healthStatus, riskScore, exposureLevel, tags], k) =>
		makeMachine({ id, computerDnsName, osPlatform, version, osBuild, lastIpAddress, healthStatus, riskScore, exposureLevel, machineTags: [...tags], rbacGroupId: 140 + (k % 2), rbacGroupName: k % 2 ? 'Servers' : 'Workstations' }, nowMs - k * 3600000),
	);
}

/**
 * Checks values a test seeds are ones Defender has. @param {Record<string, any>} partial
 */
function assertMachineValues(partial) {
	for (const [prop, allowed] of Object.entries(MACHINE_FILTER_SCHEMA.enums)) {
		if (partial[prop] !== undefined && !allowed.includes(partial[prop])) throw new Error(`Invalid ${prop} '${partial[prop]}': Defender has ${allowed.join(', ')}.`);
	}
	if (partial.id !== undefined && !/^[0-9a-f]{40}$/.test(partial.id)) throw new Error(`Invalid machine id '${partial.id}': Defender machine ids are 40 lower-case hex characters.`);
}

module.exports = { MACHINE_FILTER_SCHEMA, SEED_MACHINE_IDS, SEED_DEVICES, makeMachine, seedMachines, assertMachineValues };
