'use strict';
// Case 7: List 10,000 alerts (Return All, pages of $top=2000) — our node vs. a fetch loop over
// /security/alerts_v2 following @odata.nextLink; then an idle `alertCreated` poll of the trigger.

const { ALERTS_PAGE_SIZE, log, startCloud, runWorker, sideBySide, summarize, expectItemsAndRequests } = require('../helpers');

const worker = {
	variants: {
		node: (w, warm) => w.node.getAll('alert', warm ? 1 : undefined),
		baseline: (w, warm) => w.client.list('/security/alerts_v2', warm ? 1 : ALERTS_PAGE_SIZE, !warm),
	},
};

async function run(opts) {
	const expected = Math.ceil(opts.alerts / ALERTS_PAGE_SIZE);
	// its own sim: exactly opts.alerts alerts (each in an incident of its own), Graph's alerts page size
	const cloud = await startCloud({ incidents: 0, alertPageSize: ALERTS_PAGE_SIZE, latencyMs: opts.latency });
	try {
		// an hour old and older: outside the trigger's overlap window, so its polls below are idle ones
		const start = Date.now() - 3_600_000;
		for (let i = 0; i < opts.alerts; i++) cloud.createAlert({ createdDateTime: new Date(start - i * 1000).toISOString() });
		const runs = await sideBySide(cloud, { case: 'listAlerts', worker: 'listAlerts' }, opts.reps, {
			check: expectItemsAndRequests(opts.alerts, expected),
		});
		const trigger = await runWorker(cloud, { case: 'trigger', worker: 'trigger', variant: 'node', entity: 'alert', newIncidents: 0 });
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

module.exports = {
	id: 7,
	options: [{ flag: '--alerts', key: 'alerts', help: 'alerts listed in case 7', full: 10000, quick: 1000 }],
	describe: (opts) => `list ${opts.alerts} alerts, ${opts.reps} reps; idle alert poll`,
	run,
	worker,
};
