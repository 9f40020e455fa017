// @ts-check
'use strict';

/** /v1.0/security/alerts_v2: list ($filter, paging), get, PATCH, POST .../comments (the alerts are in alerts.js). */

const graphSchema = require('./schema');
const { sendGraph, graphError, authorize, visibility, jsonBody, pagingOptions, sendPage, queryOptionsSupported, filtered, methodNotAllowed, segmentNotFound } = require('./http');
const { alertStore } = require('./alerts');

const LIST_OPTIONS = graphSchema.listQueryOptions('alert');

const READ_ALERTS = ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'];

const WRITE_ALERTS = ['SecurityAlert.ReadWrite.All'];

/**
 * @param {import('../cloud').SimCloud} cloud
 * @param {import('../cloud').RequestContext} ctx
 */
function listAlerts(cloud, ctx) {
	if (!queryOptionsSupported(ctx, LIST_OPTIONS)) return;
	const select = graphSchema.parseSelect('alert', ctx.query.get('$select'));
	if ('error' in select) return graphError(ctx, 400, 'BadRequest', select.error);
	const paging = pagingOptions(ctx);
	if (!paging) return;
	const matching = filtered(ctx, 'alert', alertStore(cloud).all());
	if (!matching) return;
	sendPage(cloud, ctx, {
		collection: 'alerts_v2',
		context: 'security/alerts_v2',
		matching,
		pageSize: cloud.options.alertPageSize,
		paging,
		present: (alert) => graphSchema.applySelect(graphSchema.present('alert', alert, visibility(ctx)), select.properties),
	});
}

/**
 * Routes /v1.0/security/alerts_v2[/{id}[/comments]].
 * @param {import('../cloud').SimCloud} cloud
 * @param {import('../cloud').RequestContext} ctx
 */
function handleAlerts(cloud, ctx) {
	const notAllowed = () => methodNotAllowed(ctx);
	const notFound = (/** @type {string} */ id) => graphError(ctx, 404, 'NotFound', `Alert with id '${id}' was not found.`);
	const shown = visibility(ctx);
	const entity = (/** @type {any} */ alert) => ({
		'@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#security/alerts_v2/$entity`,
		...graphSchema.present('alert', alert, shown),
	});
	const store = alertStore(cloud);
	const p = ctx.path;
	let m;
	if (p === '/v1.0/security/alerts_v2') {
		if (ctx.method !== 'GET') return notAllowed();
		if (!(ctx.principal = authorize(cloud, ctx, READ_ALERTS))) return;
		return listAlerts(cloud, ctx);
	}
	if ((m = /^\/v1\.0\/security\/alerts_v2\/([^/]+)$/.exec(p))) {
		const id = decodeURIComponent(m[1]);
		if (ctx.method === 'GET') {
			if (!(ctx.principal = authorize(cloud, ctx, READ_ALERTS))) return;
			for (const key of ctx.query.keys()) {
				if (key.startsWith('$') && key !== '$select') return graphError(ctx, 400, 'BadRequest', `Query option '${key}' is not supported by this API.`);
			}
			const select = graphSchema.parseSelect('alert', ctx.query.get('$select'));
			if ('error' in select) return graphError(ctx, 400, 'BadRequest', select.error);
			const alert = store.get(id);
			return alert ? sendGraph(ctx, 200, graphSchema.applySelect(entity(alert), select.properties)) : notFound(id);
		}
		if (ctx.method === 'PATCH') {
			if (!(ctx.principal = authorize(cloud, ctx, WRITE_ALERTS))) return;
			if (!store.get(id)) return notFound(id);
			const changes = jsonBody(ctx);
			if (changes === undefined) return;
			const problem = graphSchema.validatePatch('alert', changes, shown);
			if (problem) return graphError(ctx, 400, 'BadRequest', problem);
			const principal = ctx.principal || {};
			return sendGraph(ctx, 200, entity(store.update(id, changes, principal.upn || 'API-App:' + principal.appid)));
		}
		return notAllowed();
	}
	if ((m = /^\/v1\.0\/security\/alerts_v2\/([^/]+)\/comments$/.exec(p))) {
		if (ctx.method !== 'POST') return notAllowed();
		if (!(ctx.principal = authorize(cloud, ctx, WRITE_ALERTS))) return;
		const id = decodeURIComponent(m[1]);
		if (!store.get(id)) return notFound(id);
		const body = jsonBody(ctx);
		if (body === undefined) return;
		if (typeof body.comment !== 'string' || body.comment.trim() === '') {
			return graphError(ctx, 400, 'BadRequest', "The property 'comment' is required and must be a non-empty string.");
		}
		const principal = ctx.principal || {};
		const alert = store.update(id, { comment: body.comment }, principal.upn || principal.app_displayname || principal.appid || 'API-App');
		return sendGraph(ctx, 200, {
			'@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)`,
			value: JSON.parse(JSON.stringify(alert.comments)),
		});
	}
	return segmentNotFound(ctx);
}

module.exports = { handleAlerts };
