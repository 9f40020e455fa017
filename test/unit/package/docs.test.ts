// The editor's docs links (issue 15 item 4): every credential's `documentationUrl` and every node codex URL
// goes to a section of this package's README (package.json `homepage`, the README as npm shows it), and each
// anchor is one of the README's headings as GitHub and npm make them (lower case, punctuation dropped,
// spaces to hyphens).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Microsoft365DefenderClientCredentialsApi } from '../../../credentials/Microsoft365DefenderClientCredentialsApi.credentials';
import { Microsoft365DefenderDeviceCodeApi } from '../../../credentials/Microsoft365DefenderDeviceCodeApi.credentials';
import { Microsoft365DefenderManagedIdentityApi } from '../../../credentials/Microsoft365DefenderManagedIdentityApi.credentials';
import { README_URL } from '../../../nodes/Microsoft365Defender/docs';

const REPO = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

/** GitHub's heading anchors (npm renders READMEs the same way). */
const slug = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');

function readmeAnchors(): Set<string> {
	const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
	// headings outside fenced code blocks (a `# comment` in a shell block is not a heading)
	const outsideCode = readme.split(/^```/m).filter((_, i) => i % 2 === 0).join('\n');
	return new Set([...outsideCode.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading)));
}

function codexUrls(): Array<{ file: string; url: string }> {
	const dir = path.join(REPO, 'nodes', 'Microsoft365Defender');
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.node.json'))
		.flatMap((file) => {
			const resources = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).resources as Record<string, Array<{ url: string }>>;
			return Object.values(resources).flatMap((links) => links.map(({ url }) => ({ file, url })));
		});
}

test('the README slug rule matches GitHub on the headings this package links to', () => {
	expect(slug('Device code (a person signs in)')).toBe('device-code-a-person-signs-in');
	expect(slug('Custom API Call / HTTP Request node')).toBe('custom-api-call--http-request-node');
	expect(slug('Try it in one command: `npm start`')).toBe('try-it-in-one-command-npm-start');
});

test("package.json's homepage is the README the docs links point into", () => {
	expect(manifest.homepage).toBe(`${README_URL}#readme`);
});

test('every credential type links to its own README section', () => {
	const anchors = readmeAnchors();
	const links = [
		new Microsoft365DefenderClientCredentialsApi(),
		new Microsoft365DefenderDeviceCodeApi(),
		new Microsoft365DefenderManagedIdentityApi(),
	].map((credential) => credential.documentationUrl);
	expect(new Set(links).size).toBe(links.length);
	for (const link of links) {
		const [base, anchor] = link.split('#');
		expect({ link, base, known: anchors.has(anchor) }).toEqual({ link, base: README_URL, known: true });
	}
});

test("both nodes' codex links (the panel's docs) go to README sections", () => {
	const anchors = readmeAnchors();
	const urls = codexUrls();
	expect(new Set(urls.map(({ file }) => file))).toEqual(new Set(['Microsoft365Defender.node.json', 'Microsoft365DefenderTrigger.node.json']));
	for (const { file, url } of urls) {
		const [base, anchor] = url.split('#');
		expect({ file, url, base, known: anchors.has(anchor) }).toEqual({ file, url, base: README_URL, known: true });
	}
});

test('every `npm run <script>` the docs give is a script in package.json', () => {
	// README, docs/, bench/ and sim/ READMEs, CHANGELOG: the commands a reader copies (`npm run screenshots` was
	// named in the README while package.json had no such script)
	const files = ['README.md', 'CHANGELOG.md', 'docs/ARCHITECTURE.md', 'bench/README.md', 'sim/README.md'].filter((f) => fs.existsSync(path.join(REPO, f)));
	const named = files.flatMap((file) =>
		[...fs.readFileSync(path.join(REPO, file), 'utf8').matchAll(/npm run ([a-z][a-z0-9:-]*[a-z0-9])/g)].map(([, script]) => ({ file, script })),
	);
	expect(named.length).toBeGreaterThan(10);
	for (const { file, script } of named) expect({ file, script, defined: script in manifest.scripts }).toEqual({ file, script, defined: true });
});
