'use strict';
// One measurement in its own process (forked by bench/run.js), so its peak RSS is its own: either our
// node through the test harness (n8n-core's real ExecuteContext / PollContext, compiled into bench/.build)
// or the bare-HTTP baseline (fetch). The simulated cloud runs in the parent; this process trusts its CA
// through NODE_EXTRA_CA_CERTS. The job arrives as JSON in argv[2]; the result goes back with process.send.
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

async function fetchToken() {
	const response = await fetch(`${sim.authorityHost}/${sim.tenantId}/oauth2/v2.0/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sim.clientId,
			client_secret: sim.clientSecret,
			scope: `${sim.graphEndpoint}/.default`,
		}),
	});
	if (!response.ok) throw new Error(`token request failed: HTTP ${response.status}`);
	return (await response.json()).access_token;
}

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

const baseline = {
	token: undefined,
	async list(top = 50) {
		const headers = { authorization: `Bearer ${this.token}` };
		const items = [];
		let url = `${sim.graphEndpoint}/v1.0/security/incidents?$top=${top}`;
		while (url) {
			const page = JSON.parse(await send(url, { headers }));
			for (const incident of page.value) items.push(incident);
			url = top === 50 ? page['@odata.nextLink'] : undefined;
		}
		return items;
	},
	async listAlerts(top = 2000) {
		const headers = { authorization: `Bearer ${this.token}` };
		const items = [];
		let url = `${sim.graphEndpoint}/v1.0/security/alerts_v2?$top=${top}`;
		while (url) {
			const page = JSON.parse(await send(url, { headers }));
			for (const alert of page.value) items.push(alert);
			url = top === 2000 ? page['@odata.nextLink'] : undefined;
		}
		return items;
	},
	async hunting(query = job.query) {
		const headers = { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
		const text = await send(`${sim.graphEndpoint}/v1.0/security/runHuntingQuery`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ Query: query }),
		});
		return JSON.parse(text).results;
	},
	async update(ids = job.ids) {
		const headers = { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
		const items = [];
		for (const id of ids) {
			const text = await send(`${sim.graphEndpoint}/v1.0/security/incidents/${id}`, {
				method: 'PATCH',
				headers,
				body: JSON.stringify({ status: job.status }),
			});
			items.push(JSON.parse(text));
		}
		return items;
	},
};

// A second baseline for case 1: node:https with a new connection (TLS handshake) per request, which is
// what n8n-core's request helpers do (a new https.Agent per request; the HTTP Request node too). Separates
// the cost of not reusing connections from the node's own overhead.
function httpsGetNewConnection(url, headers) {
	const https = require('node:https');
	return new Promise((resolve, reject) => {
		const request = https.get(url, { headers, agent: false }, (response) => {
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

const baselineNewConnection = {
	async list(top = 50) {
		const headers = { authorization: `Bearer ${baseline.token}` };
		const items = [];
		let url = `${sim.graphEndpoint}/v1.0/security/incidents?$top=${top}`;
		while (url) {
			const page = JSON.parse(await httpsGetNewConnection(url, headers));
			for (const incident of page.value) items.push(incident);
			url = top === 50 ? page['@odata.nextLink'] : undefined;
		}
		return items;
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
		tenantId: sim.tenantId,
		clientId: sim.clientId,
		authMethod: 'clientSecret',
		clientSecret: sim.clientSecret,
	});
	const credentials = { microsoft365DefenderClientCredentialsApi: ref };
	const run = async (parameters, items) => {
		const out = await executeNode(new Microsoft365Defender(), { store, credentials, parameters, items, mode: 'manual' });
		if (out.error) throw out.error;
		return out.items;
	};
	return { run, store, credentials, createPollRunner, Microsoft365DefenderTrigger };
}

const ours = {
	async list(h, limit) {
		return await h.run({
			authentication: 'clientCredentials',
			resource: 'incident',
			operation: 'getAll',
			...(limit ? { returnAll: false, limit } : { returnAll: true }),
		});
	},
	async listAlerts(h, limit) {
		return await h.run({
			authentication: 'clientCredentials',
			resource: 'alert',
			operation: 'getAll',
			...(limit ? { returnAll: false, limit } : { returnAll: true }),
		});
	},
	async hunting(h, query = job.query) {
		return await h.run({ authentication: 'clientCredentials', resource: 'huntingQuery', operation: 'run', query });
	},
	async update(h, ids = job.ids) {
		return await h.run(
			{
				authentication: 'clientCredentials',
				resource: 'incident',
				operation: 'update',
				incidentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				updateFields: { status: job.status },
			},
			ids.map((id) => ({ json: { id } })),
		);
	},
};

// ------------------------------------------------------------------ trigger: request cost of each poll

async function control(method, what, body) {
	const response = await fetch(`${sim.graphEndpoint}/_sim/${what}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`sim control ${method} ${what}: HTTP ${response.status}`);
	return await response.json();
}

async function triggerPolls(h) {
	const trigger = h.createPollRunner(new h.Microsoft365DefenderTrigger(), {
		store: h.store,
		credentials: h.credentials,
		parameters: { authentication: 'clientCredentials', event: job.entity === 'alert' ? 'alertCreated' : 'incidentCreated' },
	});
	const polls = [];
	const poll = async (label) => {
		await control('DELETE', 'requests');
		const started = performance.now();
		const result = await trigger.poll();
		const wallMs = performance.now() - started;
		if (result.error) throw result.error;
		const counts = await control('GET', 'counts');
		polls.push({ label, wallMs, graph: counts.graph, token: counts.token, items: result.items ? result.items[0].length : 0 });
	};
	await poll('activation');
	await poll('idle');
	await poll('idle');
	if (job.entity === 'alert') return polls; // case 7 measures the idle alert poll only
	await control('POST', 'incidents', { count: job.newIncidents });
	await poll(`after ${job.newIncidents} new`);
	// Still inside the trigger's overlap window (10 minutes), the new incidents are fetched again.
	await poll('idle, burst in window');
	return polls;
}

// ------------------------------------------------------------------ warm-up

// One small operation of the same kind first, in both variants: loads the HTTP stack (undici / n8n-core's
// axios, @azure/identity), opens the connection, gets the token (cached afterwards, in the node by the
// auth module, here in baseline.token) — as in a long-running n8n. The measured run then starts warm.
async function warmUp(h) {
	const warm = {
		list: () => (h ? ours.list(h, 1) : job.variant === 'baselineNewConnection' ? baselineNewConnection.list(1) : baseline.list(1)),
		listAlerts: () => (h ? ours.listAlerts(h, 1) : baseline.listAlerts(1)),
		hunting: () => (h ? ours.hunting(h, 'DeviceProcessEvents | take 1') : baseline.hunting('DeviceProcessEvents | take 1')),
		update: () => (h ? ours.update(h, job.ids.slice(0, 1)) : baseline.update(job.ids.slice(0, 1))),
	};
	if (!h) baseline.token = await fetchToken();
	const items = await warm[job.case]();
	if (items.length !== 1) throw new Error(`warm-up returned ${items.length} items`);
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
	// Both variants load the same modules (n8n-core, the node, the harness), so both processes start the
	// measured run with the same footprint and free heap; only the operation differs.
	const loaded = harness();
	const h = job.variant === 'node' ? loaded : undefined;
	if (job.case !== 'trigger') {
		await warmUp(h);
		// The parent now clears the request log (and sets the rate limit): only the measured run is counted.
		await handshake();
	}
	gc();
	const peakReset = resetPeakRss();
	const before = process.memoryUsage();
	const rssBefore = before.rss;
	const started = performance.now();
	let result;
	let output;
	if (job.case === 'trigger') {
		const polls = await triggerPolls(h);
		result = { polls, items: polls.reduce((n, p) => n + p.items, 0) };
	} else {
		output =
			job.variant === 'node'
				? await ours[job.case](h)
				: job.variant === 'baselineNewConnection'
					? await baselineNewConnection[job.case]()
					: await baseline[job.case]();
		result = { items: output.length };
	}
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
