// package.json's `engines` and `peerDependencies` against what the package is tested on (the version
// matrix, e2e/matrix.json) and what its dependencies need. The e2e smoke suite checks the same against the
// n8n it actually runs in (its n8n-workflow and Node versions).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';

const REPO = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const manifest = readJson(path.join(REPO, 'package.json'));
const matrix = readJson(path.join(REPO, 'e2e', 'matrix.json')) as {
	pinned: { n8n: string; node: string };
	compat: { name: string; n8n: string; node: string; env: string }[];
};
const entries = [matrix.pinned, ...matrix.compat];

describe('package.json engines and peerDependencies say what is tested', () => {
	test('engines.node is the lowest Node every runtime dependency supports', () => {
		const lowest = Object.keys(manifest.dependencies).map((dependency) => {
			const dependencyManifest = readJson(path.join(REPO, 'node_modules', dependency, 'package.json'));
			return semver.minVersion(dependencyManifest.engines?.node ?? '*')!.version;
		});
		const needed = lowest.sort(semver.compare).pop()!;
		expect(semver.minVersion(manifest.engines.node)!.version).toBe(needed);
	});

	test('every Node of the matrix satisfies engines.node', () => {
		for (const entry of entries) {
			expect({ entry: entry.n8n, node: entry.node, ok: semver.subset(entry.node, manifest.engines.node) }).toEqual({
				entry: entry.n8n,
				node: entry.node,
				ok: true,
			});
		}
	});

	test('peerDependencies n8n-workflow covers every n8n major of the matrix and the version built against', () => {
		const peer = manifest.peerDependencies['n8n-workflow'];
		expect(semver.validRange(peer)).not.toBeNull();
		expect(semver.satisfies(manifest.devDependencies['n8n-workflow'], peer)).toBe(true);
		// n8n x.y ships n8n-workflow x.*: each tested major must be in the range
		for (const entry of entries) {
			const major = semver.minVersion(entry.n8n)!.major;
			expect({ n8n: entry.n8n, intersects: semver.intersects(`${major}.x`, peer) }).toEqual({ n8n: entry.n8n, intersects: true });
		}
		// and nothing beyond the tested majors
		const majors = entries.map((entry) => semver.minVersion(entry.n8n)!.major);
		expect(semver.intersects(`>=${Math.max(...majors) + 1}.0.0`, peer)).toBe(false);
		expect(semver.intersects(`<${Math.min(...majors)}.0.0`, peer)).toBe(false);
	});

	test('the matrix has the newest 1.x and 2.x, each overridable by its own variable', () => {
		expect(matrix.compat.map((entry) => entry.n8n)).toEqual(['1.x', '2.x']);
		expect(new Set(matrix.compat.map((entry) => entry.env)).size).toBe(matrix.compat.length);
		expect(semver.valid(matrix.pinned.n8n)).toBe(matrix.pinned.n8n);
	});
});
