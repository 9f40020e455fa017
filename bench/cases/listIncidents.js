'use strict';
// Case 1: List 10,000 incidents (Return All) — our node vs. a fetch loop following @odata.nextLink, and a
// second baseline with a new TLS connection per request (what n8n-core does for every node).

const { PAGE_SIZE, sideBySide, summarize, expectItemsAndRequests } = require('../helpers');

/** Worker side (also case 2's): the warm-up lists 1 incident, the measured run all of them. */
const worker = {
	variants: {
		node: (w, warm) => w.node.getAll('incident', warm ? 1 : undefined),
		baseline: (w, warm) => w.client.list('/security/incidents', warm ? 1 : PAGE_SIZE, !warm),
		baselineNewConnection: (w, warm) =>
			w.client.list('/security/incidents', warm ? 1 : PAGE_SIZE, !warm, w.client.getNewConnection),
	},
};

async function run(opts, cloud) {
	const expected = Math.ceil(opts.incidents / PAGE_SIZE);
	const runs = await sideBySide(cloud, { case: 'list', worker: 'listIncidents' }, opts.reps, {
		variants: ['node', 'baseline', 'baselineNewConnection'],
		check: expectItemsAndRequests(opts.incidents, expected),
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

module.exports = {
	id: 1,
	describe: (opts) => `list ${opts.incidents} incidents, ${opts.reps} reps`,
	sharedCloud: (opts) => opts.incidents,
	run,
	worker,
};
