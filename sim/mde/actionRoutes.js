// @ts-check
'use strict';

/** The machine-action endpoints of the simulated Defender for Endpoint API (api/isolate-machine, ..., api/get-package-sas-uri). */

const crypto = require('crypto');
const { authorize, jsonBody, caller, entity, mdeError } = require('./http');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

const PACKAGE_LINK_LIFETIME_MS = 10 * 60000;

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
	const action = cloud.mde.actions.create({ type: spec.type, scope, machine: /** @type {{ id: string, computerDnsName: string }} */ (machine), requestor: caller(p).id, comment: body.Comment, relatedFileInfo });
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

module.exports = { MACHINE_ACTIONS, machineAction, getPackageUri, downloadPackage };
