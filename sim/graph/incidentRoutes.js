// @ts-check
'use strict';

/** /v1.0/security/incidents: list ($filter, $expand=alerts, paging), get, PATCH, POST .../comments. */

const { graphDate, nextUpdateTime } = require('../util');
const graphSchema = require('./schema');
const { sendGraph, graphError, visibility, jsonBody, pagingOptions, sendPage, queryOptionsSupported, filtered } = require('./http');
const { sortedIncidents, applyIncidentUpdate } = require('./incidents');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

const READ_INCIDENTS = ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'];

const WRITE_INCIDENTS = ['SecurityIncident.ReadWrite.All'];

const SUPPORTED_LIST_OPTIONS = graphSchema.listQueryOptions('incident');

/**
 * The incident as Graph answers this request (evolvable enum members hidden without the Prefer header).
 * @param {RequestContext} ctx
 * @param {Record<string, any>} incident
 * @param {boolean} withAlerts
 * @param {string[]} [select] `$select`ed properties (undefined = all)
 */
function present(ctx, incident, withAlerts, select) {
	const { alerts, ...rest } = incident;
	return graphSchema.applySelect(graphSchema.present('incident', withAlerts ? incident : rest, visibility(ctx)), select, ['alerts']);
}

/**
 * @param {RequestContext} ctx
 * @returns {{ ok: true, alerts: boolean } | { ok: false }}
 */
function parseExpand(ctx) {
	const expand = ctx.query.get('$expand');
	if (expand === null) return { ok: true, alerts: false };
	const parts = expand.split(',').map((s) => s.trim());
	for (const part of parts) {
		if (part !== 'alerts') {
			graphError(ctx, 400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${part}' on type 'microsoft.graph.security.incident'.`);
			return { ok: false };
		}
	}
	return { ok: true, alerts: true };
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 */
function listIncidents(cloud, ctx) {
	if (!queryOptionsSupported(ctx, SUPPORTED_LIST_OPTIONS)) return;
	const expand = parseExpand(ctx);
	if (!expand.ok) return;
	const select = graphSchema.parseSelect('incident', ctx.query.get('$select'));
	if ('error' in select) return graphError(ctx, 400, 'BadRequest', select.error);
	const paging = pagingOptions(ctx);
	if (!paging) return;
	const matching = filtered(ctx, 'incident', sortedIncidents(cloud));
	if (!matching) return;
	sendPage(cloud, ctx, {
		collection: 'incidents',
		context: `security/incidents${expand.alerts ? '(alerts())' : ''}`,
		matching,
		pageSize: cloud.options.pageSize,
		paging,
		present: (i) => present(ctx, i, expand.alerts, select.properties),
	});
}

/**
 * @param {RequestContext} ctx
 * @param {string} id
 */
function notFound(ctx, id) {
	graphError(ctx, 404, 'NotFound', `Incident with id '${id}' was not found.`);
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} id
 */
function getIncident(cloud, ctx, id) {
	if (!queryOptionsSupported(ctx, ['$expand', '$select'])) return;
	const expand = parseExpand(ctx);
	if (!expand.ok) return;
	const select = graphSchema.parseSelect('incident', ctx.query.get('$select'));
	if ('error' in select) return graphError(ctx, 400, 'BadRequest', select.error);
	const incident = cloud.getIncident(id);
	if (!incident) return notFound(ctx, id);
	sendGraph(ctx, 200, { '@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#security/incidents/$entity`, ...present(ctx, incident, expand.alerts, select.properties) });
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} id
 */
function patchIncident(cloud, ctx, id) {
	const incident = cloud.getIncident(id);
	if (!incident) return notFound(ctx, id);
	const changes = jsonBody(ctx);
	if (changes === undefined) return;
	const problem = graphSchema.validatePatch('incident', changes, visibility(ctx));
	if (problem) return graphError(ctx, 400, 'BadRequest', problem);
	const updated = applyIncidentUpdate(cloud, id, changes, 'API-App:' + (ctx.principal && ctx.principal.appid));
	sendGraph(ctx, 200, { '@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#security/incidents/$entity`, ...present(ctx, updated, false) });
}

/**
 * @param {SimCloud} cloud
 * @param {RequestContext} ctx
 * @param {string} id
 */
function postComment(cloud, ctx, id) {
	const incident = cloud.getIncident(id);
	if (!incident) return notFound(ctx, id);
	const body = jsonBody(ctx);
	if (body === undefined) return;
	if (typeof body.comment !== 'string' || body.comment.trim() === '') {
		return graphError(ctx, 400, 'BadRequest', "The property 'comment' is required and must be a non-empty string.");
	}
	const p = ctx.principal || {};
	const by = p.upn || p.app_displayname || p.appid || 'API-App';
	const comment = {
		'@odata.type': 'microsoft.graph.security.alertComment',
		comment: body.comment,
		createdByDisplayName: by,
		createdDateTime: graphDate(Date.now()),
	};
	incident.comments.push(comment);
	incident.lastUpdateDateTime = nextUpdateTime(incident);
	sendGraph(ctx, 200, {
		'@odata.context': `${cloud.graphEndpoint}/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)`,
		value: JSON.parse(JSON.stringify(incident.comments)),
	});
}

module.exports = { READ_INCIDENTS, WRITE_INCIDENTS, listIncidents, getIncident, patchIncident, postComment };
