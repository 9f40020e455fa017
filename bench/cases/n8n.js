'use strict';
// Case 6: in a real n8n 2.40.7 (the e2e runtime, Node 24), our node's List (Return All) vs. n8n's own HTTP
// Request node with pagination "Response Contains Next URL" and a bearer token, listing the same incidents
// from the same simulated cloud, in the same n8n, alternating which goes first. Times come from the run
// data n8n records (execution startedAt/stoppedAt, each node's executionTime), not from the CLI's boot.

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { REPO, PAGE_SIZE, log, startCloud, stats, requestSummary } = require('../helpers');
const { N8nInstance, resolveN8nRuntime, ensureN8nRuntime, packPackage, nodeOutput, parseExecuteOutput } = require(path.join(REPO, 'e2e/lib/n8n'));
const { simCredentials, credentialRef, simEnvironment } = require(path.join(REPO, 'e2e/lib/credentials'));
const { defenderNode, linkedWorkflow } = require(path.join(REPO, 'e2e/lib/workflows'));

const WORK = path.join(__dirname, '..', '.build', 'n8n');

function runtimeOrSkip(opts) {
	try {
		return { runtime: resolveN8nRuntime() };
	} catch (error) {
		if (!opts.n8nInstall) return { skipped: `${error.message} (and --no-n8n-install was given)` };
		log('  n8n is not in the cache: installing it (bash e2e/lib/ensure-n8n.sh, a few minutes, once)');
		try {
			return { runtime: ensureN8nRuntime() };
		} catch (installError) {
			return { skipped: `n8n is not installed and could not be installed: ${installError.message}` };
		}
	}
}

function buildAndPack() {
	log('  npm run build + npm pack');
	try {
		execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (error) {
		// tsc emits on type errors in files being edited; the node files are what matters
		if (!fs.existsSync(path.join(REPO, 'dist/nodes/Microsoft365Defender/Microsoft365Defender.node.js'))) throw error;
		log(`  npm run build reported errors (dist/ exists, used as is): ${String(error.stdout).slice(-500)}`);
	}
	fs.rmSync(path.join(WORK, 'package'), { recursive: true, force: true });
	return packPackage(path.join(WORK, 'package'));
}

async function fetchToken(cloud) {
	const response = await fetch(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: cloud.apps.secret.clientId,
			client_secret: cloud.apps.secret.clientSecret,
			scope: `${cloud.graphEndpoint}/.default`,
		}),
	});
	if (!response.ok) throw new Error(`token request failed: HTTP ${response.status}`);
	return (await response.json()).access_token;
}

function workflows(cloud, credential, token) {
	const start = () => ({ id: undefined, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} });
	let n = 0;
	const id = () => `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
	const withId = (node) => ({ ...node, id: id() });
	const ours = linkedWorkflow({
		id: 'benchDefenderList',
		name: 'bench: Defender List',
		chain: [
			withId(start()),
			// first use in this n8n process: loads @azure/identity, gets the token (cached for the next node)
			withId(defenderNode('Warm-up', { authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', returnAll: false, limit: 1 }, credentialRef(credential))),
			withId(defenderNode('Defender', { authentication: 'clientCredentials', resource: 'incident', operation: 'getAll', returnAll: true }, credentialRef(credential))),
		],
	});
	const http = linkedWorkflow({
		id: 'benchHttpRequest',
		name: 'bench: HTTP Request pagination',
		chain: [
			withId(start()),
			// first use in this n8n process: loads the HTTP stack
			withId({
				name: 'Warm-up',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [0, 0],
				parameters: {
					url: `${cloud.graphEndpoint}/v1.0/security/incidents?$top=1`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
					options: {},
				},
			}),
			withId({
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [0, 0],
				parameters: {
					url: `${cloud.graphEndpoint}/v1.0/security/incidents?$top=50`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${token}` }] },
					options: {
						pagination: {
							pagination: {
								paginationMode: 'responseContainsNextURL',
								nextURL: '={{ $response.body["@odata.nextLink"] }}',
								paginationCompleteWhen: 'other',
								completeExpression: '={{ !$response.body["@odata.nextLink"] }}',
							},
						},
					},
				},
			}),
			// one item per incident, like our node's output
			withId({ name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [0, 0], parameters: { fieldToSplitOut: 'value' } }),
		],
	});
	return { ours, http };
}

const nodeTime = (run, name) => run.data.resultData.runData[name]?.[0]?.executionTime;

/** @param opts bench options (incidents, n8nReps, latency, n8nInstall) */
async function run(opts) {
	const title = `Real n8n: List ${opts.incidents} incidents, our node vs. HTTP Request node (pagination)`;
	const { runtime, skipped } = runtimeOrSkip(opts);
	if (!runtime) return { id: 6, title, skipped };

	const tarball = buildAndPack();
	const cloud = await startCloud({ pageSize: PAGE_SIZE, incidents: opts.incidents, latencyMs: opts.latency, trustCa: true });
	const expected = Math.ceil(opts.incidents / PAGE_SIZE);
	const runs = { node: [], http: [] };
	try {
		const userFolder = path.join(WORK, 'user');
		fs.rmSync(userFolder, { recursive: true, force: true });
		const n8n = await N8nInstance.create({ runtime, userFolder, tarball, env: simEnvironment(cloud), logLevel: 'info' });
		const credential = simCredentials(cloud).clientSecret;
		await n8n.importCredentials([credential]);
		const token = await fetchToken(cloud);
		const { ours, http } = workflows(cloud, credential, token);
		await n8n.importWorkflows([ours, http]);

		const measure = async (variant) => {
			const workflow = variant === 'node' ? ours : http;
			cloud.clearRequests();
			const result = await n8n.execute(workflow.id, { timeoutMs: 600000 });
			const requests = requestSummary(cloud);
			const run = result.run;
			const entry = { requests };
			if (result.code !== 0 || !run || result.error) {
				entry.error = `n8n execute exit ${result.code}: ${result.error ? result.error.message : 'no run data'} (log ${result.logFile})`;
			} else {
				entry.executionMs = new Date(run.stoppedAt) - new Date(run.startedAt);
				const last = variant === 'node' ? 'Defender' : 'Split Out';
				entry.items = (nodeOutput(run, last) || []).length;
				entry.warmUpMs = nodeTime(run, 'Warm-up');
				entry.nodeMs = nodeTime(run, variant === 'node' ? 'Defender' : 'HTTP Request');
				if (variant === 'http') entry.splitOutMs = nodeTime(run, 'Split Out');
				// listing = the time to one item per incident: our node alone, HTTP Request + Split Out
				entry.wallMs = entry.nodeMs + (entry.splitOutMs || 0);
				if (entry.items !== opts.incidents) entry.error = `${entry.items} items, expected ${opts.incidents}`;
				else if (requests.graph !== expected + 1) entry.error = `${requests.graph} graph requests, expected ${expected} + 1 warm-up`;
			}
			runs[variant].push(entry);
			log(`  n8n ${variant.padEnd(4)}: ${entry.error ? `FAILED ${entry.error}` : `listing ${entry.wallMs} ms (node ${entry.nodeMs} ms${variant === 'http' ? `, Split Out ${entry.splitOutMs} ms` : ''}; warm-up node ${entry.warmUpMs} ms; execution ${entry.executionMs} ms), ${entry.items} items, ${requests.graph} graph + ${requests.token} token`}`);
		};
		for (let rep = 0; rep < opts.n8nReps; rep++) {
			for (const variant of rep % 2 === 0 ? ['node', 'http'] : ['http', 'node']) await measure(variant);
		}
	} finally {
		await cloud.stop();
	}

	const summary = (list) => {
		const good = list.filter((r) => !r.error);
		return {
			runs: list.length,
			failed: list.length - good.length,
			errors: list.filter((r) => r.error).map((r) => r.error),
			wallMs: stats(good.map((r) => r.wallMs)),
			nodeMs: stats(good.map((r) => r.nodeMs)),
			warmUpMs: stats(good.map((r) => r.warmUpMs)),
			executionMs: stats(good.map((r) => r.executionMs)),
			graphRequests: stats(good.map((r) => r.requests.graph)),
			tokenRequests: stats(good.map((r) => r.requests.token)),
			items: stats(good.map((r) => r.items)),
			...(good.some((r) => r.splitOutMs !== undefined) ? { splitOutMs: stats(good.map((r) => r.splitOutMs)) } : {}),
		};
	};
	const node = summary(runs.node);
	const httpSummary = summary(runs.http);
	const timeRatio = node.wallMs.median && httpSummary.wallMs.median ? node.wallMs.median / httpSummary.wallMs.median : undefined;
	const nodeTimeRatio = node.nodeMs.median && httpSummary.nodeMs.median ? node.nodeMs.median / httpSummary.nodeMs.median : undefined;
	const executionRatio = node.executionMs.median && httpSummary.executionMs.median ? node.executionMs.median / httpSummary.executionMs.median : undefined;
	const ms = (x) => `${Math.round(x)} ms`;
	return {
		id: 6,
		title,
		n8n: { version: runtime.version, nodeBin: runtime.nodeBin },
		variants: { node: 1, http: 1 },
		variantLabels: { node: 'node (n8n)', http: 'HTTP Req+Split' },
		node,
		http: httpSummary,
		timeRatio,
		nodeTimeRatio,
		executionRatio,
		notes: [
			'wall time = the listing as n8n timed it (run data executionTime): our node vs. HTTP Request + Split Out (one item per incident, like ours), each after a warm-up node in the same execution',
			node.nodeMs.n && httpSummary.nodeMs.n ? `HTTP Request alone (${expected} page items, not split): ${ms(httpSummary.nodeMs.median)}; ours ${nodeTimeRatio.toFixed(2)}× that` : 'node times unavailable',
			node.warmUpMs.n && httpSummary.warmUpMs.n ? `cold first use (warm-up node, 1 request): ours ${ms(node.warmUpMs.median)} (loads @azure/identity, gets the token) vs HTTP Request ${ms(httpSummary.warmUpMs.median)} (token given)` : '',
			executionRatio ? `whole execution (startedAt→stoppedAt, warm-up included): ours ${ms(node.executionMs.median)} vs ${ms(httpSummary.executionMs.median)} (${executionRatio.toFixed(2)}×)` : '',
		].filter(Boolean),
		targets: {
			'our node not slower than HTTP Request + Split Out (≤ 1.0×)': node.failed === 0 && httpSummary.failed === 0 && timeRatio !== undefined && timeRatio <= 1,
		},
	};
}

module.exports = {
	id: 6,
	options: [
		{ flag: '--n8n-reps', key: 'n8nReps', help: 'repetitions of case 6', full: 3, quick: 1 },
		{ flag: '--no-n8n-install', key: 'n8nInstall', kind: 'off', help: 'case 6: do not install n8n into the cache when it is missing (skip instead)', full: true },
	],
	describe: (opts) => `real n8n, list ${opts.incidents} incidents, ${opts.n8nReps} reps`,
	run,
};
