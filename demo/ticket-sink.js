'use strict';
// The demo's "ticketing system": a tiny HTTP server on 127.0.0.1 that takes POST /tickets (JSON), prints
// each ticket on one line and keeps them in memory (GET /tickets lists them). The example workflow
// "New high-severity incident → create ticket" posts here; the queue-mode e2e uses it as its sink too.
//
//   const sink = await startTicketSink({ port: 5690, print: true });  sink.url, sink.tickets, await sink.stop()
//   node demo/ticket-sink.js [--port N]                                  (standalone)

const http = require('node:http');

/**
 * @param {{ port?: number, host?: string, print?: boolean | ((line: string) => void) }} [options]
 * @returns {Promise<{ url: string, port: number, tickets: object[], stop: () => Promise<void> }>}
 */
function startTicketSink({ port = 0, host = '127.0.0.1', print = false } = {}) {
	const tickets = [];
	const out = typeof print === 'function' ? print : print ? (line) => process.stdout.write(`${line}\n`) : () => {};
	const server = http.createServer((req, res) => {
		const send = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const path = (req.url || '/').split('?')[0];
		if (req.method === 'GET' && path === '/tickets') return send(200, tickets);
		if (req.method === 'DELETE' && path === '/tickets') {
			tickets.length = 0;
			return send(200, { deleted: true });
		}
		if (req.method !== 'POST' || path !== '/tickets') return send(404, { error: 'POST /tickets or GET /tickets' });
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			let ticket;
			try {
				ticket = JSON.parse(body || '{}');
			} catch {
				return send(400, { error: 'the body must be JSON' });
			}
			const number = tickets.length + 1;
			const stored = { number, receivedAt: new Date().toISOString(), ...ticket };
			tickets.push(stored);
			const what = [ticket.severity && `[${ticket.severity}]`, ticket.incidentId && `incident ${ticket.incidentId}`, ticket.title]
				.filter(Boolean)
				.join(' ');
			// a chat message (the templates' "Post to chat", the approval form's link): its whole text
			out(`[ticket-sink] ticket #${number}: ${what || (typeof ticket.text === 'string' ? ticket.text : body.slice(0, 200))}`);
			send(201, { number });
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			const actual = server.address().port;
			resolve({
				url: `http://${host}:${actual}/tickets`,
				port: actual,
				tickets,
				stop: () =>
					new Promise((done) => {
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}

module.exports = { startTicketSink };

if (require.main === module) {
	const i = process.argv.indexOf('--port');
	const port = i > 0 ? Number(process.argv[i + 1]) : 5690;
	startTicketSink({ port, print: true }).then((sink) => {
		process.stdout.write(`[ticket-sink] listening on ${sink.url}\n`);
		const stop = () => sink.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}
