// Runs last (e2e/jest/sequencer.js). Scans everything the other e2e suites produced in this run: node
// outputs and errors (the runs `n8n execute` printed), every n8n log (debug level, all processes), n8n's
// database files, the HTTP sink's tickets and the simulated cloud's request log of its non-token endpoints.
// None may contain a client secret, the certificate's private key, an access token, a refresh token or a
// device code that the simulated cloud handed out (each suite listed them in <run>/secrets/).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listFiles, scanFiles } from '../../e2e/lib/secret-scan';
import { secretsDir, suiteDir } from './support/run';

type SecretsByKind = Record<string, string[]>;

function collectSecrets(): { suites: string[]; secrets: SecretsByKind } {
	const secrets: SecretsByKind = {};
	const suites: string[] = [];
	for (const file of fs.readdirSync(secretsDir()).filter((f) => f.endsWith('.json'))) {
		suites.push(path.basename(file, '.json'));
		const recorded = JSON.parse(fs.readFileSync(path.join(secretsDir(), file), 'utf8')) as SecretsByKind;
		for (const [kind, values] of Object.entries(recorded)) secrets[kind] = [...(secrets[kind] ?? []), ...values];
	}
	return { suites, secrets };
}

describe('no secret in anything the e2e suites produced', () => {
	const runDir = path.dirname(secretsDir());
	const suitesRoot = path.join(runDir, 'suites');
	// the installed package's own files are code, not output
	const files = () => listFiles([suitesRoot], [path.join('.n8n', 'nodes')]);

	test('the scanner finds a planted secret and a planted token shape (it can fail)', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-secret-scan-'));
		try {
			fs.writeFileSync(path.join(dir, 'log.txt'), 'error: request failed with client_secret=abc8Q~planted-secret-value');
			fs.writeFileSync(path.join(dir, 'out.json'), JSON.stringify({ auth: 'Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBo.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU' }));
			fs.writeFileSync(path.join(dir, 'clean.txt'), 'nothing to see');
			const hits = scanFiles(listFiles([dir]), { clientSecrets: ['abc8Q~planted-secret-value'] });
			expect(hits.map((h) => `${path.basename(h.file)}: ${h.kind}`).sort()).toEqual(['log.txt: clientSecrets', 'out.json: JWT (access or id token)']);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	test('0 hits for client secrets, private key, access/refresh tokens and device codes', () => {
		const { suites, secrets } = collectSecrets();
		// a scan of nothing proves nothing: the suites that sign in every way must have run
		expect(suites.sort()).toEqual(expect.arrayContaining(['credentials', 'device-code', 'operations', 'trigger']));
		expect(secrets.clientSecrets.length).toBeGreaterThan(0);
		expect(secrets.privateKeyLines.length).toBeGreaterThan(10);
		expect(secrets.accessTokens.length).toBeGreaterThan(0);
		expect(secrets.refreshTokens.length).toBeGreaterThan(0);

		const scanned = files();
		const names = scanned.map((f) => path.relative(suitesRoot, f));
		// what is being scanned: n8n logs of every process, the runs, the databases, the sim's request logs
		expect(names.filter((n) => /[\\/]logs[\\/]\d+-execute\.log$/.test(n)).length).toBeGreaterThanOrEqual(8);
		expect(names.filter((n) => /[\\/]logs[\\/]\d+-start\.log$/.test(n)).length).toBeGreaterThanOrEqual(2);
		expect(names.filter((n) => n.endsWith('.run.json')).length).toBeGreaterThanOrEqual(8);
		expect(names.filter((n) => n.endsWith('database.sqlite')).length).toBeGreaterThanOrEqual(4);
		expect(names.filter((n) => n.endsWith('sim-requests.json')).length).toBeGreaterThanOrEqual(4);
		for (const suite of ['operations', 'device-code']) expect(fs.existsSync(suiteDir(suite))).toBe(true);

		// n8n writes its node and credential type descriptions (from the package's code, not outputs) to
		// .cache/n8n/public; the certificate field's placeholder shows a PEM header, so there only exact values count
		const generatedTypes = (file: string) => file.includes(`${path.sep}.cache${path.sep}n8n${path.sep}public${path.sep}`);
		const hits = scanFiles(scanned, secrets, { skipShapes: generatedTypes }).map((h) => `${path.relative(suitesRoot, h.file)}: ${h.kind}`);
		expect(hits).toEqual([]);

		// n8n ran hardened (N8N_SSRF_PROTECTION_ENABLED=true, HTTPS_PROXY): its sign-in traffic went through the proxy
		for (const suite of ['credentials', 'device-code', 'operations', 'trigger']) {
			const file = names.find((n) => n.startsWith(`${suite}${path.sep}`) && n.endsWith('proxy-tunnels.json'));
			expect(file).toBeDefined();
			const { authorityHost, tunnels } = JSON.parse(fs.readFileSync(path.join(suitesRoot, file!), 'utf8')) as { authorityHost: string; tunnels: string[] };
			expect(tunnels).toContain(authorityHost);
		}
	});
});
