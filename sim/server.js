// @ts-check
'use strict';

/**
 * The HTTP(S) core every simulated service runs on: one server per service on 127.0.0.1 (HTTPS with the sim's
 * CA, plain HTTP for the managed-identity endpoint), the request context, the request log, latency, injected
 * faults, the control API (`/_sim` on the Graph and MDE origins), then the service's own routes.
 */

const http = require('http');
const https = require('https');
const { guid, readBody, sleep } = require('./util');
const { takeFault, sendFault } = require('./faults');
const { handleControl } = require('./control');
const { handleLogin } = require('./entra/routes');
const { handleIdentity } = require('./identity/routes');
const { handleGraph } = require('./graph/routes');
const { handleMde } = require('./mde/routes');

/** @typedef {import('./cloud').SimCloud} SimCloud */
/** @typedef {import('./cloud').RequestContext} RequestContext */
/** @typedef {import('./cloud').LoggedRequest} LoggedRequest */
/** @typedef {'login' | 'graph' | 'identity' | 'mde'} ServerKind */

/** @type {Record<ServerKind, (cloud: SimCloud, ctx: RequestContext) => any>} */
const ROUTES = { login: handleLogin, graph: handleGraph, identity: handleIdentity, mde: handleMde };
/** The request log keeps the newest entries only (long demo runs). */
const MAX_LOGGED_REQUESTS = 50000;

/**
 * Starts the server of one service; returns its port.
 * @param {SimCloud} cloud @param {ServerKind} kind @param {number} port 0: any free port
 */
async function listen(cloud, kind, port) {
	/** @type {http.RequestListener} */
	const listener = (req, res) => {
		handle(cloud, kind, req, res).catch((e) => {
			if (!res.headersSent) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'InternalServerError', message: `Simulator error: ${e && e.message}` } }));
			}
		});
	};
	const certs = cloud._certs;
	const server = kind === 'identity' ? http.createServer(listener) : https.createServer({ key: certs.server.keyPem, cert: certs.server.certPem + certs.ca.certPem }, listener);
	server.keepAliveTimeout = 5000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(undefined));
	});
	cloud._servers[kind] = server;
	return /** @type {import('net').AddressInfo} */ (server.address()).port;
}

/** @param {SimCloud} cloud @param {ServerKind} kind @param {http.IncomingMessage} req @param {http.ServerResponse} res */
async function handle(cloud, kind, req, res) {
	const body = await readBody(req);
	const url = new URL(req.url || '/', 'http://x');
	const requestId = guid();
	/** @type {RequestContext} */
	const ctx = {
		cloud,
		server: kind,
		req,
		res,
		method: String(req.method),
		path: url.pathname,
		query: url.searchParams,
		headers: req.headers,
		body,
		requestId,
		send: (status, obj, headers) => {
			const text = JSON.stringify(obj);
			ctx.sendRaw(status, text, { 'content-type': 'application/json; charset=utf-8', ...(headers || {}) });
		},
		sendRaw: (status, text, headers) => {
			if (ctx.entry) ctx.entry.status = status;
			if (res.headersSent || res.destroyed) return;
			res.writeHead(status, {
				'request-id': requestId,
				'client-request-id': String(req.headers['client-request-id'] || requestId),
				'x-ms-request-id': requestId,
				'cache-control': 'no-store, no-cache',
				...(headers || {}),
			});
			res.end(text);
		},
	};
	if ((kind === 'graph' || kind === 'mde') && (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/'))) {
		return handleControl(cloud, ctx);
	}
	/** @type {LoggedRequest} */
	const entry = {
		server: kind,
		method: ctx.method,
		path: ctx.path,
		query: Object.fromEntries(url.searchParams),
		headers: { ...req.headers },
		body,
		status: 0,
		time: Date.now(),
	};
	ctx.entry = entry;
	cloud.requests.push(entry);
	if (cloud.requests.length > MAX_LOGGED_REQUESTS) cloud.requests.splice(0, cloud.requests.length - MAX_LOGGED_REQUESTS);
	if (cloud.options.latencyMs > 0) await sleep(cloud.options.latencyMs);

	const fault = takeFault(cloud._faults, kind, ctx.method, ctx.path, url.pathname + url.search);
	if (fault) {
		if (fault.delayMs) await sleep(fault.delayMs);
		if (fault.hang) {
			entry.status = -1;
			return; // never answered; the socket is destroyed by stop() or by the client's timeout
		}
		if (fault.trickleMs) {
			// 200 at once, then one body byte every trickleMs, never complete: only an overall deadline ends it
			entry.status = 200;
			ctx.res.writeHead(200, { 'content-type': 'application/json' });
			ctx.res.write('{"value":[');
			const timer = setInterval(() => ctx.res.write(' '), fault.trickleMs);
			ctx.res.on('close', () => clearInterval(timer));
			return;
		}
		if (fault.status || fault.body !== undefined || fault.retryAfter !== undefined) return sendFault(ctx, fault);
	}
	return ROUTES[kind](cloud, ctx);
}

/** Closes every server and its open connections. @param {SimCloud} cloud */
async function closeServers(cloud) {
	await Promise.all(
		Object.values(cloud._servers).map(
			(s) =>
				new Promise((resolve) => {
					s.close(() => resolve(undefined));
					s.closeAllConnections();
				}),
		),
	);
	cloud._servers = {};
}

module.exports = { listen, closeServers };
