'use strict';
// Case 2: the same listing under a rate limit (429 + Retry-After) — our node vs. a fetch loop that sleeps
// exactly Retry-After. Its own simulated cloud with exactly n incidents (a $filter-free Return All).

const { PAGE_SIZE, startCloud, sideBySide, summarize } = require('../helpers');

async function run(opts) {
	const n = opts.throttledIncidents;
	const expected = Math.ceil(n / PAGE_SIZE);
	const cloud = await startCloud({ pageSize: PAGE_SIZE, incidents: n, latencyMs: opts.latency });
	try {
		const runs = await sideBySide(cloud, { case: 'list', worker: 'listIncidents' }, opts.rateReps, {
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
	} finally {
		await cloud.stop();
	}
}

module.exports = {
	id: 2,
	options: [{ flag: '--throttled-incidents', key: 'throttledIncidents', help: 'incidents listed in case 2', full: 10000, quick: 1500 }],
	describe: (opts) => `list ${opts.throttledIncidents} incidents under ${opts.rate.requests}/${opts.rate.windowMs} ms, ${opts.rateReps} reps`,
	run,
};
