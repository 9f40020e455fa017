'use strict';
// What the cases share on the parent's side: statistics and formatting, request counts from the simulated
// cloud's request log, one measurement in its own child process (bench/worker.js), node vs. baseline side
// by side. Cases' worker halves require their case file in the worker too, so nothing heavy loads at the
// top of this module (the simulated cloud only on startCloud()): the workers' footprint stays the node's.

const { fork } = require('node:child_process');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const PAGE_SIZE = 50; // Graph's maximum $top for incidents; the node asks for it
const ALERTS_PAGE_SIZE = 2000; // the alerts_v2 page the node asks for (nodes/…/actions/alert/common.ts)
const MB = 1024 * 1024;

/** The simulated Microsoft cloud (sim/), in this process. */
function startCloud(options) {
	return require(path.join(REPO, 'sim')).startSimulatedCloud(options);
}

function stats(values) {
	const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
	const mid = Math.floor(v.length / 2);
	const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
	return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

const fmtMs = (ms) => (ms === null ? '–' : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtMb = (b) => (b === null ? '–' : `${Math.round(b / MB)} MB`);
const fmtStat = (s, f) => (s.n === 0 ? '–' : s.n === 1 ? f(s.median) : `${f(s.median)} [${f(s.min)}–${f(s.max)}]`);
const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);

function log(message) {
	process.stderr.write(`[bench] ${message}\n`);
}

function isTokenRequest(r) {
	return (r.server === 'login' && r.path.endsWith('/oauth2/v2.0/token')) || (r.server === 'identity' && r.path === '/msi/token');
}

/** Requests since the last clearRequests(): graph (by status), token; throughput of successful graph requests. */
function requestSummary(cloud, rate) {
	const graph = cloud.requests.filter((r) => r.server === 'graph');
	const ok = graph.filter((r) => r.status >= 200 && r.status < 300);
	const summary = {
		graph: graph.length,
		graphOk: ok.length,
		throttled: graph.filter((r) => r.status === 429).length,
		graphFailed: graph.filter((r) => r.status >= 300 && r.status !== 429).length,
		token: cloud.requests.filter(isTokenRequest).length,
	};
	if (rate && ok.length > rate.requests) {
		// The first window's burst is free (the limit starts unused), so the steady rate is measured after it:
		// (successful requests after the first R) / (time from the first to the last successful request).
		// A client that sends each next burst the moment the window allows it scores 100%.
		const times = ok.map((r) => r.time).sort((a, b) => a - b);
		const spanSec = (times[times.length - 1] - times[0]) / 1000;
		const allowed = rate.requests / (rate.windowMs / 1000);
		summary.achievedPerSec = spanSec > 0 ? (ok.length - rate.requests) / spanSec : null;
		summary.allowedPerSec = allowed;
		summary.throughputShare = summary.achievedPerSec === null ? null : summary.achievedPerSec / allowed;
	}
	return summary;
}

/** What a worker needs to reach the simulated cloud (bench/worker.js: `w.sim`). */
function simInfo(cloud) {
	return {
		authorityHost: cloud.authorityHost,
		graphEndpoint: cloud.graphEndpoint,
		mdeEndpoint: cloud.mdeEndpoint,
		tenantId: cloud.tenantId,
		clientId: cloud.apps.secret.clientId,
		clientSecret: cloud.apps.secret.clientSecret,
	};
}

/**
 * One measurement in a fresh bench/worker.js process against `cloud`. `job.worker` names the case file
 * (bench/cases/<worker>.js) whose `worker[job.variant]` is measured; the rest of `job` is that case's own.
 * `onReady` runs when the worker has warmed up, just before its measured run.
 */
function runWorker(cloud, job, onReady) {
	const fullJob = { ...job, sim: simInfo(cloud), caCertPath: cloud.caCertPath };
	return new Promise((resolve) => {
		const child = fork(path.join(__dirname, 'worker.js'), [JSON.stringify(fullJob)], {
			// BENCH_CPU_PROF=<dir>: a V8 CPU profile of every worker (open in Chrome DevTools)
			execArgv: ['--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
			env: { ...process.env, NODE_EXTRA_CA_CERTS: cloud.caCertPath, NODE_OPTIONS: '' },
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		let message;
		child.on('message', (m) => {
			if (m && m.ready) {
				if (onReady) onReady();
				child.send({ go: true });
			} else message = m;
		});
		child.on('exit', (code, signal) => {
			if (message && message.ok) resolve(message.result);
			else resolve({ error: message ? message.error : `worker exited with ${code ?? signal} and no result` });
		});
	});
}

/** node and baseline, alternating who goes first, `reps` times; each run in a fresh child process. */
async function sideBySide(cloud, job, reps, { rate, check, variants = ['node', 'baseline'] } = {}) {
	const runs = Object.fromEntries(variants.map((v) => [v, []]));
	for (let rep = 0; rep < reps; rep++) {
		// who goes first rotates, so a drift in machine load does not favour one variant
		const order = variants.map((_, i) => variants[(i + rep) % variants.length]);
		for (const variant of order) {
			const result = await runWorker(cloud, { ...job, variant }, () => {
				cloud.clearRequests();
				cloud.setRateLimit(rate || null); // a fresh, unused window
			});
			const requests = requestSummary(cloud, rate);
			cloud.setRateLimit(null);
			const run = { ...result, requests };
			if (!run.error && check) {
				const problem = check(run);
				if (problem) run.error = problem;
			}
			runs[variant].push(run);
			log(`  ${job.case} ${variant.padEnd(21)} rep ${rep + 1}/${reps}: ${run.error ? `FAILED ${run.error}` : `${fmtMs(run.wallMs)}, ${run.items} items, ${requests.graph} graph (${requests.throttled} × 429) + ${requests.token} token, peak ${fmtMb(run.peakRss)}`}`);
		}
	}
	return runs;
}

/** A check for sideBySide: the item count, then `expected` graph requests and at most 1 token request. */
function expectItemsAndRequests(items, expected) {
	return (r) =>
		r.items !== items
			? `${r.items} items, expected ${items}`
			: r.requests.graph !== expected || r.requests.token > 1
				? `${r.requests.graph} graph + ${r.requests.token} token requests, expected ${expected} + at most 1`
				: undefined;
}

function summarize(runs) {
	const out = {};
	for (const [variant, list] of Object.entries(runs)) {
		const good = list.filter((r) => !r.error);
		const share = good.map((r) => r.requests.throughputShare).filter((x) => x !== undefined);
		out[variant] = {
			runs: list.length,
			failed: list.length - good.length,
			errors: list.filter((r) => r.error).map((r) => r.error),
			wallMs: stats(good.map((r) => r.wallMs)),
			peakRss: stats(good.map((r) => r.peakRss)),
			extraRss: stats(good.map((r) => r.peakRss - r.rssBefore)),
			retained: stats(good.map((r) => r.retained)),
			graphRequests: stats(good.map((r) => r.requests.graph)),
			tokenRequests: stats(good.map((r) => r.requests.token)),
			throttled: stats(good.map((r) => r.requests.throttled)),
			items: stats(good.map((r) => r.items)),
			...(share.length ? { throughputShare: stats(share) } : {}),
		};
	}
	const n = out.node;
	const b = out.baseline;
	if (n && b && n.wallMs.median && b.wallMs.median) out.timeRatio = n.wallMs.median / b.wallMs.median;
	if (n && b && n.extraRss.median && b.extraRss.median) out.extraRssRatio = n.extraRss.median / b.extraRss.median;
	if (n && b && n.peakRss.median && b.peakRss.median) out.peakRssRatio = n.peakRss.median / b.peakRss.median;
	if (n && b && n.retained.median && b.retained.median) out.retainedRatio = n.retained.median / b.retained.median;
	return out;
}

module.exports = {
	REPO,
	PAGE_SIZE,
	ALERTS_PAGE_SIZE,
	startCloud,
	stats,
	fmtMs,
	fmtMb,
	fmtStat,
	pct,
	log,
	requestSummary,
	runWorker,
	sideBySide,
	expectItemsAndRequests,
	summarize,
};
