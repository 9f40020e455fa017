// The harness itself: n8n 2.40.7 on Node 24 starts from the cache, the packed package is installed in
// the user folder the Community Nodes way, and a workflow imported with the CLI runs with `n8n execute`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { N8nInstance, nodeOutput } from '../../e2e/lib/n8n';
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
