'use strict';
// npm run bench [-- options]: our node vs. a bare HTTP client against the simulated Microsoft cloud (sim/),
// side by side in the same run. See bench/README.md for the cases, the options and the figures.
//
// How: compiles nodes/, credentials/ and the test harness into bench/.build (tsc, incremental); starts the
// simulated cloud in this process; runs every measurement (node or baseline, one repetition) in its own
// child process (bench/worker.js) so each peak RSS is that process's own; counts requests from the sim's
// request log; case 6 drives a real n8n (bench/n8n.js). Prints a table, writes bench/results.json.

const { fork, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const { startSimulatedCloud } = require(path.join(REPO, 'sim'));

// ------------------------------------------------------------------ options

const HELP = `npm run bench -- [options]
  --quick               smoke test: fewer items and repetitions (same cases)
  --cases 1,2,3,4,5,6,7 which cases (default all)
  --latency MS          per-request latency of the simulated cloud (default 0)
  --reps N              repetitions of the unthrottled cases 1 and 3 (default 5; quick 2)
  --rate-reps N         repetitions of the rate-limited cases 2 and 4 (default 1: they take n/rate seconds)
  --n8n-reps N          repetitions of case 6 (default 3; quick 1)
  --incidents N         incidents listed in cases 1 and 6 (default 10000; quick 1000)
  --throttled-incidents N  incidents listed in case 2 (default 10000; quick 1500)
  --rate R/MS           rate limit of cases 2 and 4: R requests per MS ms (default 10/2000)
  --update-rate R/MS    rate limit of case 4 only (default: --rate)
  --updates N           incidents updated in case 4 (default 1000; quick 100)
  --hunting-rows N      rows of the hunting query in case 3 (default 100000; quick 10000)
  --alerts N            alerts listed in case 7 (default 10000; quick 1000)
  --no-n8n-install      case 6: do not install n8n into the cache when it is missing (skip instead)
  --out FILE            results file (default bench/results.json)`;

function parseArgs(argv) {
	const opts = { cases: [1, 2, 3, 4, 5, 6, 7], latency: 0, quick: false, n8nInstall: true, out: path.join(__dirname, 'results.json') };
	const given = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		const number = () => {
			const v = Number(value());
			if (!Number.isFinite(v) || v < 0) throw new Error(`${arg} needs a non-negative number`);
			return v;
		};
		const rate = () => {
			const m = /^(\d+)\/(\d+)$/.exec(value());
			if (!m) throw new Error(`${arg} needs REQUESTS/MS, e.g. 10/2000`);
			return { requests: Number(m[1]), windowMs: Number(m[2]) };
		};
		switch (arg) {
			case '--quick': opts.quick = true; break;
			case '--cases': opts.cases = value().split(',').map(Number); break;
			case '--latency': opts.latency = number(); break;
			case '--reps': given.reps = number(); break;
			case '--rate-reps': given.rateReps = number(); break;
			case '--n8n-reps': given.n8nReps = number(); break;
			case '--incidents': given.incidents = number(); break;
			case '--throttled-incidents': given.throttledIncidents = number(); break;
			case '--rate': given.rate = rate(); break;
			case '--update-rate': given.updateRate = rate(); break;
			case '--updates': given.updates = number(); break;
			case '--hunting-rows': given.huntingRows = number(); break;
			case '--alerts': given.alerts = number(); break;
			case '--no-n8n-install': opts.n8nInstall = false; break;
			case '--out': opts.out = path.resolve(value()); break;
			case '--help': case '-h': console.log(HELP); process.exit(0); break;
			default: throw new Error(`unknown option ${arg}\n${HELP}`);
		}
	}
	if (process.env.BENCH_QUICK === '1') opts.quick = true;
	const q = opts.quick;
	const defaults = {
		reps: q ? 2 : 5,
		rateReps: 1,
		n8nReps: q ? 1 : 3,
		incidents: q ? 1000 : 10000,
		throttledIncidents: q ? 1500 : 10000,
		rate: { requests: 10, windowMs: 2000 },
		updates: q ? 100 : 1000,
		huntingRows: q ? 10000 : 100000,
		alerts: q ? 1000 : 10000,
	};
	Object.assign(opts, defaults, given);
	opts.updateRate = given.updateRate || opts.rate;
	return opts;
}

// ------------------------------------------------------------------ helpers

const PAGE_SIZE = 50; // Graph's maximum $top for incidents; the node asks for it
const ALERTS_PAGE_SIZE = 2000; // the alerts_v2 page the node asks for (nodes/…/actions/alert/common.ts)

function stats(values) {
	const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
	const mid = Math.floor(v.length / 2);
	const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
	return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

const MB = 1024 * 1024;
const fmtMs = (ms) => (ms === null ? '–' : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtMb = (b) => (b === null ? '–' : `${Math.round(b / MB)} MB`);
const fmtStat = (s, f) => (s.n === 0 ? '–' : s.n === 1 ? f(s.median) : `${f(s.median)} [${f(s.min)}–${f(s.max)}]`);
const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);

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

/** Runs bench/worker.js; `onReady` runs when the worker has warmed up, just before its measured run. */
function runWorker(job, onReady) {
	return new Promise((resolve) => {
		const child = fork(path.join(__dirname, 'worker.js'), [JSON.stringify(job)], {
			// BENCH_CPU_PROF=<dir>: a V8 CPU profile of every worker (open in Chrome DevTools)
			execArgv: ['--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
			env: { ...process.env, NODE_EXTRA_CA_CERTS: job.caCertPath, NODE_OPTIONS: '' },
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

function simInfo(cloud) {
	return {
		authorityHost: cloud.authorityHost,
		graphEndpoint: cloud.graphEndpoint,
		tenantId: cloud.tenantId,
		clientId: cloud.apps.secret.clientId,
		clientSecret: cloud.apps.secret.clientSecret,
	};
}

function log(message) {
	process.stderr.write(`[bench] ${message}\n`);
}

/** node and baseline, alternating who goes first, `reps` times; each run in a fresh child process. */
async function sideBySide(cloud, job, reps, { rate, check, variants = ['node', 'baseline'] } = {}) {
	const runs = Object.fromEntries(variants.map((v) => [v, []]));
	for (let rep = 0; rep < reps; rep++) {
		// who goes first rotates, so a drift in machine load does not favour one variant
		const order = variants.map((_, i) => variants[(i + rep) % variants.length]);
		for (const variant of order) {
			const result = await runWorker({ ...job, variant, sim: simInfo(cloud), caCertPath: cloud.caCertPath }, () => {
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

// ------------------------------------------------------------------ cases

async function case1(opts, cloud) {
	const expected = Math.ceil(opts.incidents / PAGE_SIZE);
	const runs = await sideBySide(cloud, { case: 'list' }, opts.reps, {
		variants: ['node', 'baseline', 'baselineNewConnection'],
		check: (r) =>
			r.items !== opts.incidents
				? `${r.items} items, expected ${opts.incidents}`
				: r.requests.graph !== expected || r.requests.token > 1
					? `${r.requests.graph} graph + ${r.requests.token} token requests, expected ${expected} + at most 1`
					: undefined,
	});
	const s = summarize(runs);
	const fresh = s.baselineNewConnection;
	return {
		id: 1,
		title: `List ${opts.incidents} incidents (Return All)`,
		expectedGraphRequests: expected,
		variants: { node: 1, baseline: 1, baselineNewConnection: 1 },
		variantLabels: { baselineNewConnection: 'https, new conn.' },
		...s,
		timeRatioVsNewConnection: fresh?.wallMs.median ? s.node.wallMs.median / fresh.wallMs.median : undefined,
		notes: [
			'baseline = fetch (undici, one kept-alive connection); "https, new conn." = node:https with a new TLS connection per request, as n8n-core does for every node',
		],
		targets: {
			[`graph requests = ${expected}, token ≤ 1`]:
				s.node.failed === 0 && s.node.graphRequests.max === expected && s.node.tokenRequests.max <= 1,
		},
	};
}

async function case2(opts, cloud) {
	const n = opts.throttledIncidents;
	const expected = Math.ceil(n / PAGE_SIZE);
	// Lists the newest n incidents (of the seeded ones) with a $filter-free Return All: a sim with exactly n.
	const runs = await sideBySide(cloud, { case: 'list' }, opts.rateReps, {
		rate: opts.rate,
		check: (r) => (r.items !== n ? `${r.items} items, expected ${n}` : undefined),
	});
	const s = summarize(runs);
	return {
		id: 2,
		title: `List ${n} incidents under ${opts.rate.requests} requests / ${opts.rate.windowMs} ms`,
		rateLimit: opts.rate,
		expectedGraphRequests: expected,
		...s,
		targets: {
			'throughput ≥ 90% of allowed': (s.node.throughputShare?.median ?? 0) >= 0.9,
			'0 failed executions': s.node.failed === 0,
		},
	};
}

async function case3(opts, cloud) {
	cloud.setHuntingRows('DeviceProcessEvents', opts.huntingRows);
	const query = `DeviceProcessEvents | take ${opts.huntingRows}`;
	const runs = await sideBySide(cloud, { case: 'hunting', query }, opts.reps, {
		check: (r) => (r.items !== opts.huntingRows ? `${r.items} rows, expected ${opts.huntingRows}` : undefined),
	});
	const s = summarize(runs);
	return {
		id: 3,
		title: `Run Hunting Query, ${opts.huntingRows} rows`,
		query,
		...s,
		targets: { 'time ≤ 1.5×': s.timeRatio <= 1.5, 'extra memory ≤ 1.5×': s.extraRssRatio <= 1.5 },
	};
}

async function case4(opts, cloud) {
	const ids = cloud.incidents.slice(0, opts.updates).map((i) => i.id);
	const runs = await sideBySide(cloud, { case: 'update', ids, status: 'inProgress' }, opts.rateReps, {
		rate: opts.updateRate,
		check: (r) =>
			r.items !== ids.length
				? `${r.items} items, expected ${ids.length}`
				: r.requests.graphOk !== ids.length
					? `${r.requests.graphOk} successful PATCHes, expected ${ids.length}`
					: undefined,
	});
	const s = summarize(runs);
	return {
		id: 4,
		title: `Update ${ids.length} incidents (${ids.length} items) under ${opts.updateRate.requests} requests / ${opts.updateRate.windowMs} ms`,
		rateLimit: opts.updateRate,
		...s,
		targets: {
			'all succeed': s.node.failed === 0,
			'throughput ≥ 90% of allowed': (s.node.throughputShare?.median ?? 0) >= 0.9,
		},
	};
}

async function case5(opts) {
	const newIncidents = 1000;
	const expectedAfter = Math.ceil(newIncidents / PAGE_SIZE);
	const reps = [];
	for (let rep = 0; rep < Math.max(1, Math.min(opts.reps, 3)); rep++) {
		// its own sim: the case adds incidents
		const cloud = await startSimulatedCloud({ pageSize: PAGE_SIZE, incidents: 20, latencyMs: opts.latency });
		try {
			const result = await runWorker({
				case: 'trigger',
				variant: 'node',
				newIncidents,
				sim: simInfo(cloud),
				caCertPath: cloud.caCertPath,
			});
			reps.push(result);
			log(`  trigger rep ${rep + 1}: ${result.error ? `FAILED ${result.error}` : result.polls.map((p) => `${p.label}: ${p.graph} graph + ${p.token} token, ${p.items} items, ${fmtMs(p.wallMs)}`).join('; ')}`);
		} finally {
			await cloud.stop();
		}
	}
	const good = reps.filter((r) => !r.error);
	const polls = good.length ? good[0].polls.map((p, i) => ({
		label: p.label,
		graph: stats(good.map((r) => r.polls[i].graph)),
		token: stats(good.map((r) => r.polls[i].token)),
		items: stats(good.map((r) => r.polls[i].items)),
		wallMs: stats(good.map((r) => r.polls[i].wallMs)),
	})) : [];
	const idle = good.flatMap((r) => r.polls.filter((p) => p.label === 'idle'));
	const idleAfterBurst = good.flatMap((r) => r.polls.filter((p) => p.label.startsWith('idle, burst')));
	const after = good.flatMap((r) => r.polls.filter((p) => p.label.startsWith('after')));
	return {
		id: 5,
		title: `Trigger: idle poll, poll after ${newIncidents} new incidents`,
		runs: reps.length,
		failed: reps.length - good.length,
		errors: reps.filter((r) => r.error).map((r) => r.error),
		polls,
		targets: {
			'idle poll = 1 graph + 0 token': good.length > 0 && idle.every((p) => p.graph === 1 && p.token === 0),
			[`poll after ${newIncidents} new = ${expectedAfter} graph`]:
				good.length > 0 && after.every((p) => p.graph === expectedAfter && p.items === newIncidents),
		},
		notes: idleAfterBurst.length
			? [
					`not an issue target, a finding: an idle poll while the ${newIncidents} new incidents are still inside the trigger's overlap window (10 minutes by default) fetches them again: ${stats(idleAfterBurst.map((p) => p.graph)).median} graph requests per poll instead of 1`,
				]
			: [],
	};
}

async function case7(opts) {
	const expected = Math.ceil(opts.alerts / ALERTS_PAGE_SIZE);
	// its own sim: exactly opts.alerts alerts (each in an incident of its own), Graph's alerts page size
	const cloud = await startSimulatedCloud({ incidents: 0, alertPageSize: ALERTS_PAGE_SIZE, latencyMs: opts.latency });
	try {
		// an hour old and older: outside the trigger's overlap window, so its polls below are idle ones
		const start = Date.now() - 3_600_000;
		for (let i = 0; i < opts.alerts; i++) cloud.createAlert({ createdDateTime: new Date(start - i * 1000).toISOString() });
		const runs = await sideBySide(cloud, { case: 'listAlerts' }, opts.reps, {
			check: (r) =>
				r.items !== opts.alerts
					? `${r.items} items, expected ${opts.alerts}`
					: r.requests.graph !== expected || r.requests.token > 1
						? `${r.requests.graph} graph + ${r.requests.token} token requests, expected ${expected} + at most 1`
						: undefined,
		});
		const trigger = await runWorker({ case: 'trigger', variant: 'node', entity: 'alert', newIncidents: 0, sim: simInfo(cloud), caCertPath: cloud.caCertPath });
		log(`  alert trigger: ${trigger.error ? `FAILED ${trigger.error}` : trigger.polls.map((p) => `${p.label}: ${p.graph} graph + ${p.token} token`).join('; ')}`);
		const idle = trigger.error ? [] : trigger.polls.filter((p) => p.label === 'idle');
		const s = summarize(runs);
		return {
			id: 7,
			title: `List ${opts.alerts} alerts (Return All); idle alert poll`,
			expectedGraphRequests: expected,
			variants: { node: 1, baseline: 1 },
			...s,
			alertTriggerPolls: trigger.polls,
			notes: [`pages of ${ALERTS_PAGE_SIZE} alerts ($top=${ALERTS_PAGE_SIZE}), the baseline asks the same`],
			targets: {
				[`graph requests = ${expected}, token ≤ 1`]:
					s.node.failed === 0 && s.node.graphRequests.max === expected && s.node.tokenRequests.max <= 1,
				'idle alert poll = 1 graph + 0 token': idle.length > 0 && idle.every((p) => p.graph === 1 && p.token === 0),
			},
		};
	} finally {
		await cloud.stop();
	}
}

// ------------------------------------------------------------------ report

function machine() {
	const cpus = os.cpus();
	let n8nNode;
	return {
		cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
		cores: cpus.length,
		memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
		n8nNode,
	};
}

function printTable(results) {
	const rows = [['case', 'variant', 'wall time med [min–max]', 'ratio', 'graph req', 'token', '429s', 'peak RSS', 'extra RSS', 'retained', 'throughput', 'failed']];
	for (const c of results.cases) {
		if (c.id === 5) {
			for (const p of c.polls) {
				rows.push([`5 trigger`, p.label, fmtStat(p.wallMs, fmtMs), '', fmtStat(p.graph, String), fmtStat(p.token, String), '', '', '', '', '', String(c.failed)]);
			}
			continue;
		}
		if (c.skipped) {
			rows.push([`${c.id}`, 'skipped', c.skipped, '', '', '', '', '', '', '', '', '']);
			continue;
		}
		for (const variant of Object.keys(c.variants || { node: 1, baseline: 1 })) {
			const s = c[variant];
			if (!s) continue;
			rows.push([
				`${c.id}`,
				c.variantLabels?.[variant] ?? variant,
				fmtStat(s.wallMs, fmtMs),
				variant === 'node' && c.timeRatio ? `${c.timeRatio.toFixed(2)}×` : '',
				fmtStat(s.graphRequests, String),
				s.tokenRequests ? fmtStat(s.tokenRequests, String) : '',
				s.throttled ? fmtStat(s.throttled, String) : '',
				s.peakRss ? fmtStat(s.peakRss, fmtMb) : '',
				s.extraRss ? fmtStat(s.extraRss, fmtMb) : '',
				s.retained ? fmtMb(s.retained.median) : '',
				s.throughputShare ? pct(s.throughputShare.median) : '',
				`${s.failed}/${s.runs}`,
			]);
		}
	}
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
	const line = (r) => r.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
	console.log('');
	console.log(line(rows[0]));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const r of rows.slice(1)) console.log(line(r));
	console.log('');
	for (const c of results.cases) {
		console.log(`${c.id}. ${c.title}${c.skipped ? ` — skipped: ${c.skipped}` : ''}`);
		for (const [target, ok] of Object.entries(c.targets || {})) console.log(`   ${ok ? 'PASS' : 'MISS'}  ${target}`);
		if (c.timeRatioVsNewConnection) console.log(`   time ratio node / https with a new connection per request ${c.timeRatioVsNewConnection.toFixed(2)}×`);
		if (c.timeRatio) console.log(`   time ratio node/baseline ${c.timeRatio.toFixed(2)}×${c.extraRssRatio ? `, extra memory ratio ${c.extraRssRatio.toFixed(2)}×, peak RSS ratio ${c.peakRssRatio.toFixed(2)}×, retained ratio ${c.retainedRatio?.toFixed(2)}×` : ''}`);
		for (const v of ['node', 'baseline']) for (const e of c[v]?.errors ?? []) console.log(`   ${v} error: ${e}`);
		for (const e of c.errors ?? []) console.log(`   error: ${e}`);
		for (const note of c.notes ?? []) console.log(`   note: ${note}`);
	}
}

// ------------------------------------------------------------------ main

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = Date.now();
	log(`compiling nodes, credentials and the test harness into bench/.build`);
	try {
		execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, 'tsconfig.json')], {
			cwd: REPO,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	} catch (error) {
		// tsc still emits on type errors; only a missing output is fatal.
		if (!fs.existsSync(path.join(__dirname, '.build', 'test', 'harness', 'index.js'))) throw error;
		log(`tsc reported type errors (emitted anyway):\n${String(error.stdout).slice(0, 2000)}`);
	}

	const results = {
		date: new Date().toISOString(),
		machine: machine(),
		options: { ...opts, out: undefined },
		cases: [],
	};
	const simCases = opts.cases.filter((c) => c >= 1 && c <= 4);
	if (simCases.length) {
		const incidents = Math.max(opts.incidents, opts.updates);
		log(`simulated cloud: ${incidents} incidents, page size ${PAGE_SIZE}, latency ${opts.latency} ms`);
		const cloud = await startSimulatedCloud({ pageSize: PAGE_SIZE, incidents, latencyMs: opts.latency });
		try {
			if (opts.cases.includes(1)) {
				log(`case 1: list ${opts.incidents} incidents, ${opts.reps} reps`);
				results.cases.push(await case1(opts, cloud));
			}
			if (opts.cases.includes(3)) {
				log(`case 3: hunting query, ${opts.huntingRows} rows, ${opts.reps} reps`);
				results.cases.push(await case3(opts, cloud));
			}
			if (opts.cases.includes(4)) {
				log(`case 4: update ${opts.updates} incidents under ${opts.updateRate.requests}/${opts.updateRate.windowMs} ms, ${opts.rateReps} reps`);
				results.cases.push(await case4(opts, cloud));
			}
		} finally {
			await cloud.stop();
		}
		if (opts.cases.includes(2)) {
			log(`case 2: list ${opts.throttledIncidents} incidents under ${opts.rate.requests}/${opts.rate.windowMs} ms, ${opts.rateReps} reps`);
			const small = await startSimulatedCloud({ pageSize: PAGE_SIZE, incidents: opts.throttledIncidents, latencyMs: opts.latency });
			try {
				results.cases.push(await case2(opts, small));
			} finally {
				await small.stop();
			}
		}
	}
	if (opts.cases.includes(5)) {
		log('case 5: trigger');
		results.cases.push(await case5(opts));
	}
	if (opts.cases.includes(6)) {
		log(`case 6: real n8n, list ${opts.incidents} incidents, ${opts.n8nReps} reps`);
		const { case6 } = require('./n8n');
		results.cases.push(await case6(opts, { log, stats, summarize, requestSummary, PAGE_SIZE }));
	}
	if (opts.cases.includes(7)) {
		log(`case 7: list ${opts.alerts} alerts, ${opts.reps} reps; idle alert poll`);
		results.cases.push(await case7(opts));
	}
	results.cases.sort((a, b) => a.id - b.id);
	results.durationSec = Math.round((Date.now() - started) / 1000);

	printTable(results);
	fs.writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
	console.log(`\nresults: ${path.relative(process.cwd(), opts.out)} (${results.durationSec} s)`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
