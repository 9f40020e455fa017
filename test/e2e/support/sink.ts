// A local HTTP server standing in for a ticketing system: records every JSON body POSTed to it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sink {
	url: string;
	received: Record<string, unknown>[];
	stop(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
	const received: Record<string, unknown>[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			try {
				received.push(JSON.parse(body));
				res.writeHead(201, { 'content-type': 'application/json' }).end('{"ticket":"created"}');
			} catch {
				res.writeHead(400).end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/tickets`,
		received,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Waits until `condition()` holds, checking every 200 ms; throws `what` after timeoutMs. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
