// @ts-check
'use strict';

/**
 * Test tools beside the simulated cloud, each a plain HTTP server on 127.0.0.1:
 *   startCaptureServer()    records every request (headers included) and answers 200 {} — the "other origin"
 *                           a redirect points at, to see whether a token or secret arrived there;
 *   startConnectProxy()     an HTTP CONNECT proxy (what HTTPS_PROXY points at) that logs every tunnel's target.
 * Hanging and trickling answers are sim faults (`injectFault({ hang: true })`, `{ trickleMs }`), so they
 * come from the real sim hosts with valid tokens.
 * All: `{ url, port, requests | tunnels, stop() }`; stop() destroys open sockets, so nothing keeps jest alive.
 */

const http = require('http');
const net = require('net');

/**
 * @param {http.Server} server
 * @returns {Promise<{ port: number, url: string, stop: () => Promise<void> }>}
 */
async function listen(server) {
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const port = /** @type {import('net').AddressInfo} */ (server.address()).port;
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		stop: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, body: string }} CapturedRequest */

async function startCaptureServer() {
	/** @type {CapturedRequest[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			requests.push({ method: req.method || '', url: req.url || '', headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"value":[]}');
		});
	});
	return { ...(await listen(server)), requests };
}

/**
 * An HTTP CONNECT proxy: tunnels to any 127.0.0.1 target and records `host:port` of each tunnel. Plain
 * (non-CONNECT) proxy requests are recorded and refused with 502, so a client that does not tunnel shows.
 */
async function startConnectProxy() {
	/** @type {string[]} */
	const tunnels = [];
	/** @type {string[]} */
	const plainRequests = [];
	const server = http.createServer((req, res) => {
		plainRequests.push(`${req.method} ${req.url}`);
		res.writeHead(502);
		res.end();
	});
	server.on('connect', (req, clientSocket, head) => {
		const target = req.url || '';
		tunnels.push(target);
		const [host, port] = target.split(':');
		if (host !== '127.0.0.1' && host !== 'localhost') {
			clientSocket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		const upstream = net.connect(Number(port), '127.0.0.1', () => {
			clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head && head.length) upstream.write(head);
			upstream.pipe(clientSocket);
			clientSocket.pipe(upstream);
		});
		upstream.on('error', () => clientSocket.destroy());
		clientSocket.on('error', () => upstream.destroy());
		clientSocket.on('close', () => upstream.destroy());
	});
	return { ...(await listen(server)), tunnels, plainRequests };
}

module.exports = { startCaptureServer, startConnectProxy };
