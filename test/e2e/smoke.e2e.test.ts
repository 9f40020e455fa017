// The harness itself: n8n 2.40.7 on Node 24 starts from the cache, the packed package is installed in
// the user folder the Community Nodes way, and a workflow imported with the CLI runs with `n8n execute`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import { N8nInstance, nodeOutput, REPO_DIR } from '../../e2e/lib/n8n';
import { codeNode, manualWorkflow } from '../../e2e/lib/workflows';
import { newN8n, saveJson } from './support/run';

const SUITE = 'smoke';

describe('e2e harness: real n8n with the package installed', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await newN8n(SUITE, 'n8n');
	});

	test('the tarball is installed in .n8n/nodes the way the Community Nodes installer does', () => {
		const nodesManifest = JSON.parse(fs.readFileSync(path.join(n8n.nodesDir, 'package.json'), 'utf8'));
		expect(nodesManifest.dependencies).toHaveProperty(['n8n-nodes-microsoft-365-defender']);
		const packageDir = path.join(n8n.nodesDir, 'node_modules', 'n8n-nodes-microsoft-365-defender');
		const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		expect(manifest.devDependencies).toBeUndefined();
		expect(manifest.peerDependencies).toBeUndefined();
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(fs.existsSync(path.join(packageDir, file))).toBe(true);
		}
		// its runtime dependencies were installed beside it, not taken from this repository
		expect(fs.existsSync(path.join(packageDir, 'node_modules', '@azure', 'msal-node', 'package.json'))).toBe(true);
	});

	test('the tarball holds the built package and nothing else (npm pack contents)', () => {
		const files = execFileSync('tar', ['-tzf', process.env.E2E_PACKAGE_TARBALL!], { encoding: 'utf8' })
			.split('\n')
			.filter(Boolean)
			.map((file) => file.replace(/^package\//, ''));
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
		const topLevel = files.filter((file) => !file.startsWith('dist/'));
		expect(topLevel.sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'index.js', 'package.json']);
		const built = files.filter((file) => file.startsWith('dist/'));
		// only what n8n loads: JavaScript, icons, node codex files (no sources, maps, tests, keys)
		expect(built.filter((file) => !/\.(js|svg|node\.json)$/.test(file))).toEqual([]);
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(built).toContain(file);
		// every source file is built, and nothing is packed whose source is gone (a stale dist/)
		const sources = execFileSync('git', ['ls-files', 'nodes', 'credentials'], { cwd: REPO_DIR, encoding: 'utf8' })
			.split('\n')
			.filter((file) => /\.ts$/.test(file));
		const expectedJs = sources.map((file) => `dist/${file.replace(/\.ts$/, '.js')}`).sort();
		expect(built.filter((file) => file.endsWith('.js')).sort()).toEqual(expectedJs);
	});

	test('the n8n-workflow this n8n ships and the Node it runs on are in peerDependencies and engines', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
		// the copy n8n itself loads: its own nested one, else the hoisted one (its exports hide package.json)
		const n8nDir = path.dirname(path.dirname(n8n.runtime.n8nBin));
		const workflowManifest = [path.join(n8nDir, 'node_modules'), path.dirname(n8nDir)]
			.map((dir) => path.join(dir, 'n8n-workflow', 'package.json'))
			.find((file) => fs.existsSync(file))!;
		const workflowVersion = JSON.parse(fs.readFileSync(workflowManifest, 'utf8')).version;
		const nodeVersion = execFileSync(n8n.runtime.nodeBin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
		process.stderr.write(`n8n ${n8n.runtime.version}: n8n-workflow ${workflowVersion}, Node ${nodeVersion}\n`);
		expect({ workflowVersion, ok: semver.satisfies(workflowVersion, manifest.peerDependencies['n8n-workflow']) }).toEqual({ workflowVersion, ok: true });
		expect({ nodeVersion, ok: semver.satisfies(nodeVersion, manifest.engines.node) }).toEqual({ nodeVersion, ok: true });
	});

	test('n8n execute runs an imported workflow and prints the run', async () => {
		await n8n.importWorkflows([
			manualWorkflow({
				id: 'smokeCodeOnly0001',
				name: 'smoke: code node',
				nodes: [codeNode('Items', [{ a: 1 }, { a: 2 }])],
			}),
		]);
		const result = await n8n.execute('smokeCodeOnly0001');
		saveJson(SUITE, 'code-node-run', result.run);
		expect(result.code).toBe(0);
		expect(nodeOutput(result.run, 'Items')).toEqual([{ a: 1 }, { a: 2 }]);
		expect(result.stdout + result.stderr).not.toMatch(/Failed to load package "n8n-nodes-microsoft-365-defender"/);
	});
});
