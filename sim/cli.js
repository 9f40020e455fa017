#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Runs the simulated Microsoft cloud as its own process (demo, e2e).
 *   node sim/cli.js [--info-file f.json] [--ports login,graph,identity[,mde]] [--incidents N] [--page-size N]
 *                   [--token-lifetime SEC] [--device-code-interval SEC] [--latency MS]
 * Writes the connection info (urls, CA path, tenant, apps with secrets/certificate, identities) as JSON to the
 * info file and to stdout; stops cleanly on SIGINT/SIGTERM (removing the info file).
 */

const fs = require('fs');
const path = require('path');
const { startSimulatedCloud } = require('./index');

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, string>} */
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new Error(`Unexpected argument '${a}'`);
		const eq = a.indexOf('=');
		if (eq > 0) args[a.slice(2, eq)] = a.slice(eq + 1);
		else args[a.slice(2)] = argv[++i];
	}
	return args;
}

/** @param {string | undefined} v @param {string} name */
function intArg(v, name) {
	if (v === undefined) return undefined;
	if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a non-negative integer, got '${v}'`);
	return Number(v);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if ('help' in args) {
		process.stdout.write('Usage: node sim/cli.js [--info-file f.json] [--ports login,graph,identity[,mde]] [--incidents N] [--page-size N] [--token-lifetime SEC] [--device-code-interval SEC] [--latency MS]\n');
		return;
	}
	let ports;
	if (args.ports) {
		const [login, graph, identity, mde] = args.ports.split(',').map((p, k) => intArg(p, ['login', 'graph', 'identity', 'mde'][k] + ' port'));
		ports = { login, graph, identity, mde };
	}
	const cloud = await startSimulatedCloud({
		ports,
		incidents: intArg(args.incidents, 'incidents'),
		pageSize: intArg(args['page-size'], 'page-size'),
		accessTokenLifetimeSec: intArg(args['token-lifetime'], 'token-lifetime'),
		deviceCodeIntervalSec: intArg(args['device-code-interval'], 'device-code-interval'),
		latencyMs: intArg(args.latency, 'latency'),
	});
	const info = { ...cloud.info(), controlUrl: `${cloud.graphEndpoint}/_sim`, pid: process.pid };
	const text = JSON.stringify(info, null, 2);
	const infoFile = args['info-file'] ? path.resolve(args['info-file']) : undefined;
	if (infoFile) {
		fs.mkdirSync(path.dirname(infoFile), { recursive: true });
		fs.writeFileSync(infoFile + '.tmp', text, { mode: 0o600 });
		fs.renameSync(infoFile + '.tmp', infoFile);
	}
	process.stdout.write(text + '\n');
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await cloud.stop();
		if (infoFile) fs.rmSync(infoFile, { force: true });
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e) => {
	process.stderr.write(`sim: ${e && e.message ? e.message : e}\n`);
	process.exit(1);
});
