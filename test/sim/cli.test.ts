import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { trustCa, type SimInfo } from '../../sim';

const cliPath = join(__dirname, '..', '..', 'sim', 'cli.js');

async function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
	for (let k = 0; k < 400; k++) {
		const value = check();
		if (value !== undefined) return value;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`Timed out waiting for ${what}`);
}

describe('sim/cli.js (the simulated cloud as its own process)', () => {
	it('writes the info file, serves it, and stops cleanly on SIGTERM', async () => {
		const infoFile = join(mkdtempSync(join(tmpdir(), 'sim-cli-test-')), 'info.json');
		const child = spawn(process.execPath, [cliPath, '--info-file', infoFile, '--incidents', '3', '--page-size', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		try {
			const info = await waitFor(() => (existsSync(infoFile) ? (JSON.parse(readFileSync(infoFile, 'utf8')) as SimInfo & { controlUrl: string }) : undefined), 'the info file');
			// stdout may arrive after the file is in place
			await waitFor(() => (stdout.endsWith('}\n') ? true : undefined), 'the info on stdout');
			expect(JSON.parse(stdout)).toEqual(info);
			expect(info.pageSize).toBe(2);
			expect(readFileSync(info.caCertPath, 'utf8')).toBe(info.caCertPem);
			trustCa(info.caCertPem);

			const control = (await (await fetch(`${info.controlUrl}/info`)).json()) as SimInfo;
			expect(control.apps.secret.clientSecret).toBe(info.apps.secret.clientSecret);

			const tokenAnswer = await fetch(`${info.authorityHost}/${info.tenantId}/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_id: info.apps.secret.clientId, client_secret: info.apps.secret.clientSecret!, scope: `${info.graphEndpoint}/.default` }),
			});
			const { access_token: accessToken } = (await tokenAnswer.json()) as { access_token: string };
			const page = (await (await fetch(`${info.graphEndpoint}/v1.0/security/incidents`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as Record<string, any>;
			expect(page.value).toHaveLength(2);
			expect(page['@odata.nextLink']).toContain('$skip=2');
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
		expect(stderr).toBe('');
		expect(existsSync(infoFile)).toBe(false);
	});

	it('refuses bad arguments with a message naming them', async () => {
		const child = spawn(process.execPath, [cliPath, '--incidents', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
		expect(code).toBe(1);
		expect(stderr).toContain('--incidents must be a non-negative integer');
	});
});
