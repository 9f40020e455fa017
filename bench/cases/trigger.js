'use strict';
// Case 5: the trigger's polls through the harness's poll runner (n8n-core's PollContext): the request
// cost of the activation poll, idle polls and a poll after 1,000 new incidents. No baseline.

const { PAGE_SIZE, log, startCloud, fmtMs, runWorker, stats } = require('../helpers');

/** Worker side (also case 7's idle alert poll, job.entity = 'alert'): each poll counted on the sim. */
async function triggerPolls(w) {
	const { job, node, control } = w;
	const { performance } = require('node:perf_hooks');
	const trigger = node.createPollRunner(new node.Microsoft365DefenderTrigger(), {
		store: node.store,
		credentials: node.credentials,
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
	if (job.entity !== 'alert') {
		await control('POST', 'incidents', { count: job.newIncidents });
		await poll(`after ${job.newIncidents} new`);
		// Still inside the trigger's overlap window (10 minutes), the new incidents are fetched again.
		await poll('idle, burst in window');
	}
	return { polls, items: polls.reduce((n, p) => n + p.items, 0) };
}

// cold: the activation poll gets the token, so no warm-up
const worker = { warmUp: false, variants: { node: triggerPolls } };

async function run(opts) {
	const newIncidents = 1000;
	const expectedAfter = Math.ceil(newIncidents / PAGE_SIZE);
	const reps = [];
	for (let rep = 0; rep < Math.max(1, Math.min(opts.reps, 3)); rep++) {
		// its own sim: the case adds incidents
		const cloud = await startCloud({ pageSize: PAGE_SIZE, incidents: 20, latencyMs: opts.latency });
		try {
			const result = await runWorker(cloud, { case: 'trigger', worker: 'trigger', variant: 'node', newIncidents });
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

module.exports = {
	id: 5,
	describe: () => 'trigger',
	run,
	worker,
};
