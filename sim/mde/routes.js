// @ts-check
'use strict';

/** The simulated Defender for Endpoint API server (`cloud.mdeEndpoint`, `/api/...`). */

const crypto = require('crypto');
const { checkBearer } = require('../bearer');
const { parseFilter, evaluate, FilterError } = require('../odataFilter');
const { PERMISSIONS } = require('./permissions');
const { MACHINE_FILTER_SCHEMA } = require('./machines');
const { INDICATOR_FILTER_SCHEMA, IndicatorError, validateIndicator } = require('./indicators');
const { mdeDate } = require('./machineActions');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

const MAX_TOP = 10000;
const PACKAGE_LINK_LIFETIME_MS = 10 * 60000;
const ACTION_FILTER_SCHEMA = {
	typeName: 'WindowsDefenderATP.MachineAction',
	properties: ['id', 'type', 'scope', 'requestor', 'requestorComment', 'status', 'machineId', 'computerDnsName', 'creationDateTimeUtc', 'lastUpdateDateTimeUtc', 'relatedFileInfo'],
	filterable: /** @type {Record<string, 'string' | 'enum' | 'datetime'>} */ ({ id: 'string', status: 'enum', machineId: 'string', type: 'enum', requestor: 'string', creationDateTimeUtc: 'datetime' }),
	enums: {
		status: ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'],
		type: ['Isolate', 'Unisolate', 'RunAntiVirusScan', 'CollectInvestigationPackage', 'StopAndQuarantineFile', 'RestrictCodeExecution', 'UnrestrictCodeExecution', 'Offboard', 'LiveResponse'],
	},
};

/**
 * The machine actions (path segment, case-insensitive like Defender's routes): the MachineAction type, the
 * body parameter giving its scope (with its allowed values) and whether that parameter is required.
 * @type {Record<string, { type: string, scope?: { param: string, values: string[], required: boolean, default?: string } }>}
 */
const MACHINE_ACTIONS = {
	isolate: { type: 'Isolate', scope: { param: 'IsolationType', values: ['Full', 'Selective', 'UnManagedDevice'], required: false, default: 'Full' } },
	unisolate: { type: 'Unisolate' },
	runantivirusscan: { type: 'RunAntiVirusScan', scope: { param: 'ScanType', values: ['Quick', 'Full'], required: true } },
	collectinvestigationpackage: { type: 'CollectInvestigationPackage' },
	restrictcodeexecution: { type: 'RestrictCodeExecution' },
	unrestrictcodeexecution: { type: 'UnrestrictCodeExecution' },
	stopandquarantinefile: { type: 'StopAndQuarantineFile' },
};
/** The permission key (permissions.js) of each action type. */
const ACTION_PERMISSION = /** @type {Record<string, string>} */ ({
	Isolate: 'isolate', Unisolate: 'unisolate', RunAntiVirusScan: 'runAntiVirusScan', CollectInvestigationPackage: 'collectInvestigationPackage',
	RestrictCodeExecution: 'restrictCodeExecution', UnrestrictCodeExecution: 'unrestrictCodeExecution', StopAndQuarantineFile: 'StopAndQuarantineFile',
});

/** Defender's error shape (api/common-errors); `target` is the request's correlation id. @param {RequestContext} ctx @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [headers] */
function mdeError(ctx, status, code, message, headers) {
	ctx.send(status, { error: { code, message, target: ctx.requestId } }, headers);
}

/** @param {SimCloud} cloud @param {RequestContext} ctx @param {string} permission key of PERMISSIONS */
function authorize(cloud, ctx, permission) {
	const { app, delegated } = PERMISSIONS[permission];
	const check = checkBearer(cloud, ctx, cloud.mdeEndpoint, [...app, ...delegated]);
	if (check.ok) {
		const p = check.payload;
		const held = p.scp !== undefined ? String(p.scp).split(' ') : p.roles || [];
		if ((p.scp !== undefined ? delegated : app).some((x) => held.includes(x))) return p;
		return void forbidden(ctx, p.scp !== undefined, p.scp !== undefined ? delegated : app);
	}
	if (check.status === 401) {
		const why = { empty: 'no authorization header', malformed: 'the token is not a JWT', signature: 'the token was not issued by Microsoft Entra ID', expired: 'the token has expired', audience: `the token's audience is not ${cloud.mdeEndpoint}` }[check.reason];
		return void mdeError(ctx, 401, 'Unauthorized', `Unauthorized (invalid or expired authorization header): ${why}.`);
	}
	return void forbidden(ctx, check.reason === 'scope', check.reason === 'scope' ? delegated : app);
}

/** @param {RequestContext} ctx @param {boolean} isDelegated @param {string[]} needed */
function forbidden(ctx, isDelegated, needed) {
	if (isDelegated && !needed.length) return mdeError(ctx, 403, 'Forbidden', 'This operation is not supported with delegated (user) permissions; it needs an application permission.');
	mdeError(ctx, 403, 'Forbidden', isDelegated
		? `The user or application does not have any of the required delegated permissions (${needed.join(', ')}) to access the resource.`
		: `The application does not have any of the required application roles (${needed.join(', ')}) to access the resource.`);
}

/** @param {RequestContext} ctx @returns {any} the JSON body, or undefined after answering 400 */
function jsonBody(ctx) {
	try {
		const body = JSON.parse(ctx.body || '');
		if (body && typeof body === 'object' && !Array.isArray(body)) return body;
	} catch {
		// answered below
	}
	mdeError(ctx, 400, 'InvalidRequestBody', 'Request body is incorrect');
	return undefined;
}

/**
 * $filter / $top / $skip over a collection; answers 400 ODataError itself and returns undefined then.
 * @param {RequestContext} ctx @param {Record<string, any>[]} items @param {any} schema
 */
function query(ctx, items, schema) {
	for (const key of ctx.query.keys()) {
		if (key.startsWith('$') && !['$filter', '$top', '$skip'].includes(key)) return void mdeError(ctx, 400, 'ODataError', `Query option '${key}' is not allowed. Allowed: $filter, $top, $skip.`);
	}
	/** @type {Record<string, number>} */
	const ints = {};
	for (const name of ['$top', '$skip']) {
		const raw = ctx.query.get(name);
		if (raw === null) continue;
		if (!/^\d+$/.test(raw)) return void mdeError(ctx, 400, 'ODataError', `Invalid value '${raw}' for query option '${name}'.`);
		ints[name] = Number(raw);
	}
	if (ints.$top > MAX_TOP) return void mdeError(ctx, 400, 'ODataError', `The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${ints.$top}'.`);
	let matching = items;
	const filterText = ctx.query.get('$filter');
	if (filterText !== null) {
		try {
			const node = parseFilter(filterText, schema);
			matching = items.filter((i) => evaluate(node, i));
		} catch (e) {
			if (e instanceof FilterError) return void mdeError(ctx, 400, 'ODataError', e.message);
			throw e;
		}
	}
	const skip = ints.$skip || 0;
	return matching.slice(skip, skip + (ints.$top === undefined ? MAX_TOP : ints.$top));
}

/** @param {SimCloud} cloud @param {string} entitySet @param {any} value */
function collection(cloud, entitySet, value) {
	return { '@odata.context': `${cloud.mdeEndpoint}/api/$metadata#${entitySet}`, value };
}
/** @param {SimCloud} cloud @param {string} entitySet @param {any} entity */
function entity(cloud, entitySet, entity) {
	return { '@odata.context': `${cloud.mdeEndpoint}/api/$metadata#${entitySet}/$entity`, ...entity };
}

/** Who made the call, as Defender records it. @param {Record<string, any>} p token payload */
function caller(p) {
	return p.scp !== undefined ? { id: String(p.upn), displayName: String(p.upn), kind: /** @type {const} */ ('user') } : { id: String(p.appid), displayName: String(p.app_displayname), kind: /** @type {const} */ ('app') };
}

/** @param {SimCloud} cloud @param {RequestContext} ctx @param {string} machineRef @param {string} segment */
function machineAction(cloud, ctx, machineRef, segment) {
	const spec = MACHINE_ACTIONS[segment.toLowerCase()];
	const p = authorize(cloud, ctx, ACTION_PERMISSION[spec.type]);
	if (!p) return;
	const body = jsonBody(ctx);
	if (!body) return;
	const machine = cloud.mde.findMachine(machineRef);
	if (!machine) return mdeError(ctx, 404, 'ResourceNotFound', `Machine ${machineRef} was not found`);
	// Body parameters are case-sensitive (api/common-errors).
	if (typeof body.Comment !== 'string' || !body.Comment.trim()) return mdeError(ctx, 400, 'MissingRequiredParameter', 'Parameter Comment is missing.');
	let scope = null;
	if (spec.scope) {
		const value = body[spec.scope.param];
		if (value === undefined && spec.scope.required) return mdeError(ctx, 400, 'MissingRequiredParameter', `Parameter ${spec.scope.param} is missing.`);
		scope = value === undefined ? spec.scope.default || null : value;
		if (!spec.scope.values.includes(scope)) return mdeError(ctx, 400, 'InvalidInput', `Invalid input ${spec.scope.param} '${value}'. Allowed values: ${spec.scope.values.join(', ')}.`);
	}
	let relatedFileInfo = null;
	if (spec.type === 'StopAndQuarantineFile') {
		if (body.Sha1 === undefined) return mdeError(ctx, 400, 'MissingRequiredParameter', 'Parameter Sha1 is missing.');
		if (typeof body.Sha1 !== 'string' || !/^[0-9a-fA-F]{40}$/.test(body.Sha1)) return mdeError(ctx, 400, 'InvalidHashValue', `Hash value ${body.Sha1} is invalid.`);
		relatedFileInfo = { fileIdentifier: body.Sha1.toLowerCase(), fileIdentifierType: 'Sha1' };
	}
	if (spec.type === 'Isolate' && scope === 'Selective' && !/^Windows/.test(machine.osPlatform)) {
		return mdeError(ctx, 400, 'OsPlatformNotSupported', `OS Platform ${machine.osPlatform} isn't supported for this action.`);
	}
	// The same action pending or running on this machine: api/unisolate-machine, api/run-av-scan, ... "Action is already in progress".
	if (cloud.mde.actions.active(machine.id, spec.type)) return mdeError(ctx, 400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
	const action = cloud.mde.actions.create({ type: spec.type, scope, machine, requestor: caller(p).id, comment: body.Comment, relatedFileInfo });
	ctx.send(201, entity(cloud, 'MachineActions', action));
}

/** @param {SimCloud} cloud @param {RequestContext} ctx @param {string} id */
function getPackageUri(cloud, ctx, id) {
	const retryAfter = cloud.mde.packageUriRateLimit.take(Date.now());
	if (retryAfter) return mdeError(ctx, 429, 'TooManyRequests', 'Too many requests: GetPackageUri allows 2 calls a minute and 120 an hour.', { 'retry-after': String(retryAfter) });
	if (!authorize(cloud, ctx, 'getPackageUri')) return;
	const action = cloud.mde.actions.get(id);
	if (!action || action.type !== 'CollectInvestigationPackage' || action.status !== 'Succeeded') {
		return mdeError(ctx, 404, 'ResourceNotFound', `Investigation package for machine action ${id} was not found`);
	}
	const expires = Date.now() + PACKAGE_LINK_LIFETIME_MS;
	const sig = crypto.createHmac('sha256', cloud.identityHeader).update(`${action.id}|${expires}`).digest('hex');
	ctx.send(200, { '@odata.context': `${cloud.mdeEndpoint}/api/$metadata#Edm.String`, value: `${cloud.mdeEndpoint}/packages/${action.id}.zip?se=${expires}&sig=${sig}` });
}

/** The package download behind GetPackageUri's link (no bearer token: the link is its own short-lived credential). @param {SimCloud} cloud @param {RequestContext} ctx @param {string} id */
function downloadPackage(cloud, ctx, id) {
	const expires = Number(ctx.query.get('se'));
	const sig = crypto.createHmac('sha256', cloud.identityHeader).update(`${id}|${expires}`).digest('hex');
	if (ctx.query.get('sig') !== sig || !(expires > Date.now())) return ctx.sendRaw(403, 'AuthenticationFailed: the link has expired or is not valid.', { 'content-type': 'text/plain' });
	ctx.sendRaw(200, `simulated investigation package ${id}`, { 'content-type': 'application/zip' });
}

/** @param {SimCloud} cloud @param {RequestContext} ctx */
function handleMde(cloud, ctx) {
	const { method, path } = ctx;
	let m;
	if (method === 'GET' && (m = /^\/packages\/([0-9a-f-]{36})\.zip$/.exec(path))) return downloadPackage(cloud, ctx, m[1]);
	if (!/\/GetPackageUri$/i.test(path)) {
		const retryAfter = cloud.mde.rateLimit.take(Date.now());
		if (retryAfter) return mdeError(ctx, 429, 'TooManyRequests', 'Too many requests: this API allows 100 calls a minute and 1,500 an hour.', { 'retry-after': String(retryAfter) });
	}
	if (method === 'GET' && /^\/api\/machines\/?$/i.test(path)) {
		if (!authorize(cloud, ctx, 'readMachines')) return;
		// api/get-machines: a tenant without (recent) machines answers 404.
		if (!cloud.mde.machines.length) return mdeError(ctx, 404, 'ResourceNotFound', 'No machines found');
		const page = query(ctx, cloud.mde.machines, MACHINE_FILTER_SCHEMA);
		return page && ctx.send(200, collection(cloud, 'Machines', page));
	}
	if (method === 'GET' && (m = /^\/api\/machines\/([^/]+)$/i.exec(path))) {
		if (!authorize(cloud, ctx, 'readMachines')) return;
		const ref = decodeURIComponent(m[1]);
		const machine = cloud.mde.findMachine(ref);
		return machine ? ctx.send(200, entity(cloud, 'Machines', machine)) : mdeError(ctx, 404, 'ResourceNotFound', `Machine ${ref} was not found`);
	}
	if (method === 'POST' && (m = /^\/api\/machines\/([^/]+)\/([A-Za-z]+)$/.exec(path)) && MACHINE_ACTIONS[m[2].toLowerCase()]) {
		return machineAction(cloud, ctx, decodeURIComponent(m[1]), m[2]);
	}
	if (method === 'GET' && /^\/api\/machineactions\/?$/i.test(path)) {
		if (!authorize(cloud, ctx, 'readActions')) return;
		const page = query(ctx, cloud.mde.actions.list(), ACTION_FILTER_SCHEMA);
		return page && ctx.send(200, collection(cloud, 'MachineActions', page));
	}
	if (method === 'GET' && (m = /^\/api\/machineactions\/([^/]+)$/i.exec(path))) {
		if (!authorize(cloud, ctx, 'readActions')) return;
		const action = cloud.mde.actions.get(decodeURIComponent(m[1]));
		return action ? ctx.send(200, entity(cloud, 'MachineActions', action)) : mdeError(ctx, 404, 'ResourceNotFound', `Machine action ${m[1]} was not found`);
	}
	if (method === 'GET' && (m = /^\/api\/machineactions\/([^/]+)\/GetPackageUri$/i.exec(path))) return getPackageUri(cloud, ctx, decodeURIComponent(m[1]));
	if (method === 'POST' && (m = /^\/api\/machineactions\/([^/]+)\/cancel$/i.exec(path))) {
		const p = authorize(cloud, ctx, 'cancel');
		if (!p) return;
		const body = jsonBody(ctx);
		if (!body) return;
		if (typeof body.Comment !== 'string' || !body.Comment.trim()) return mdeError(ctx, 400, 'MissingRequiredParameter', 'Parameter Comment is missing.');
		const id = decodeURIComponent(m[1]);
		const existing = cloud.mde.actions.get(id);
		if (!existing) return mdeError(ctx, 404, 'ResourceNotFound', `Machine action ${id} was not found`);
		const cancelled = cloud.mde.actions.cancel(id, caller(p).id, body.Comment);
		if (!cancelled) return mdeError(ctx, 400, 'BadRequest', `Machine action ${id} is ${existing.status} and can no longer be cancelled.`);
		return ctx.send(200, entity(cloud, 'MachineActions', cancelled));
	}
	if (/^\/api\/indicators\/?$/i.test(path) && (method === 'GET' || method === 'POST')) {
		const p = authorize(cloud, ctx, 'indicators');
		if (!p) return;
		if (method === 'GET') {
			// api/get-ti-indicators-collection: without Ti.ReadWrite.All an app sees only the indicators it submitted.
			const own = p.scp === undefined && !(p.roles || []).includes('Ti.ReadWrite.All');
			const items = cloud.mde.indicators.items.filter((i) => !own || i.createdBy === p.appid);
			const page = query(ctx, items, INDICATOR_FILTER_SCHEMA);
			return page && ctx.send(200, collection(cloud, 'Indicators', page));
		}
		const body = jsonBody(ctx);
		if (!body) return;
		try {
			validateIndicator(body);
		} catch (e) {
			if (e instanceof IndicatorError) return mdeError(ctx, 400, e.code, e.message);
			throw e;
		}
		return ctx.send(200, entity(cloud, 'Indicators', cloud.mde.indicators.submit(body, caller(p)).indicator));
	}
	if (method === 'DELETE' && (m = /^\/api\/indicators\/([^/]+)$/i.exec(path))) {
		if (!authorize(cloud, ctx, 'deleteIndicator')) return;
		const id = decodeURIComponent(m[1]);
		return cloud.mde.indicators.delete(id) ? ctx.sendRaw(204, '', {}) : mdeError(ctx, 404, 'ResourceNotFound', `Indicator ${id} was not found`);
	}
	return mdeError(ctx, 404, 'NotFound', `No route for ${method} ${path}.`);
}

module.exports = { handleMde, mdeError, mdeDate };
