/**
 * Bad input table (issue 7): bad values for every operation, the trigger's poll and every credential type.
 * Each row runs the real node (or trigger) through n8n's execution code against the simulated cloud and checks:
 *   1. the outcome: an n8n error whose message names the field and says what is allowed (or, for the rows
 *      that must work, the result);
 *   2. what was sent: input errors send no Graph request, credential-field errors no request at all; every
 *      request the sim logged went to one of the Graph / Entra / identity paths this package uses, and every
 *      HTTP request the process made at all (node's diagnostics channel) went to the sim's hosts;
 *   3. the run ends (per-row timeout).
 * Values n8n's own parameter checks would refuse before the node runs are given through expressions.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { resetTokenCaches as resetTokenCachesForTests } from './auth/resetTokenCaches';
import type { LoggedRequest } from '../../sim';
import { createPollRunner } from '../harness';
import {
	AUTHENTICATION,
	CLIENT,
	DEVICE,
	IDENTITY,
	certificateApp,
	customCloud,
	secretApp,
	type SimCloud as AuthSimCloud,
} from './auth/authTestBed';
import { incidentLocator, resetTestBed, startTestBed, type TestBed } from './node/setup';
import { triggerType } from './trigger/setup';

type CredentialType = typeof CLIENT | typeof DEVICE | typeof IDENTITY;

interface Row {
	label: string;
	/** action node parameters (authentication is set from the credential) or the trigger's parameters */
	node?: INodeParameters;
	trigger?: INodeParameters;
	items?: IDataObject[];
	/** the credential to run with; default: the test bed's client-secret app */
	credential?: { type: CredentialType; data: (cloud: AuthSimCloud) => ICredentialDataDecryptedObject };
	/** refused before any token request (credential fields) or before any Graph request (node input) */
	refused?: { before: 'token' | 'graph'; message: RegExp; description?: RegExp };
	/** Graph got the request and answered with an error, shown to the user (matched against "<message>\n<description>") */
	answered?: RegExp;
	/** extra checks on the output items and the Graph requests sent; a row with neither refused nor answered must work */
	check?: (items: INodeExecutionData[], graph: LoggedRequest[]) => void;
}

const ALLOWED_PATHS: Record<LoggedRequest['server'], RegExp[]> = {
	graph: [/^\/v1\.0\/security\/incidents(?:\/\d+(?:\/comments)?)?$/, /^\/v1\.0\/security\/runHuntingQuery$/],
	login: [
		/^\/[\w.-]+\/oauth2\/v2\.0\/(?:token|devicecode)$/,
		/^\/[\w.-]+\/v2\.0\/\.well-known\/openid-configuration$/,
		/^\/[\w.-]+\/discovery\/v2\.0\/keys$/,
		/^\/common\/discovery\/instance$/,
	],
	identity: [/^\/msi\/token$/, /^\/metadata\/identity\/oauth2\/token$/],
	// The node sends nothing to Defender for Endpoint yet.
	mde: [],
};

const STATUSES = 'active, awaitingAction, inProgress, redirected, resolved';
const UPDATE_STATUSES = 'active, inProgress, redirected, resolved';
const SEVERITIES = 'high, informational, low, medium, unknown';
const CLASSIFICATIONS = 'falsePositive, informationalExpectedActivity, truePositive, unknown';
const FALSE_POSITIVE_DETERMINATIONS = 'notMalicious, notEnoughDataToValidate, other';
const CLOUDS = 'global, usGcc, usGov, usGovDoD, custom';
const INCIDENT_ID_RULE = /"Incident" must be a numeric incident id .*or a Microsoft Defender portal link \(https:\/\/security\.microsoft\.com\/incidents\/1234\)/;
const ONE_MB_KQL = `AlertInfo | where Title != "${'x'.repeat(1024 * 1024)}" | take 2`;

const getIncident = (value: string, mode = 'id'): INodeParameters => ({
	resource: 'incident',
	operation: 'get',
	incidentId: incidentLocator(value, mode),
});
const update = (updateFields: INodeParameters): INodeParameters => ({
	resource: 'incident',
	operation: 'update',
	incidentId: incidentLocator('1001'),
	updateFields,
});
const listIncidents = (more: INodeParameters = {}): INodeParameters => ({ resource: 'incident', operation: 'getAll', ...more });
const hunt = (query: string, options: INodeParameters = {}): INodeParameters => ({ resource: 'huntingQuery', operation: 'run', query, options });

type CredentialSpec = NonNullable<Row['credential']>;

const client = (overrides: ICredentialDataDecryptedObject): CredentialSpec => ({
	type: CLIENT,
	data: (cloud: AuthSimCloud) => secretApp(cloud, overrides),
});
const certificate = (pem: (cloud: AuthSimCloud) => string): CredentialSpec => ({
	type: CLIENT,
	data: (cloud: AuthSimCloud) => certificateApp(cloud, { certificate: pem(cloud) }),
});
const device = (overrides: ICredentialDataDecryptedObject): CredentialSpec => ({
	type: DEVICE,
	data: (cloud: AuthSimCloud) => ({ ...customCloud(cloud), tenantId: 'organizations', clientId: cloud.publicClientId, ...overrides }),
});
const identity = (overrides: ICredentialDataDecryptedObject): CredentialSpec => ({
	type: IDENTITY,
	data: (cloud: AuthSimCloud) => ({ cloud: 'custom', graphEndpoint: cloud.graphEndpoint, clientId: '', ...overrides }),
});
const pemBlock = (pem: string, label: string) => new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(pem)![0];
const credentialRefused = (message: RegExp) => ({ before: 'token' as const, message });
const inputRefused = (message: RegExp) => ({ before: 'graph' as const, message });

const rows: Row[] = [
	// --- client credentials, client secret (List Incidents)
	{ label: 'client secret: empty tenant id', node: listIncidents(), credential: client({ tenantId: '' }), refused: credentialRefused(/"tenantId": is empty; enter .*tenant\) ID .*GUID.* or its domain/) },
	{ label: 'client secret: malformed tenant GUID', node: listIncidents(), credential: client({ tenantId: 'a3c8f1d2-5b7e-4c19-9e0f-6d2b8a4c7e5' }), refused: credentialRefused(/"tenantId": "a3c8f1d2-5b7e-4c19-9e0f-6d2b8a4c7e5" is not a tenant ID or domain; enter .*GUID/) },
	{ label: 'client secret: "organizations" is no single tenant', node: listIncidents(), credential: client({ tenantId: 'organizations' }), refused: credentialRefused(/"tenantId": "organizations" names no single tenant.*GUID/) },
	{ label: 'client secret: empty client id', node: listIncidents(), credential: client({ clientId: '' }), refused: credentialRefused(/"clientId": is empty; enter the application \(client\) ID, a GUID/) },
	{ label: 'client secret: malformed client GUID', node: listIncidents(), credential: client({ clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67' }), refused: credentialRefused(/"clientId": "14d82eec-204b-4c2f-b7e8-296a70dab67" is not a GUID/) },
	// a secret pasted into an id field is never echoed (issue 11 item 5)
	{ label: 'client secret: the secret pasted into Client ID', node: listIncidents(), credential: { type: CLIENT, data: (cloud) => secretApp(cloud, { clientId: cloud.apps.secret.clientSecret }) }, refused: credentialRefused(/^(?!.*8Q~).*"clientId": the value entered \(\d+ characters, not shown: it looks like a secret or token; was it pasted into the wrong field\?\) is not a GUID/) },
	{ label: 'client secret: the secret pasted into Tenant ID', node: listIncidents(), credential: { type: CLIENT, data: (cloud) => secretApp(cloud, { tenantId: cloud.apps.secret.clientSecret }) }, refused: credentialRefused(/^(?!.*8Q~).*"tenantId": the value entered \(\d+ characters, not shown: .*\) is not a tenant ID or domain/) },
	{ label: 'device code: a JWT pasted into Client ID', node: getIncident('1001'), credential: device({ clientId: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }), refused: credentialRefused(/^(?!.*eyJ).*"clientId": the value entered \(\d+ characters, not shown/) },
	{ label: 'client secret: empty secret', node: listIncidents(), credential: client({ clientSecret: '' }), refused: credentialRefused(/"clientSecret": is empty; enter the client secret value/) },
	{ label: 'client secret: unknown auth method', node: listIncidents(), credential: client({ authMethod: 'password' }), refused: credentialRefused(/"authMethod": unknown value "password"; allowed: clientSecret, certificate/) },
	{ label: 'client secret: unknown cloud', node: listIncidents(), credential: client({ cloud: 'china' }), refused: credentialRefused(new RegExp(`"cloud": unknown cloud "china"; allowed: ${CLOUDS}`)) },
	{ label: 'client secret: http:// custom authorityHost', node: listIncidents(), credential: client({ authorityHost: 'http://127.0.0.1:1' }), refused: credentialRefused(/"authorityHost": must be an https URL \(got "http"\)/) },
	{ label: 'client secret: http:// custom graphEndpoint', node: listIncidents(), credential: client({ graphEndpoint: 'http://127.0.0.1:1' }), refused: credentialRefused(/"graphEndpoint": must be an https URL \(got "http"\)/) },
	{ label: 'client secret: custom authorityHost with a query', node: listIncidents(), credential: client({ authorityHost: 'https://127.0.0.1:1/?next=https://elsewhere.example' }), refused: credentialRefused(/"authorityHost": must be a plain https URL without query/) },
	// --- client credentials, certificate (Run Hunting Query)
	{ label: 'certificate: not PEM', node: hunt('AlertInfo | take 1'), credential: certificate(() => 'MIIC...not a pem'), refused: credentialRefused(/"certificate": is not PEM text; paste the "-----BEGIN PRIVATE KEY-----" and "-----BEGIN CERTIFICATE-----" blocks/) },
	{ label: 'certificate: PEM without private key', node: hunt('AlertInfo | take 1'), credential: certificate((c) => pemBlock(c.apps.certificate.certificatePem, 'CERTIFICATE')), refused: credentialRefused(/"certificate": lacks the private key; paste the "-----BEGIN PRIVATE KEY-----" block/) },
	{ label: 'certificate: PEM without the certificate', node: hunt('AlertInfo | take 1'), credential: certificate((c) => pemBlock(c.apps.certificate.certificatePem, 'PRIVATE KEY')), refused: credentialRefused(/"certificate": lacks the certificate; paste the "-----BEGIN CERTIFICATE-----" block/) },
	{ label: 'certificate: malformed PEM (private key block is garbage)', node: hunt('AlertInfo | take 1'), credential: certificate((c) => `-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n${pemBlock(c.apps.certificate.certificatePem, 'CERTIFICATE')}`), refused: credentialRefused(/"certificate": the PRIVATE KEY block is not a valid private key/) },
	// --- device code (Get Incident, Device Code Sign-In)
	{ label: 'device code: empty tenant id', node: getIncident('1001'), credential: device({ tenantId: '' }), refused: credentialRefused(/"tenantId": is empty; enter a directory \(tenant\) ID .*, a domain .*, or "organizations"/) },
	{ label: 'device code: malformed client GUID', node: getIncident('1001'), credential: device({ clientId: 'graph-command-line-tools' }), refused: credentialRefused(/"clientId": "graph-command-line-tools" is not a GUID; enter .*GUID/) },
	{ label: 'device code: unknown cloud', node: getIncident('1001'), credential: device({ cloud: 'moon' }), refused: credentialRefused(new RegExp(`"cloud": unknown cloud "moon"; allowed: ${CLOUDS}`)) },
	{ label: 'device code: http:// custom graphEndpoint', node: getIncident('1001'), credential: device({ graphEndpoint: 'http://127.0.0.1:1' }), refused: credentialRefused(/"graphEndpoint": must be an https URL/) },
	{ label: 'device code: Start Sign-In with a malformed tenant', node: { resource: 'deviceSignIn', operation: 'start' }, credential: device({ tenantId: 'not a tenant!' }), refused: credentialRefused(/"tenantId": "not a tenant!" is not a tenant ID or domain/) },
	{ label: 'Device Code Sign-In with client-credentials authentication', node: { resource: 'deviceSignIn', operation: 'start' }, refused: credentialRefused(/Device Code Sign-In needs "Authentication" set to "Device Code"/) },
	// --- managed identity (Update Incident)
	{ label: 'managed identity: malformed client GUID', node: update({ status: 'active' }), credential: identity({ clientId: 'my-identity' }), refused: credentialRefused(/"clientId": "my-identity" is not a GUID; enter the application \(client\) ID, a GUID/) },
	{ label: 'managed identity: unknown cloud', node: update({ status: 'active' }), credential: identity({ cloud: 'azureChina' }), refused: credentialRefused(new RegExp(`"cloud": unknown cloud "azureChina"; allowed: ${CLOUDS}`)) },
	{ label: 'managed identity: http:// custom graphEndpoint', node: update({ status: 'active' }), credential: identity({ graphEndpoint: 'http://127.0.0.1:1' }), refused: credentialRefused(/"graphEndpoint": must be an https URL/) },
	{ label: 'managed identity: empty custom graphEndpoint', node: update({ status: 'active' }), credential: identity({ graphEndpoint: '' }), refused: credentialRefused(/"graphEndpoint": is empty; enter an https URL/) },

	// --- List Incidents input
	{ label: 'limit 0', node: listIncidents({ limit: '={{ 0 }}' }), refused: inputRefused(/"Limit" must be a whole number of at least 1, not 0/) },
	{ label: 'limit -5', node: listIncidents({ limit: '={{ -5 }}' }), refused: inputRefused(/"Limit" must be a whole number of at least 1, not -5/) },
	{ label: 'limit that is not a number', node: listIncidents({ limit: '={{ "ten" }}' }), refused: inputRefused(/"Limit" must be a whole number of at least 1, not ten/) },
	// issue 11 item 12
	{ label: 'limit Infinity says Infinity (not "null")', node: listIncidents({ limit: '={{ Infinity }}' }), refused: inputRefused(/"Limit" must be a whole number of at least 1, not Infinity/) },
	{ label: 'return all "yes" from an expression', node: listIncidents({ returnAll: '={{ "yes" }}' }), refused: inputRefused(/"Return All" must be true or false, not yes/) },
	{
		label: 'return all "true" from an expression returns all, not the limit',
		node: listIncidents({ returnAll: '={{ "true" }}', limit: 2 }),
		check: (items) => expect(items).toHaveLength(20),
	},
	{ label: 'limit with a fraction', node: listIncidents({ limit: '={{ 2.5 }}' }), refused: inputRefused(/"Limit" must be a whole number of at least 1, not 2\.5/) },
	{
		label: 'huge limit works and asks pages of at most 50',
		node: listIncidents({ limit: 1e12 }),
		check: (items, graph) => {
			expect(items).toHaveLength(20);
			expect(graph.length).toBeGreaterThan(1);
			for (const request of graph) expect(Number(request.query.$top)).toBeLessThanOrEqual(50);
			expect(graph[0].query.$top).toBe('50');
		},
	},
	{ label: 'unknown status from an expression', node: listIncidents({ filters: { status: '={{ ["active", "closed"] }}' } }), refused: inputRefused(new RegExp(`"Status" has the unknown value "closed"; allowed: ${STATUSES}`)) },
	{ label: 'unknown severity from an expression', node: listIncidents({ filters: { severity: '={{ "critical" }}' } }), refused: inputRefused(new RegExp(`"Severity" has the unknown value "critical"; allowed: ${SEVERITIES}`)) },
	// issue 11 item 10: JavaScript's Date reads these as dates; they are not
	{ label: 'created-after "1" (Date would read 2001-01-01)', node: listIncidents({ filters: { createdAfter: '={{ "1" }}' } }), refused: inputRefused(/"Created After" is not a date and time: "1"; use ISO-8601 such as 2024-05-01T00:00:00Z \(without a zone it is read in the workflow's time zone/) },
	{ label: 'created-before "May 1, 2024" (not ISO-8601)', node: listIncidents({ filters: { createdBefore: '={{ "May 1, 2024" }}' } }), refused: inputRefused(/"Created Before" is not a date and time: "May 1, 2024"; use ISO-8601/) },
	{ label: 'last-updated-after 2024-02-30 (no such day)', node: listIncidents({ filters: { lastUpdatedAfter: '={{ "2024-02-30T00:00:00Z" }}' } }), refused: inputRefused(/"Last Updated After" is not a date and time: "2024-02-30T00:00:00Z"/) },
	{ label: 'created-after that is no date', node: listIncidents({ filters: { createdAfter: '={{ "last tuesday" }}' } }), refused: inputRefused(/"Created After" is not a date and time: "last tuesday"; use ISO-8601/) },
	{ label: 'assigned-to from an expression yielding an object', node: listIncidents({ filters: { assignedTo: '={{ { upn: "a@b.c" } }}' } }), refused: inputRefused(/"Assigned To" must be text, but the expression gave an object/) },
	{
		label: 'assigned-to with a quote injection is sent as one encoded $filter literal',
		node: listIncidents({ filters: { assignedTo: "x' or severity eq 'high&$expand=alerts" } }),
		check: (items, graph) => {
			expect(items).toHaveLength(0);
			expect(graph).toHaveLength(1);
			expect(Object.keys(graph[0].query).sort()).toEqual(['$filter', '$top']);
			expect(graph[0].query.$filter).toBe("assignedTo eq 'x'' or severity eq ''high&$expand=alerts'");
			expect(graph[0].query.$top).toBe('50');
		},
	},
	{
		label: 'raw OData filter with "&$expand=" stays inside $filter; Graph\'s 400 shows the filter sent',
		node: listIncidents({ filters: { odataFilter: "status eq 'active'&$expand=alerts" } }),
		answered: /\(HTTP 400, BadRequest\)\nFilter sent: \(status eq 'active'&\$expand=alerts\); request-id /,
		check: (_items, graph) => {
			expect(graph).toHaveLength(1);
			expect(Object.keys(graph[0].query).sort()).toEqual(['$filter', '$top']);
		},
	},

	// --- Resource and Operation (a saved workflow, an AI agent, or the value n8n's "Custom API Call" leaves)
	{
		label: 'resource and operation "__CUSTOM_API_CALL__": points to the HTTP Request node',
		node: { resource: '__CUSTOM_API_CALL__', operation: '__CUSTOM_API_CALL__' },
		refused: {
			...inputRefused(/^Custom API Call is made with the HTTP Request node, not with this node$/),
			description: /^Add an HTTP Request node, set Authentication to "Predefined Credential Type" and pick one of the Microsoft 365 Defender credential types/,
		},
	},
	{ label: 'unknown resource', node: { resource: 'machine', operation: 'getAll' }, refused: { ...inputRefused(/^Resource "machine" is not known$/), description: /^Resource is one of: incident, alert, huntingQuery, deviceSignIn, device, indicator\.$/ } },
	{ label: 'unknown operation', node: { resource: 'incident', operation: 'delete' }, refused: { ...inputRefused(/^Operation "delete" is not known for resource "incident"$/), description: /^Operation is one of: get, getAll, update\.$/ } },
	// --- Get Incident input
	{ label: 'incident id "1/../../users" (expression)', node: getIncident('={{ $json.id }}'), items: [{ id: '1/../../users' }], refused: inputRefused(INCIDENT_ID_RULE) },
	{ label: 'incident id "1?$filter=x" (expression)', node: getIncident('={{ $json.id }}'), items: [{ id: '1?$filter=x' }], refused: inputRefused(INCIDENT_ID_RULE) },
	{ label: 'incident id "abc" (expression)', node: getIncident('={{ $json.id }}'), items: [{ id: 'abc' }], refused: inputRefused(INCIDENT_ID_RULE) },
	{ label: 'incident id -1 (expression, a number)', node: getIncident('={{ $json.id }}'), items: [{ id: -1 }], refused: inputRefused(INCIDENT_ID_RULE) },
	{ label: 'incident id empty (expression)', node: getIncident('={{ $json.id }}'), items: [{ id: '' }], refused: inputRefused(/"Incident" is empty; enter the incident's number or its portal link/) },
	{ label: 'incident id from an expression yielding an object', node: getIncident('={{ $json.incident }}'), items: [{ incident: { id: 5 } }], refused: inputRefused(/"Incident" must be text, but the expression gave an object/) },
	{ label: 'incident id "1/../../users" typed in By ID mode (n8n\'s own check)', node: getIncident('1/../../users'), refused: inputRefused(/node has issues:\n- Incident: not a numeric incident ID \(e.g. 1234\)/) },
	{ label: 'portal link over http://', node: getIncident('={{ $json.link }}', 'url'), items: [{ link: 'http://security.microsoft.com/incidents/1001' }], refused: inputRefused(INCIDENT_ID_RULE) },
	{
		label: 'portal link on another host: only the id is used, the request goes to the Graph host',
		node: getIncident('https://evil.example.com/incidents/1001/overview', 'url'),
		check: (items, graph) => {
			expect(items.map((item) => item.json.id)).toEqual(['1001']);
			expect(graph.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1.0/security/incidents/1001']);
		},
	},
	// links n8n's By URL check reads as 1001 must not act on 1002; a link of another tenant must not act here (issue 11 item 9)
	...[
		'https://security.microsoft.com/incidents/1001/%2e%2e/1002',
		'https://security.microsoft.com/incidents/1001\\..\\1002',
		'https://security.microsoft.com/incidents/1001/../../incidents/1002',
	].map((link): Row => ({
		label: `update by link ${link.slice(37)}: refused, nothing PATCHed`,
		node: { ...update({ status: 'active' }), incidentId: incidentLocator(link, 'url') },
		refused: inputRefused(INCIDENT_ID_RULE),
	})),
	{
		label: 'update by a link of another tenant (tid): refused, nothing PATCHed',
		node: { ...update({ status: 'active' }), incidentId: incidentLocator('https://security.microsoft.com/incidents/1001?tid=9c2d0000-0000-4000-8000-000000000000', 'url') },
		refused: inputRefused(/"Incident" is a link to an incident of tenant 9c2d0000-0000-4000-8000-000000000000, but the credential signs in to tenant [0-9a-f-]{36}/),
	},
	// alert links are read and checked the same way
	...[
		'https://security.microsoft.com/alerts/da637551227677560813_-961444813/%2e%2e/da2',
		'https://security.microsoft.com/alerts/da637551227677560813_-961444813/../da2',
	].map((link): Row => ({
		label: `update alert by link ${link.slice(35)}: refused, nothing PATCHed`,
		node: { resource: 'alert', operation: 'update', alertId: incidentLocator(link, 'url'), updateFields: { status: 'resolved' } },
		refused: inputRefused(/"Alert" must be an alert id .* or a Microsoft Defender portal link/),
	})),
	{
		label: 'update alert by a link of another tenant (tid): refused, nothing PATCHed',
		node: {
			resource: 'alert',
			operation: 'update',
			alertId: incidentLocator('https://security.microsoft.com/alerts/da637551227677560813_-961444813?tid=9c2d0000-0000-4000-8000-000000000000', 'url'),
			updateFields: { status: 'resolved' },
		},
		refused: inputRefused(/"Alert" is a link to an alert of tenant 9c2d0000-0000-4000-8000-000000000000, but the credential signs in to tenant [0-9a-f-]{36}/),
	},

	// --- Update Incident input
	{ label: 'update: unknown status from an expression', node: update({ status: '={{ "closed" }}' }), refused: inputRefused(new RegExp(`"Status" has the unknown value "closed"; allowed: ${UPDATE_STATUSES}$`)) },
	{ label: 'update: status awaitingAction (only Defender Experts set it)', node: update({ status: '={{ "awaitingAction" }}' }), refused: inputRefused(new RegExp(`Status "awaitingAction" is set only by Microsoft Defender Experts; choose one of: ${UPDATE_STATUSES}$`)) },
	{ label: 'update: unknown classification from an expression', node: update({ classification: '={{ "benign" }}' }), refused: inputRefused(new RegExp(`"Classification" has the unknown value "benign"; allowed: ${CLASSIFICATIONS}`)) },
	{ label: 'update: unknown determination from an expression', node: update({ classification: 'truePositive', determination: '={{ "ransomware" }}' }), refused: inputRefused(/"Determination" has the unknown value "ransomware"; allowed: apt, .*multiStagedAttack.*securityTesting/) },
	...Object.entries({ clean: 'notMalicious', insufficientData: 'notEnoughDataToValidate', compromisedUser: 'compromisedAccount', confirmedUserActivity: 'confirmedActivity' }).map(([old, graphName]) => ({
		label: `update: the retired Defender API name "${old}" (a saved workflow or an expression)`,
		node: update({ classification: old === 'compromisedUser' ? 'truePositive' : old === 'confirmedUserActivity' ? 'informationalExpectedActivity' : 'falsePositive', determination: old }),
		refused: inputRefused(new RegExp(`^Determination "${old}" is the retired Defender API's name; Graph calls it "${graphName}"$`)),
	})),
	{ label: 'update: determination that does not fit the classification', node: update({ classification: 'falsePositive', determination: '={{ "malware" }}' }), refused: inputRefused(new RegExp(`Determination "malware" does not fit classification "falsePositive"; allowed with "falsePositive": ${FALSE_POSITIVE_DETERMINATIONS}$`)) },
	{ label: 'update: determination without classification', node: update({ determination: 'malware' }), refused: inputRefused(/"Determination" needs "Classification" in the same update.*truePositive: multiStagedAttack/) },
	{ label: 'update: comment from an expression yielding an object', node: update({ comment: '={{ { text: "hi" } }}' }), refused: inputRefused(/"Comment" must be text, but the expression gave an object/) },
	{ label: 'update: custom tags from an expression yielding an object', node: update({ customTags: '={{ { tag: "vip" } }}' }), refused: inputRefused(/"Custom Tags" must be text, but the expression gave an object/) },
	{ label: 'update: no fields', node: update({}), refused: inputRefused(/"Update Fields" is empty; add at least one field/) },

	// --- Run Hunting Query input
	{ label: 'hunting: empty KQL (expression)', node: hunt('={{ $json.kql }}'), items: [{ kql: '' }], refused: inputRefused(/"Query" is empty; enter a value/) },
	{ label: 'hunting: KQL from an expression yielding an object', node: hunt('={{ { kql: "AlertInfo" } }}'), refused: inputRefused(/"Query" must be text, but the expression gave an object/) },
	{ label: 'hunting: timespan "7 days"', node: hunt('AlertInfo | take 1', { timespan: '7 days' }), refused: inputRefused(/"Timespan" is not an ISO-8601 duration: "7 days"; use for example P7D/) },
	{
		// deliberate: the node does not cap the query size; it is sent whole and Graph's answer decides
		label: 'hunting: a 1 MB KQL query is sent whole and works',
		node: hunt(ONE_MB_KQL),
		check: (items, graph) => {
			expect(graph).toHaveLength(1);
			expect((JSON.parse(graph[0].body) as { query: string }).query).toBe(ONE_MB_KQL);
			expect(items).toHaveLength(2);
		},
	},

	// --- the trigger's poll
	{ label: 'trigger: unknown severity from an expression', trigger: { filters: { severity: '={{ ["high", "urgent"] }}' } }, refused: inputRefused(new RegExp(`"Severity" has the unknown value "urgent"; allowed: ${SEVERITIES}`)) },
	{ label: 'trigger: unknown status from an expression', trigger: { filters: { status: '={{ "open" }}' } }, refused: inputRefused(new RegExp(`"Status" has the unknown value "open"; allowed: ${STATUSES}`)) },
	{ label: 'trigger: unknown event', trigger: { event: 'incidentDeleted' }, refused: inputRefused(/"Event" has the unknown value "incidentDeleted"; allowed: incidentCreated, incidentUpdated/) },
	{ label: 'trigger: negative overlap (expression)', trigger: { options: { overlapMinutes: '={{ -1 }}' } }, refused: inputRefused(/"Overlap \(Minutes\)" must be a number from 0 to 1440, not -1/) },
	{ label: 'trigger: start-from that is not a number (expression)', trigger: { options: { startFromHours: '={{ "forever" }}' } }, refused: inputRefused(/"Start From \(Hours Ago\)" must be a number from 0 to 4320, not "forever"/) },
	{ label: 'trigger: client secret with a malformed tenant', trigger: {}, credential: client({ tenantId: 'contoso' }), refused: credentialRefused(/"tenantId": "contoso" is not a tenant ID or domain; enter .*GUID/) },
];

let bed: TestBed;
const savedEnv: Record<string, string | undefined> = {};
const ENV_KEYS = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'IMDS_ENDPOINT', 'AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IDENTITY_SERVER_THUMBPRINT'];

/** every HTTP request this process started, as protocol//host:port/path (node's http.client.request.start channel) */
const outgoing: string[] = [];
const recordOutgoing = (message: unknown) => {
	const request = (message as { request: ClientRequest }).request;
	outgoing.push(`${request.protocol}//${String(request.getHeader('host') ?? request.host)}${request.path}`);
};

beforeAll(async () => {
	bed = await startTestBed();
	// a managed identity that got past validation would ask the sim's App Service endpoint, never IMDS
	for (const key of ENV_KEYS) {
		savedEnv[key] = process.env[key];
		delete process.env[key];
	}
	process.env.IDENTITY_ENDPOINT = bed.cloud.identityEndpoint;
	process.env.IDENTITY_HEADER = bed.cloud.identityHeader;
	subscribe('http.client.request.start', recordOutgoing);
});

afterAll(async () => {
	unsubscribe('http.client.request.start', recordOutgoing);
	for (const key of ENV_KEYS) {
		if (savedEnv[key] === undefined) delete process.env[key];
		else process.env[key] = savedEnv[key];
	}
	await bed.stop();
});

beforeEach(() => {
	resetTestBed(bed);
	resetTokenCachesForTests();
	outgoing.length = 0;
});

async function runRow(row: Row): Promise<{ error?: Error; items: INodeExecutionData[] }> {
	const type = row.credential?.type ?? CLIENT;
	const ref = row.credential ? bed.store.add(type, row.credential.data(bed.cloud as unknown as AuthSimCloud)) : bed.app;
	const credentials = { [type]: ref };
	if (row.trigger) {
		const trigger = createPollRunner(triggerType, {
			store: bed.store,
			credentials,
			parameters: { authentication: AUTHENTICATION[type], ...row.trigger },
		});
		const result = await trigger.poll();
		return { error: result.error, items: result.items?.[0] ?? [] };
	}
	const out = await bed.run(
		{ authentication: AUTHENTICATION[type], ...row.node },
		{ credentials, items: (row.items ?? [{}]).map((json) => ({ json })) },
	);
	return { error: out.error, items: out.items };
}

test('the table covers at least 30 bad inputs', () => {
	expect(rows.length).toBeGreaterThanOrEqual(30);
	expect(new Set(rows.map((row) => row.label)).size).toBe(rows.length);
});

test.each(rows)('$label', async (row) => {
	const { error, items } = await runRow(row);

	// 1. the outcome
	if (row.refused || row.answered) {
		expect(error).toBeDefined();
		// n8n's own errors, never a crash (TypeError and the like)
		expect(['NodeOperationError', 'NodeApiError', 'WorkflowHasIssuesError']).toContain(error!.constructor.name);
		if (row.refused) expect(error!.message).toMatch(row.refused.message);
		else expect(`${error!.message}\n${(error as { description?: string }).description ?? ''}`).toMatch(row.answered!);
		if (row.refused?.description) expect((error as { description?: string }).description).toMatch(row.refused.description);
	} else {
		expect(error).toBeUndefined();
	}

	// 2. what was sent
	const { requests } = bed.cloud;
	const graph = requests.filter((r) => r.server === 'graph');
	if (row.refused?.before === 'graph') expect(graph).toEqual([]);
	if (row.refused?.before === 'token') {
		expect(requests).toEqual([]);
		expect(outgoing).toEqual([]);
	}
	const simHosts: Record<LoggedRequest['server'], string> = {
		graph: new URL(bed.cloud.graphEndpoint).host,
		login: new URL(bed.cloud.authorityHost).host,
		identity: new URL(bed.cloud.identityEndpoint).host,
		mde: new URL(bed.cloud.mdeEndpoint).host,
	};
	for (const request of requests) {
		expect(request.headers.host).toBe(simHosts[request.server]);
		expect(ALLOWED_PATHS[request.server].some((allowed) => allowed.test(request.path))).toBe(true);
	}
	for (const url of outgoing) {
		expect(Object.values(simHosts)).toContain(new URL(url).host);
	}
	// the recorder sees what the sim logged (so an empty list above means nothing was sent)
	if (graph.length > 0) expect(outgoing.filter((url) => new URL(url).host === simHosts.graph)).toHaveLength(graph.length);
	row.check?.(items, graph);
}, 10_000);
