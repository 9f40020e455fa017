'use strict';
// The demo's credentials and example workflows, as the JSON `n8n import:credentials` / `import:workflow` take.
// Node parameters follow the package's public contract (/work/shared/INTERFACE.md, README "Operations").

const { CREDENTIAL_TYPES, simCredentials } = require('../e2e/lib/credentials');
const { DEFENDER_NODE_TYPE, DEFENDER_TRIGGER_TYPE } = require('../e2e/lib/workflows');
const { configureTemplate, readTemplate, templateFiles } = require('../e2e/browser/templates');

/** Fixed ids: re-importing replaces the same credential / workflow instead of adding another. */
const IDS = {
	credentials: {
		appSecret: 'demoAppSecret001',
		appCertificate: 'demoAppCert00001',
		deviceCode: 'demoDeviceCode01',
		managedIdentity: 'demoManagedId001',
		realTenant: 'demoRealTenant01',
	},
	workflows: {
		ticket: 'demoHighSevTicket',
		alertTicket: 'demoAlertTicket01',
		hunting: 'demoHuntSummary01',
		falsePositives: 'demoCloseFalsePos',
		deviceCode: 'demoDeviceCodeUse',
		isolate: 'demoIsolateDevice',
	},
};

/**
 * Credentials pointing at the simulated tenant (cloud = custom): client secret, certificate, device code
 * and system-assigned managed identity.
 * @param {import('../e2e/lib/credentials').SimConnectionInfo} sim
 */
function simDemoCredentials(sim) {
	const c = simCredentials(sim);
	// the app and the managed identity also reach the simulated Defender for Endpoint API (Device, Indicator)
	const withMde = (credential) => ({ ...credential, data: { ...credential.data, mdeEndpoint: sim.mdeEndpoint } });
	return [
		{ ...withMde(c.clientSecret), id: IDS.credentials.appSecret, name: 'Simulated tenant: app (client secret)' },
		{ ...withMde(c.clientCertificate), id: IDS.credentials.appCertificate, name: 'Simulated tenant: app (certificate)' },
		{ ...c.deviceCode, id: IDS.credentials.deviceCode, name: 'Simulated tenant: device code sign-in' },
		{ ...withMde(c.systemIdentity), id: IDS.credentials.managedIdentity, name: 'Simulated tenant: managed identity' },
	];
}

/**
 * A client-credentials credential for a real tenant, from M365D_* environment variables; undefined when
 * they are not all set. Returns { credential } or { error } (a message naming the missing/bad variable).
 * @param {NodeJS.ProcessEnv} env
 */
function realTenantCredential(env) {
	const tenantId = (env.M365D_TENANT_ID || '').trim();
	const clientId = (env.M365D_CLIENT_ID || '').trim();
	const clientSecret = env.M365D_CLIENT_SECRET || '';
	if (!tenantId && !clientId && !clientSecret) return undefined;
	const missing = [
		!tenantId && 'M365D_TENANT_ID',
		!clientId && 'M365D_CLIENT_ID',
		!clientSecret && 'M365D_CLIENT_SECRET',
	].filter(Boolean);
	if (missing.length) {
		return { error: `For a real tenant set M365D_TENANT_ID, M365D_CLIENT_ID and M365D_CLIENT_SECRET; missing: ${missing.join(', ')}` };
	}
	const cloud = (env.M365D_CLOUD || 'global').trim();
	const clouds = ['global', 'usGcc', 'usGov', 'usGovDoD'];
	if (!clouds.includes(cloud)) return { error: `M365D_CLOUD must be one of ${clouds.join(', ')}, not "${cloud}"` };
	return {
		credential: {
			id: IDS.credentials.realTenant,
			name: `Your tenant: app (client secret)`,
			type: CREDENTIAL_TYPES.clientCredentials,
			data: { cloud, tenantId, clientId, authMethod: 'clientSecret', clientSecret },
		},
	};
}

let counter = 0;
const nodeId = (prefix) => `${prefix}-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

function manualTrigger() {
	return { id: nodeId('d0000001'), name: 'Run manually', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function defender(name, position, parameters, credential) {
	return {
		id: nodeId('d0000002'),
		name,
		type: DEFENDER_NODE_TYPE,
		typeVersion: 1,
		position,
		parameters,
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

function code(name, position, jsCode) {
	return { id: nodeId('d0000003'), name, type: 'n8n-nodes-base.code', typeVersion: 2, position, parameters: { jsCode } };
}

function chain(nodes) {
	const connections = {};
	for (let i = 1; i < nodes.length; i++) {
		connections[nodes[i - 1].name] = { main: [[{ node: nodes[i].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

function workflow(id, name, nodes) {
	return { id, name, active: false, nodes, connections: chain(nodes), settings: { executionOrder: 'v1' }, pinData: {} };
}

function authenticationFor(credential) {
	if (credential.type === CREDENTIAL_TYPES.deviceCode) return 'deviceCode';
	if (credential.type === CREDENTIAL_TYPES.managedIdentity) return 'managedIdentity';
	return 'clientCredentials';
}

/**
 * "New high-severity incident → create ticket": the trigger polls every minute and each new high-severity
 * incident becomes one POST to the ticket sink.
 * @param {{ type: string, id: string, name: string }} credential
 * @param {string} ticketUrl  e.g. http://127.0.0.1:5690/tickets
 * @param {{ id?: string, name?: string, startFromHours?: number, severity?: string[] }} [options]
 */
function highSeverityTicketWorkflow(credential, ticketUrl, options = {}) {
	const trigger = {
		id: nodeId('d0000004'),
		name: 'New high-severity incident',
		type: DEFENDER_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			authentication: authenticationFor(credential),
			event: 'incidentCreated',
			filters: { severity: options.severity || ['high'] },
			options: options.startFromHours ? { startFromHours: options.startFromHours } : {},
			pollTimes: { item: [{ mode: 'everyMinute' }] },
		},
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
	const ticket = {
		id: nodeId('d0000005'),
		name: 'Create ticket',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [260, 0],
		parameters: {
			method: 'POST',
			url: ticketUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ title: $json.displayName, severity: $json.severity, status: $json.status, incidentId: $json.id, createdDateTime: $json.createdDateTime, assignedTo: $json.assignedTo, link: $json.incidentWebUrl }) }}',
			options: {},
		},
	};
	return workflow(options.id || IDS.workflows.ticket, options.name || 'Defender: new high-severity incident → create ticket', [trigger, ticket]);
}

/**
 * "New high-severity alert → ticket with the device and file from its evidence": the trigger's alertCreated
 * event, every minute; each alert becomes one POST with its device (name, Defender for Endpoint id, the id
 * the device actions take) and its file (name, SHA-1, SHA-256).
 * @param {{ type: string, id: string, name: string }} credential
 * @param {string} ticketUrl
 */
function highSeverityAlertTicketWorkflow(credential, ticketUrl) {
	const trigger = {
		id: nodeId('d0000011'),
		name: 'New high-severity alert',
		type: DEFENDER_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			authentication: authenticationFor(credential),
			event: 'alertCreated',
			filters: { severity: ['high'] },
			options: {},
			pollTimes: { item: [{ mode: 'everyMinute' }] },
		},
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
	const evidence = (type) => `$json.evidence.find(e => e['@odata.type'] === '#microsoft.graph.security.${type}')`;
	const ticket = {
		id: nodeId('d0000012'),
		name: 'Create ticket',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [260, 0],
		parameters: {
			method: 'POST',
			url: ticketUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				`={{ JSON.stringify({ title: $json.title, severity: $json.severity, alertId: $json.id, incidentId: $json.incidentId, source: $json.serviceSource, ` +
				`device: ${evidence('deviceEvidence')}?.deviceDnsName, mdeDeviceId: ${evidence('deviceEvidence')}?.mdeDeviceId, ` +
				`file: ${evidence('fileEvidence')}?.fileDetails?.fileName, sha1: ${evidence('fileEvidence')}?.fileDetails?.sha1, sha256: ${evidence('fileEvidence')}?.fileDetails?.sha256, ` +
				'link: $json.alertWebUrl }) }}',
			options: {},
		},
	};
	return workflow(IDS.workflows.alertTicket, 'Defender: new high-severity alert → ticket with device and file', [trigger, ticket]);
}

/** "Hunting query → summary": process events per device over 7 days, summed up in one item. */
function huntingSummaryWorkflow(credential) {
	const query = 'DeviceProcessEvents\n| summarize Events = count() by DeviceName\n| sort by Events desc';
	return workflow(IDS.workflows.hunting, 'Defender: hunting query → summary', [
		manualTrigger(),
		defender(
			'Process events per device',
			[260, 0],
			{ authentication: authenticationFor(credential), resource: 'huntingQuery', operation: 'run', query, options: { timespan: 'P7D' } },
			credential,
		),
		code(
			'Summary',
			[520, 0],
			[
				'const rows = $input.all().map((item) => item.json);',
				'const total = rows.reduce((sum, row) => sum + Number(row.Events || 0), 0);',
				'const busiest = rows[0] || {};',
				'return [{ json: {',
				'\tdevices: rows.length,',
				'\tprocessEvents: total,',
				'\tbusiestDevice: busiest.DeviceName,',
				'\tsummary: `${total} process events on ${rows.length} devices in the last 7 days; busiest: ${busiest.DeviceName} (${busiest.Events})`,',
				'} }];',
			].join('\n'),
		),
	]);
}

/**
 * "Close false positives": active informational incidents are resolved as false positive (Graph's
 * determination notMalicious, "clean" in the retired Defender API), with a comment saying why.
 */
function closeFalsePositivesWorkflow(credential) {
	const authentication = authenticationFor(credential);
	return workflow(IDS.workflows.falsePositives, 'Defender: close false positives (active informational incidents)', [
		manualTrigger(),
		defender(
			'Active informational incidents',
			[260, 0],
			{
				authentication,
				resource: 'incident',
				operation: 'getAll',
				returnAll: true,
				filters: { status: ['active'], severity: ['informational'] },
				options: {},
			},
			credential,
		),
		defender(
			'Resolve as false positive',
			[520, 0],
			{
				authentication,
				resource: 'incident',
				operation: 'update',
				incidentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				updateFields: {
					status: 'resolved',
					classification: 'falsePositive',
					determination: 'notMalicious',
					comment: 'Closed by n8n: informational incident reviewed as a false positive.',
				},
			},
			credential,
		),
	]);
}

/** Lists the newest incidents as the signed-in user (device code): shows the sign-in code on first run. */
function deviceCodeWorkflow(credential) {
	return workflow(IDS.workflows.deviceCode, 'Defender: newest incidents as a signed-in user (device code)', [
		manualTrigger(),
		defender(
			'Newest incidents',
			[260, 0],
			{ authentication: 'deviceCode', resource: 'incident', operation: 'getAll', returnAll: false, limit: 5, filters: {}, options: {} },
			credential,
		),
	]);
}

/**
 * "Newest high-severity alert → isolate its device" (simulated tenant only: it isolates a device): the
 * device of the alert's evidence (mdeDeviceId) is isolated through the Defender for Endpoint API, and the
 * node waits until Defender reports the machine action done.
 */
function isolateDeviceWorkflow(credential) {
	const authentication = authenticationFor(credential);
	const deviceEvidence = "$json.evidence.find(e => e['@odata.type'] === '#microsoft.graph.security.deviceEvidence')";
	return workflow(IDS.workflows.isolate, 'Defender: newest high-severity alert → isolate its device', [
		manualTrigger(),
		defender(
			'Newest high-severity alert',
			[260, 0],
			{ authentication, resource: 'alert', operation: 'getAll', returnAll: false, limit: 1, filters: { severity: ['high'] }, options: {} },
			credential,
		),
		defender(
			'Isolate its device',
			[520, 0],
			{
				authentication,
				resource: 'device',
				operation: 'isolate',
				deviceId: { __rl: true, mode: 'id', value: `={{ ${deviceEvidence}?.mdeDeviceId }}` },
				isolationType: 'Full',
				comment: '=Isolated by n8n (demo): device of Defender alert {{ $json.id }} ({{ $json.title }})',
				options: { waitForCompletion: true },
			},
			credential,
		),
	]);
}

/**
 * The templates of examples/ that need no credential but the Defender one (not the AI agent's, which needs a
 * chat model), with that credential picked and every HTTP Request node (ticket, chat) pointed at the ticket
 * sink, as a user does after importing. The demo does not publish them: the user publishes one to try it.
 * @param {{ type: string, id: string, name: string }} credential
 * @param {string} sinkUrl
 */
function templateWorkflows(credential, sinkUrl) {
	const onlyDefender = (template) => template.nodes.every((node) => Object.keys(node.credentials || {}).every((type) => type === credential.type));
	return templateFiles()
		.map(readTemplate)
		.filter(onlyDefender)
		.map((template) => {
			const urls = Object.fromEntries(template.nodes.filter((node) => node.type === 'n8n-nodes-base.httpRequest').map((node) => [node.name, sinkUrl]));
			return configureTemplate(template, [credential], urls);
		});
}

/** Reference to a credential in a node. */
function ref(credential) {
	return { type: credential.type, id: credential.id, name: credential.name };
}

module.exports = {
	IDS,
	simDemoCredentials,
	realTenantCredential,
	highSeverityTicketWorkflow,
	highSeverityAlertTicketWorkflow,
	huntingSummaryWorkflow,
	closeFalsePositivesWorkflow,
	deviceCodeWorkflow,
	isolateDeviceWorkflow,
	templateWorkflows,
	ref,
};
