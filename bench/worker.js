'use strict';
// One measurement in its own process (forked by bench/helpers.js runWorker), so its peak RSS is its own:
// either our node through the test harness (n8n-core's real ExecuteContext / PollContext, compiled into
// bench/.build) or a bare-HTTP baseline (fetch). The simulated cloud runs in the parent; this process
// trusts its CA through NODE_EXTRA_CA_CERTS. The job arrives as JSON in argv[2]; the result goes back with
// process.send. What is measured is the case's own: `worker.variants[job.variant]` of bench/cases/<job.worker>.js,
// called as (w, warm) with the `w` below; warm = the small warm-up operation of the same kind.
//
// result: { wallMs, rssBefore, peakRss, items, error?, polls? }   (bytes; wallMs covers the operation only)

const path = require('node:path');
const { performance } = require('node:perf_hooks');

const BUILD = path.join(__dirname, '.build');
const job = JSON.parse(process.argv[2]);
const { sim } = job;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = () => {
	if (global.gc) {
		global.gc();
		global.gc();
	}
};

// ------------------------------------------------------------------ baseline: a bare fetch client

/** fetch that honours 429 + Retry-After exactly (what a careful hand-written client does); returns the body text. */
async function send(url, init) {
	for (;;) {
		const response = await fetch(url, init);
		if (response.status === 429) {
			await response.arrayBuffer();
			await sleep(Number(response.headers.get('retry-after') || 1) * 1000);
			continue;
		}
		const text = await response.text();
		if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
		return text;
	}
}

// node:https with a new connection (TLS handshake) per request, which is what n8n-core's request helpers do
// (a new https.Agent per request; the HTTP Request node too). Separates the cost of not reusing connections
// from the node's own overhead.
function getNewConnection(url, init) {
	const https = require('node:https');
	return new Promise((resolve, reject) => {
		const request = https.get(url, { headers: init.headers, agent: false }, (response) => {
			const chunks = [];
			response.on('data', (chunk) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
				else resolve(text);
			});
			response.on('error', reject);
		});
		request.on('error', reject);
	});
}

const client = {
	token: undefined,
	send,
	getNewConnection,
	/** An app-only token for `resource` (Graph by default) from the sim's token endpoint. */
	async fetchToken(resource = sim.graphEndpoint) {
		const response = await fetch(`${sim.authorityHost}/${sim.tenantId}/oauth2/v2.0/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sim.clientId,
				client_secret: sim.clientSecret,
				scope: `${resource}/.default`,
			}),
		});
		if (!response.ok) throw new Error(`token request failed: HTTP ${response.status}`);
		return (await response.json()).access_token;
	},
	/** A Graph collection (`/security/incidents`): `$top=top`, following `@odata.nextLink` when `follow`. */
	async list(collection, top, follow, get = send) {
		const headers = { authorization: `Bearer ${this.token}` };
		const items = [];
		let url = `${sim.graphEndpoint}/v1.0${collection}?$top=${top}`;
		while (url) {
			const page = JSON.parse(await get(url, { headers }));
			for (const item of page.value) items.push(item);
			url = follow ? page['@odata.nextLink'] : undefined;
		}
		return items;
	},
	/** A Graph JSON request (POST, PATCH); the response body parsed. */
	async json(method, urlPath, body) {
		const headers = { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
		return JSON.parse(await send(`${sim.graphEndpoint}/v1.0${urlPath}`, { method, headers, body: JSON.stringify(body) }));
	},
};

// ------------------------------------------------------------------ our node, through n8n-core

function harness() {
	const { CredentialStore, executeNode, createPollRunner } = require(path.join(BUILD, 'test/harness'));
	const { Microsoft365Defender } = require(path.join(BUILD, 'nodes/Microsoft365Defender/Microsoft365Defender.node'));
	const { Microsoft365DefenderTrigger } = require(
		path.join(BUILD, 'nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node'),
	);
	const { Microsoft365DefenderClientCredentialsApi } = require(
		path.join(BUILD, 'credentials/Microsoft365DefenderClientCredentialsApi.credentials'),
	);
	const store = new CredentialStore([new Microsoft365DefenderClientCredentialsApi()]);
	const ref = store.add('microsoft365DefenderClientCredentialsApi', {
		cloud: 'custom',
		authorityHost: sim.authorityHost,
		graphEndpoint: sim.graphEndpoint,
		mdeEndpoint: sim.mdeEndpoint,
		tenantId: sim.tenantId,
		clientId: sim.clientId,
		authMethod: 'clientSecret',
		clientSecret: sim.clientSecret,
	});
	const credentials = { microsoft365DefenderClientCredentialsApi: ref };
	/** `nodeOptions`: the node type's constructor options (e.g. a virtual Wait For Completion clock) */
	const run = async (parameters, items, nodeOptions) => {
		const out = await executeNode(new Microsoft365Defender(nodeOptions), { store, credentials, parameters, items, mode: 'manual' });
		if (out.error) throw out.error;
		return out.items;
	};
	/** `<resource>` / Get Many: Return All, or `limit` items. */
	const getAll = (resource, limit) =>
		run({
			authentication: 'clientCredentials',
			resource,
			operation: 'getAll',
			...(limit ? { returnAll: false, limit } : { returnAll: true }),
		});
	return { run, getAll, store, credentials, createPollRunner, Microsoft365DefenderTrigger };
}

/** The simulated cloud's control API (/_sim/…), e.g. the request counts of the parent's request log. */
async function control(method, what, body) {
	const response = await fetch(`${sim.graphEndpoint}/_sim/${what}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`sim control ${method} ${what}: HTTP ${response.status}`);
	return await response.json();
}

function handshake() {
	return new Promise((resolve) => {
		process.once('message', (message) => {
			if (message && message.go) resolve();
		});
		process.send({ ready: true });
	});
}

// ------------------------------------------------------------------ memory

// The process's peak RSS (VmHWM) is a high-water mark since start, which loading n8n-core already sets high.
// Linux resets it on `echo 5 > /proc/self/clear_refs`, so the peak can be taken over the operation alone.
function resetPeakRss() {
	try {
		require('node:fs').writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

function readPeakRss() {
	try {
		const kb = /VmHWM:\s+(\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'));
		return kb ? Number(kb[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

// ------------------------------------------------------------------

async function main() {
	const { worker } = require(path.join(__dirname, 'cases', job.worker));
	const operation = worker.variants[job.variant];
	if (!operation) throw new Error(`case ${job.worker} has no variant ${job.variant}`);
	// Both variants load the same modules (n8n-core, the node, the harness), so both processes start the
	// measured run with the same footprint and free heap; only the operation differs.
	const loaded = harness();
	const w = { job, sim, node: job.variant === 'node' ? loaded : undefined, client, control };
	if (worker.warmUp !== false) {
		// One small operation of the same kind first, in both variants: loads the HTTP stack (undici /
		// n8n-core's axios, @azure/identity), opens the connection, gets the token (cached afterwards, in the
		// node by the auth module, in the baseline by client.token) — as in a long-running n8n.
		if (!w.node) client.token = await client.fetchToken();
		const items = await operation(w, true);
		if (items.length !== 1) throw new Error(`warm-up returned ${items.length} items`);
		// The parent now clears the request log (and sets the rate limit): only the measured run is counted.
		await handshake();
	}
	gc();
	const peakReset = resetPeakRss();
	const before = process.memoryUsage();
	const rssBefore = before.rss;
	const started = performance.now();
	// an array of output items, or a result of the case's own ({ items: <count>, … })
	const output = await operation(w, false);
	const result = Array.isArray(output) ? { items: output.length } : output;
	const wallMs = performance.now() - started;
	const processPeakRss = process.resourceUsage().maxRSS * 1024;
	const peakRss = (peakReset && readPeakRss()) || processPeakRss;
	// What the output keeps alive afterwards (JS heap + buffers), measured after a full GC.
	gc();
	const after = process.memoryUsage();
	const retained = after.heapUsed + after.external - (before.heapUsed + before.external);
	if (output && output.length < 0) throw new Error('unreachable: keeps the output alive until here');
	return { ...result, wallMs, rssBefore, peakRss, processPeakRss, peakReset, retained };
}

main().then(
	(result) => process.send({ ok: true, result }, () => process.exit(0)),
	(error) =>
		process.send({ ok: false, error: `${error && error.name}: ${error && error.message}` }, () => process.exit(1)),
);
