'use strict';
// Case 4: Update 1,000 incidents (1,000 input items, status) under the rate limit — our node vs. a fetch
// PATCH loop honouring Retry-After.

const { sideBySide, summarize } = require('../helpers');

/** The warm-up updates the first incident, the measured run all of them. */
const worker = {
	variants: {
		node: (w, warm) =>
			w.node.run(
				{
					authentication: 'clientCredentials',
					resource: 'incident',
					operation: 'update',
					incidentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					updateFields: { status: w.job.status },
				},
				(warm ? w.job.ids.slice(0, 1) : w.job.ids).map((id) => ({ json: { id } })),
			),
		baseline: async (w, warm) => {
			const items = [];
			for (const id of warm ? w.job.ids.slice(0, 1) : w.job.ids) {
				items.push(await w.client.json('PATCH', `/security/incidents/${id}`, { status: w.job.status }));
			}
			return items;
		},
	},
};

async function run(opts, cloud) {
	const ids = cloud.incidents.slice(0, opts.updates).map((i) => i.id);
	const runs = await sideBySide(cloud, { case: 'update', worker: 'updateThrottled', ids, status: 'inProgress' }, opts.rateReps, {
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

module.exports = {
	id: 4,
	options: [
		{ flag: '--update-rate', key: 'updateRate', kind: 'rate', help: 'rate limit of case 4 only (default: --rate)', full: (opts) => opts.rate },
		{ flag: '--updates', key: 'updates', help: 'incidents updated in case 4', full: 1000, quick: 100 },
	],
	describe: (opts) => `update ${opts.updates} incidents under ${opts.updateRate.requests}/${opts.updateRate.windowMs} ms, ${opts.rateReps} reps`,
	sharedCloud: (opts) => opts.updates,
	run,
	worker,
};
