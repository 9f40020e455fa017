// n8n in queue mode for the queue suite: one main (`n8n start`) and `n8n worker` processes sharing PostgreSQL,
// Redis and one encryption key, each with its own user folder (as on separate machines). e2e/run-queue.sh
// starts PostgreSQL and Redis and passes their ports in QUEUE_E2E_PG_PORT / QUEUE_E2E_REDIS_PORT.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { freePort, type N8nInstance } from '../../../../e2e/lib/n8n';
import { newN8n } from '../../support/run';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requiredPort(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run this suite with npm run test:e2e:queue (it starts PostgreSQL and Redis)`);
	return value;
}

/** The environment every process of the cluster shares. */
export function queueEnvironment(extra: Record<string, string> = {}): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: requiredPort('QUEUE_E2E_PG_PORT'),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: requiredPort('QUEUE_E2E_REDIS_PORT'),
		// N8N_ENCRYPTION_KEY: N8nInstance gives every process the same fixed key
		// n8n's default keeps 0 finished jobs in Redis (Bull's removeOnComplete: 0). A run that finishes before
		// main starts waiting for it (Bull's job.finished()) is then gone from Redis, and main never answers the
		// webhook (a known Bull race, OptimalBits/bull#1906; most likely what hung a CI run of this suite for 600 s).
		// Keeping the last finished jobs lets job.finished() see it (tried with n8n 2.40.7's own bull 4.16.4).
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
		...extra,
	};
}

/** How many finished jobs the cluster's Redis holds (n8n's queue, `<prefix>:jobs:completed`). */
export function finishedJobsInRedis(): number {
	const port = requiredPort('QUEUE_E2E_REDIS_PORT');
	const cli = (...args: string[]) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', port, ...args], { encoding: 'utf8', timeout: 10000 }).trim();
	const keys = cli('--scan', '--pattern', '*:jobs:completed').split('\n').filter(Boolean);
	return keys.reduce((count, key) => count + Number(cli('ZCARD', key)), 0);
}

export function httpJson(
	port: number,
	method: string,
	route: string,
	body?: unknown,
	headers: Record<string, string> = {},
	timeoutMs = 120000,
): Promise<{ status: number; json: any; text: string; headers: http.IncomingHttpHeaders }> {
	// a deadline on every call: a webhook main never answers (n8n's queue-mode response relay) fails the step
	// that made it, with its name, instead of the whole test at jest's timeout
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port, method, path: route, agent: false, headers: { 'content-type': 'application/json', ...headers } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => {
					let json: unknown;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, json, text, headers: res.headers });
				});
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${route}: no answer from n8n within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

/** `n8n worker` of an instance (its own user folder); health server on instance.port. */
export class Worker {
	private child?: ChildProcess;
	private exited?: Promise<unknown>;
	readonly logFiles: string[] = [];
	private starts = 0;

	constructor(
		readonly name: string,
		readonly instance: N8nInstance,
	) {}

	get running(): boolean {
		return this.child !== undefined;
	}

	async start(timeoutMs = 120000): Promise<void> {
		if (this.child) throw new Error(`${this.name} is already running`);
		this.starts += 1;
		const logFile = path.join(this.instance.logDir, `${this.name}-${this.starts}.log`);
		this.logFiles.push(logFile);
		const out = fs.openSync(logFile, 'a');
		const child = spawn(this.instance.runtime.nodeBin, [this.instance.runtime.n8nBin, 'worker'], {
			cwd: this.instance.userFolder,
			env: {
				...this.instance.env,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(this.instance.port),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			},
			stdio: ['ignore', out, out],
			detached: true, // own process group, with its task runner
		});
		fs.closeSync(out);
		this.child = child;
		this.exited = new Promise((resolve) => child.on('exit', resolve));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null) {
				this.child = undefined;
				throw new Error(`${this.name} exited before it was ready; see ${logFile}`);
			}
			const ready = await httpJson(this.instance.port, 'GET', '/healthz/readiness').catch(() => ({ status: 0 }));
			if (ready.status === 200) return;
			await sleep(250);
		}
		await this.stop();
		throw new Error(`${this.name} was not ready within ${timeoutMs} ms; see ${logFile}`);
	}

	async stop(timeoutMs = 30000): Promise<void> {
		const child = this.child;
		if (!child) return;
		this.child = undefined;
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const done = await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
		clearTimeout(timer);
		if (done === 'timeout') {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// gone
			}
			await this.exited;
		}
	}

	/** Execution ids this worker started ("Worker started execution <id>"), over all its runs. */
	executionIds(): string[] {
		const text = this.logFiles.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
		return [...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	}
}

/** A new n8n user folder with the package installed, configured for the cluster. */
export async function clusterInstance(suite: string, name: string, env: Record<string, string>): Promise<N8nInstance> {
	const instance = await newN8n(suite, name, queueEnvironment(env));
	instance.port = await freePort();
	instance.runnersBrokerPort = await freePort();
	return instance;
}

/** Signs in to main's REST API (the owner comes from N8N_INSTANCE_OWNER_* variables); returns a cookie. */
export async function restLogin(port: number, email: string, password: string): Promise<string> {
	const res = await httpJson(port, 'POST', '/rest/login', { emailOrLdapLoginId: email, password });
	if (res.status !== 200) throw new Error(`login failed: HTTP ${res.status} ${res.text.slice(0, 300)}`);
	const cookies = res.headers['set-cookie'] ?? [];
	return cookies.map((c) => c.split(';')[0]).join('; ');
}
