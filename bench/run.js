'use strict';
// npm run bench [-- options]: our node vs. a bare HTTP client against the simulated Microsoft cloud (sim/),
// side by side in the same run. See bench/README.md for the cases, the options and the figures.
//
// How: compiles nodes/, credentials/ and the test harness into bench/.build (tsc, incremental); runs the
// cases of bench/cases/ (one file each, registered in bench/cases/index.js) with the simulated cloud in
// this process; every measurement (node or baseline, one repetition) runs in its own child process
// (bench/worker.js) so each peak RSS is that process's own; requests are counted from the sim's request
// log (bench/helpers.js); case 6 drives a real n8n. Prints a table, writes bench/results.json.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CASES = require('./cases');
const { PAGE_SIZE, startCloud, fmtMs, fmtMb, fmtStat, pct, log } = require('./helpers');

// ------------------------------------------------------------------ options

/** Options of every case; a case's own options are in its file. full / quick: the default without / with --quick. */
const COMMON_OPTIONS = [
	{ flag: '--reps', key: 'reps', help: 'repetitions of the unthrottled cases 1 and 3 (default 5; quick 2)', full: 5, quick: 2 },
	{ flag: '--rate-reps', key: 'rateReps', help: 'repetitions of the rate-limited cases 2 and 4 (default 1: they take n/rate seconds)', full: 1 },
	{ flag: '--incidents', key: 'incidents', help: 'incidents listed in cases 1 and 6', full: 10000, quick: 1000 },
	{ flag: '--rate', key: 'rate', kind: 'rate', help: 'rate limit of cases 2 and 4: R requests per MS ms', full: { requests: 10, windowMs: 2000 } },
];
const OPTIONS = [...COMMON_OPTIONS, ...CASES.flatMap((c) => c.options ?? [])];

const argument = (o) => (o.kind === 'off' ? '' : o.kind === 'rate' ? ' R/MS' : ' N');
const defaultText = (o) =>
	o.kind === 'off' || typeof o.full === 'function' || /\(default/.test(o.help)
		? ''
		: ` (default ${o.kind === 'rate' ? `${o.full.requests}/${o.full.windowMs}` : o.full}${o.quick !== undefined ? `; quick ${o.quick}` : ''})`;
const HELP = [
	'npm run bench -- [options]',
	'  --quick               smoke test: fewer items and repetitions (same cases)',
	`  ${'--cases N,N'.padEnd(20)}  which cases, e.g. 1,3 (default all: ${CASES.map((c) => c.id).sort((a, b) => a - b).join(',')})`,
	'  --latency MS          per-request latency of the simulated cloud (default 0)',
	...OPTIONS.map((o) => `  ${`${o.flag}${argument(o)}`.padEnd(20)}  ${o.help}${defaultText(o)}`),
	'  --out FILE            results file (default bench/results.json)',
].join('\n');

function parseArgs(argv) {
	const opts = { cases: CASES.map((c) => c.id).sort((a, b) => a - b), latency: 0, quick: false, out: path.join(__dirname, 'results.json') };
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
		const option = OPTIONS.find((o) => o.flag === arg);
		if (option) given[option.key] = option.kind === 'off' ? false : option.kind === 'rate' ? rate() : number();
		else if (arg === '--quick') opts.quick = true;
		else if (arg === '--cases') opts.cases = value().split(',').map(Number);
		else if (arg === '--latency') opts.latency = number();
		else if (arg === '--out') opts.out = path.resolve(value());
		else if (arg === '--help' || arg === '-h') {
			console.log(HELP);
			process.exit(0);
		} else throw new Error(`unknown option ${arg}\n${HELP}`);
	}
	if (process.env.BENCH_QUICK === '1') opts.quick = true;
	// defaults that are functions depend on other options (--update-rate defaults to --rate): they go last
	const byDependence = [...OPTIONS].sort((a, b) => (typeof a.full === 'function') - (typeof b.full === 'function'));
	for (const o of byDependence) {
		if (o.key in given) opts[o.key] = given[o.key];
		else if (typeof o.full === 'function') opts[o.key] = o.full(opts);
		else opts[o.key] = opts.quick && o.quick !== undefined ? o.quick : o.full;
	}
	return opts;
}

// ------------------------------------------------------------------ report

function machine() {
	const cpus = os.cpus();
	return {
		cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
		cores: cpus.length,
		memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
	};
}

function printTable(results) {
	const rows = [['case', 'variant', 'wall time med [min–max]', 'ratio', 'graph req', 'token', '429s', 'peak RSS', 'extra RSS', 'retained', 'throughput', 'failed']];
	for (const c of results.cases) {
		if (c.polls) {
			for (const p of c.polls) {
				rows.push([`${c.id} trigger`, p.label, fmtStat(p.wallMs, fmtMs), '', fmtStat(p.graph, String), fmtStat(p.token, String), '', '', '', '', '', String(c.failed)]);
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

function compile() {
	log(`compiling nodes, credentials and the test harness into bench/.build`);
	try {
		execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, 'tsconfig.json')], {
			cwd: path.resolve(__dirname, '..'),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	} catch (error) {
		// tsc still emits on type errors; only a missing output is fatal.
		if (!fs.existsSync(path.join(__dirname, '.build', 'test', 'harness', 'index.js'))) throw error;
		log(`tsc reported type errors (emitted anyway):\n${String(error.stdout).slice(0, 2000)}`);
	}
}

async function runCase(benchCase, opts, cloud) {
	log(`case ${benchCase.id}: ${benchCase.describe(opts)}`);
	return await benchCase.run(opts, cloud);
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = Date.now();
	compile();
	const results = { date: new Date().toISOString(), machine: machine(), options: { ...opts, out: undefined }, cases: [] };
	const selected = CASES.filter((c) => opts.cases.includes(c.id));
	const sharing = selected.filter((c) => c.sharedCloud);
	if (sharing.length) {
		const incidents = Math.max(...sharing.map((c) => c.sharedCloud(opts)));
		log(`simulated cloud: ${incidents} incidents, page size ${PAGE_SIZE}, latency ${opts.latency} ms`);
		const cloud = await startCloud({ pageSize: PAGE_SIZE, incidents, latencyMs: opts.latency });
		try {
			for (const c of sharing) results.cases.push(await runCase(c, opts, cloud));
		} finally {
			await cloud.stop();
		}
	}
	for (const c of selected.filter((c) => !c.sharedCloud)) results.cases.push(await runCase(c, opts));
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
