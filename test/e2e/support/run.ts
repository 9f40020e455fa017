// Where an e2e suite keeps its files, and how it gets a fresh n8n with the package installed
// (globalSetup, e2e/jest/globalSetup.js, prepared the run folder, the runtime and the nodes template).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { N8nInstance, resolveN8nRuntime } from '../../../e2e/lib/n8n';

function requiredEnv(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the e2e suite with npm run test:e2e`);
	return value;
}

/** <run>/suites/<suite>: everything a suite produces (scanned by the secrets suite). */
export function suiteDir(suite: string): string {
	const dir = path.join(requiredEnv('E2E_RUN_DIR'), 'suites', suite);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** <run>/secrets: values a suite must never see in any output (not scanned itself). */
export function secretsDir(): string {
	const dir = path.join(requiredEnv('E2E_RUN_DIR'), 'secrets');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** A fresh n8n user folder with the packed package installed in .n8n/nodes. */
export async function newN8n(suite: string, name: string, env: Record<string, string> = {}): Promise<N8nInstance> {
	const userFolder = path.join(suiteDir(suite), name);
	fs.rmSync(userFolder, { recursive: true, force: true });
	return N8nInstance.create({
		runtime: resolveN8nRuntime(requiredEnv('N8N_E2E_CACHE')),
		userFolder,
		nodesTemplateDir: requiredEnv('E2E_NODES_TEMPLATE'),
		env,
	});
}

/** Saves a JSON file into the suite's folder (node outputs, errors, request logs: scanned for secrets). */
export function saveJson(suite: string, name: string, data: unknown): string {
	const file = path.join(suiteDir(suite), name.endsWith('.json') ? name : `${name}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/**
 * `n8n execute` of a workflow; keeps the run (node outputs, errors) in the suite folder for the secrets
 * scan, under `<label>.run.json`.
 */
export async function executeAndKeep(n8n: N8nInstance, suite: string, workflowId: string, label = workflowId) {
	const result = await n8n.execute(workflowId);
	saveJson(suite, `${label}.run.json`, { code: result.code, run: result.run ?? null, error: result.error ?? null });
	return result;
}

/** Explains a failed `n8n execute` in a test failure: exit code, error and the tail of n8n's output. */
export function describeRun(result: { code: number | null; error?: unknown; stdout: string; stderr: string; logFile: string }): string {
	return `exit ${result.code}; error ${JSON.stringify(result.error)}; log ${result.logFile}\n${(result.stdout + result.stderr).slice(-3000)}`;
}

/** Fails the test with n8n's own explanation unless `n8n execute` succeeded. */
export function expectSucceeded(result: { code: number | null; run?: unknown; error?: unknown; stdout: string; stderr: string; logFile: string }): void {
	if (result.code !== 0 || !result.run || result.error) throw new Error(`n8n execute did not succeed: ${describeRun(result)}`);
}
