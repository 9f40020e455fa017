// @ts-check
'use strict';

/** Entra's error answer (AADSTS codes in error_description, trace and correlation ids) and the errors several endpoints share. */

const { guid } = require('../util');

/** @typedef {import('../cloud').SimCloud} SimCloud */
/** @typedef {import('../cloud').RequestContext} RequestContext */

class EntraError extends Error {
	/**
	 * @param {number} status
	 * @param {string} error
	 * @param {number} code AADSTS number
	 * @param {string} text
	 */
	constructor(status, error, code, text) {
		super(text);
		this.status = status;
		this.error = error;
		this.code = code;
	}
}

/**
 * @param {RequestContext} ctx
 * @param {EntraError} e
 */
function sendEntraError(ctx, e) {
	const traceId = guid();
	const correlationId = ctx.headers['client-request-id'] ? String(ctx.headers['client-request-id']) : guid();
	const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
	ctx.send(e.status, {
		error: e.error,
		error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
		error_codes: [e.code],
		timestamp,
		trace_id: traceId,
		correlation_id: correlationId,
		error_uri: `${ctx.cloud.authorityHost}/error?code=${e.code}`,
	});
}

/** @param {string} tenantSegment */
function tenantNotFound(tenantSegment) {
	return new EntraError(
		400,
		'invalid_request',
		90002,
		`Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
	);
}

/**
 * @param {SimCloud} cloud
 * @param {string} clientId
 */
function unknownApp(cloud, clientId) {
	return new EntraError(
		400,
		'unauthorized_client',
		700016,
		`Application with identifier '${clientId}' was not found in the directory '${cloud.tenantDisplayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
	);
}

/** @param {string} name */
function missingParameter(name) {
	return new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
}

module.exports = { EntraError, sendEntraError, tenantNotFound, unknownApp, missingParameter };
