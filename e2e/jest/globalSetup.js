'use strict';
// Prepares one e2e run (also when jest is started without e2e/run.sh):
// - E2E_RUN_DIR: the run folder (default e2e/.work/run-<time>), where every suite keeps its n8n user
//   folders, logs and outputs;
// - the n8n runtime (installed into the cache when missing);
// - E2E_PACKAGE_TARBALL: the packed package (packed here from the current build when not given);
// - E2E_NODES_TEMPLATE: a `.n8n/nodes` folder with the tarball installed the Community Nodes way, which
//   each n8n instance copies.
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8nRuntime, packPackage, installCommunityPackage, REPO_DIR } = require('../lib/n8n');

module.exports = async function globalSetup() {
	const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
	const runDir = process.env.E2E_RUN_DIR || path.join(REPO_DIR, 'e2e', '.work', `run-${stamp}-${process.pid}`);
	fs.mkdirSync(runDir, { recursive: true });
	process.env.E2E_RUN_DIR = runDir;

	const runtime = ensureN8nRuntime();
	process.env.N8N_E2E_CACHE = runtime.cacheDir;

	let tarball = process.env.E2E_PACKAGE_TARBALL;
	if (!tarball) {
		if (!fs.existsSync(path.join(REPO_DIR, 'dist'))) throw new Error('dist/ is missing: run npm run build first');
		tarball = packPackage(path.join(runDir, 'package'));
		process.env.E2E_PACKAGE_TARBALL = tarball;
	}

	const nodesTemplate = path.join(runDir, 'nodes-template');
	fs.rmSync(nodesTemplate, { recursive: true, force: true });
	const installed = installCommunityPackage(nodesTemplate, tarball);
	process.env.E2E_NODES_TEMPLATE = nodesTemplate;
	process.stderr.write(`\ne2e run folder ${runDir}\ninstalled ${installed.name}@${installed.version} from ${path.basename(tarball)}\n`);
};
