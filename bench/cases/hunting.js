'use strict';
// Case 3: Run Hunting Query returning 100,000 rows × 10 columns — our node vs. fetch + JSON.parse of the
// same response.

const { sideBySide, summarize } = require('../helpers');

const WARM_UP_QUERY = 'DeviceProcessEvents | take 1';

const worker = {
	variants: {
		node: (w, warm) =>
			w.node.run({ authentication: 'clientCredentials', resource: 'huntingQuery', operation: 'run', query: warm ? WARM_UP_QUERY : w.job.query }),
		baseline: async (w, warm) =>
			(await w.client.json('POST', '/security/runHuntingQuery', { Query: warm ? WARM_UP_QUERY : w.job.query })).results,
	},
};

async function run(opts, cloud) {
	cloud.setHuntingRows('DeviceProcessEvents', opts.huntingRows);
	const query = `DeviceProcessEvents | take ${opts.huntingRows}`;
	const runs = await sideBySide(cloud, { case: 'hunting', worker: 'hunting', query }, opts.reps, {
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

module.exports = {
	id: 3,
	options: [{ flag: '--hunting-rows', key: 'huntingRows', help: 'rows of the hunting query in case 3', full: 100000, quick: 10000 }],
	describe: (opts) => `hunting query, ${opts.huntingRows} rows, ${opts.reps} reps`,
	sharedCloud: () => 0,
	run,
	worker,
};
