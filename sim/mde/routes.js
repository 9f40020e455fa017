// @ts-check
'use strict';

/** The simulated Defender for Endpoint API server (`cloud.mdeEndpoint`, `/api/...`). */

const { mdeError, authorize, jsonBody, query, collection, entity, caller } = require('./http');
const { MACHINE_ACTIONS, machineAction, getPackageUri, downloadPackage } = require('./actionRoutes');
const { MACHINE_FILTER_SCHEMA } = require('./machines');
const { INDICATOR_FILTER_SCHEMA, IndicatorError, validateIndicator } = require('./indicators');
const { apiOf } = require('./rateLimit');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

const ACTION_FILTER_SCHEMA = {
	typeName: 'WindowsDefenderATP.MachineAction',
	properties: ['id', 'type', 'scope', 'requestor', 'requestorComment', 'status', 'machineId', 'computerDnsName', 'creationDateTimeUtc', 'lastUpdateDateTimeUtc', 'relatedFileInfo'],
	filterable: /** @type {Record<string, 'string' | 'enum' | 'datetime'>} */ ({ id: 'string', status: 'enum', machineId: 'string', type: 'enum', requestor: 'string', creationDateTimeUtc: 'datetime' }),
	enums: {
		status: ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'],
		type: ['Isolate', 'Unisolate', 'RunAntiVirusScan', 'CollectInvestigationPackage', 'StopAndQuarantineFile', 'RestrictCodeExecution', 'UnrestrictCodeExecution', 'Offboard', 'LiveResponse'],
	},
};

/** @param {SimCloud} cloud @param {RequestContext} ctx */
function handleMde(cloud, ctx) {
	const { method, path } = ctx;
	let m;
	if (method === 'GET' && (m = /^\/packages\/([0-9a-f-]{36})\.zip$/.exec(path))) return downloadPackage(cloud, ctx, m[1]);
	if (!/\/GetPackageUri$/i.test(path)) {
		const retryAfter = cloud.mde.rateLimit.take(apiOf(method, path), Date.now());
		if (retryAfter) return mdeError(ctx, 429, 'TooManyRequests', 'Too many requests: this API allows 100 calls a minute and 1,500 an hour.', { 'retry-after': String(retryAfter) });
	}
	if (method === 'GET' && /^\/api\/machines\/?$/i.test(path)) {
		if (!authorize(cloud, ctx, 'readMachines')) return;
		// api/get-machines: a tenant without (recent) machines answers 404.
		if (!cloud.mde.machines.length) return mdeError(ctx, 404, 'ResourceNotFound', 'No machines found');
		const page = query(ctx, cloud.mde.machines, MACHINE_FILTER_SCHEMA);
		return page && ctx.send(200, collection(cloud, 'Machines', page));
	}
	if (method === 'GET' && /^\/api\/machines\/findbytag$/i.test(path)) {
		// api/find-machines-by-tag: ?tag=&useStartsWithFilter=
		if (!authorize(cloud, ctx, 'readMachines')) return;
		const tag = (ctx.query.get('tag') || '').toLowerCase();
		if (!tag) return mdeError(ctx, 400, 'MissingRequiredParameter', 'Parameter tag is missing.');
		const startsWith = (ctx.query.get('useStartsWithFilter') || '').toLowerCase() === 'true';
		const tagged = cloud.mde.machines.filter((mc) => mc.machineTags.some((/** @type {string} */ t) => (startsWith ? t.toLowerCase().startsWith(tag) : t.toLowerCase() === tag)));
		return ctx.send(200, collection(cloud, 'Machines', tagged));
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

module.exports = { handleMde, mdeError };
