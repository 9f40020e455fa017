// @ts-check
'use strict';

/**
 * Injected faults (`cloud.injectFault(spec)`): which request a fault matches, and the answer it makes —
 * each service's own error shape when the fault names only a status.
 */

const { guid } = require('./util');
const { graphError } = require('./graph/http');
const { mdeError } = require('./mde/routes');

/** @typedef {import('./cloud').RequestContext} RequestContext */
/** @typedef {import('./cloud').FaultSpec} FaultSpec */

/**
 * The first fault with uses left that matches the request (its use counted), or undefined.
 * @param {(Required<Pick<FaultSpec, 'times'>> & FaultSpec)[]} faults
 * @param {string} server @param {string} method @param {string} path @param {string} fullPath path + query
 */
function takeFault(faults, server, method, path, fullPath) {
	const f = faults.find(
		(x) =>
			x.times > 0 &&
			(!x.server || x.server === server) &&
			(!x.method || x.method.toUpperCase() === method) &&
			(!x.path || (x.path instanceof RegExp ? x.path.test(fullPath) : path.startsWith(x.path))),
	);
	if (!f) return undefined;
	f.times--;
	return f;
}

/** @param {RequestContext} ctx @param {FaultSpec} fault */
function sendFault(ctx, fault) {
	const status = fault.status || (fault.retryAfter !== undefined ? 429 : 500);
	/** @type {Record<string, string>} */
	const headers = { ...(fault.headers || {}) };
	if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
	if (fault.body === 'html') {
		return ctx.sendRaw(status, `<!DOCTYPE html><html><head><title>${status} Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The service is temporarily unavailable.</p></body></html>`, { 'content-type': 'text/html', ...headers });
	}
	if (fault.body === 'malformed') {
		return ctx.sendRaw(status, '{"error": {"code": "InternalServerError", "message": "trunc', { 'content-type': 'application/json', ...headers });
	}
	if (typeof fault.body === 'string') return ctx.sendRaw(status, fault.body, { 'content-type': 'text/plain', ...headers });
	if (fault.body && typeof fault.body === 'object') return ctx.send(status, fault.body, headers);
	if (ctx.server === 'graph') {
		const codes = /** @type {Record<number, string>} */ ({ 429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout', 401: 'InvalidAuthenticationToken', 403: 'Forbidden', 404: 'NotFound' });
		return graphError(ctx, status, codes[status] || 'UnknownError', status === 429 ? 'Too many requests.' : `Simulated failure (HTTP ${status}).`, headers);
	}
	if (ctx.server === 'mde') {
		const codes = /** @type {Record<number, string>} */ ({ 429: 'TooManyRequests', 500: 'InternalServerError', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' });
		return mdeError(ctx, status, codes[status] || 'InternalServerError', status === 429 ? 'Too many requests.' : `Simulated failure (HTTP ${status}).`, headers);
	}
	if (ctx.server === 'login') {
		const traceId = guid();
		return ctx.send(status, { error: 'temporarily_unavailable', error_description: `AADSTS50196: The server terminated an operation because it encountered a client request loop.\r\nTrace ID: ${traceId}`, error_codes: [50196], timestamp: new Date().toISOString(), trace_id: traceId, correlation_id: guid() }, headers);
	}
	return ctx.send(status, { statusCode: status, message: `Simulated failure (HTTP ${status}).`, correlationId: ctx.requestId }, headers);
}

module.exports = { takeFault, sendFault };
