'use strict';
// `npm start` (after demo/start.sh has installed, built and fetched n8n): n8n 2.40.7 on http://localhost:5678
// with this package installed, a simulated Defender tenant beside it (or a real tenant from M365D_* variables),
// ready-made credentials, example workflows, and a ticket sink that prints the tickets it gets.
// Ctrl-C / SIGTERM stop everything this started. Everything lives in demo/.work (git-ignored);
// `npm start -- --reset` starts over from an empty n8n; `-- --setup-only` prepares everything but does not
// start n8n.
//
// Environment (all optional):
//   N8N_PORT (5678)  DEMO_SINK_PORT (5690)  DEMO_SIM_PORTS (5691,5692,5693,5694 = login,graph,identity,mde)
//   DEMO_OWNER_EMAIL (demo@example.com)  DEMO_OWNER_PASSWORD (generated once, kept in demo/.work)
//   M365D_TENANT_ID + M365D_CLIENT_ID + M365D_CLIENT_SECRET [+ M365D_CLOUD=global|usGcc|usGov|usGovDoD]: use a real
//   tenant (app-only, client secret) instead of the simulated one.

const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');

const { N8nInstance, resolveN8nRuntime, packPackage, installCommunityPackage, freePort, REPO_DIR } = require('../e2e/lib/n8n');
const { simEnvironment } = require('../e2e/lib/credentials');
const { startTicketSink } = require('./ticket-sink');
const demo = require('./workflows');

const WORK_DIR = path.join(__dirname, '.work');
const USER_FOLDER = path.join(WORK_DIR, 'n8n');
const LOG_DIR = path.join(WORK_DIR, 'logs');
const SIM_INFO_FILE = path.join(WORK_DIR, 'sim', 'info.json');
const SECRETS_FILE = path.join(WORK_DIR, 'demo-secrets.json');
const LISTEN_ADDRESS = '127.0.0.1';

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (text) => say(`[demo] ${text}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class DemoError extends Error {}

function intFromEnv(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) throw new DemoError(`${name} must be a TCP port number (1-65535), not "${raw}"`);
	return Number(raw);
}

function simPortsFromEnv() {
	const raw = process.env.DEMO_SIM_PORTS || '5691,5692,5693,5694';
	const ports = raw.split(',').map((p) => p.trim());
	if (ports.length < 3 || ports.length > 4 || ports.some((p) => !/^\d+$/.test(p))) {
		throw new DemoError(`DEMO_SIM_PORTS must be four port numbers "login,graph,identity,mde" (Defender for Endpoint), not "${raw}"`);
	}
	return ports.map(Number);
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, LISTEN_ADDRESS, () => server.close(() => resolve(true)));
	});
}

async function checkPortsFree(ports) {
	for (const [port, what, variable] of ports) {
		if (!(await portIsFree(port))) {
			throw new DemoError(`Port ${port} (${what}) is in use on ${LISTEN_ADDRESS}: is the demo already running? Stop it, or choose another port with ${variable}.`);
		}
	}
}

/** The demo's own secrets (n8n encryption key, owner password), made once and kept in demo/.work (mode 600). */
function demoSecrets() {
	let secrets = {};
	if (fs.existsSync(SECRETS_FILE)) secrets = JSON.parse(fs.readFileSync(SECRETS_FILE, 'utf8'));
	let changed = false;
	if (!secrets.encryptionKey) {
		secrets.encryptionKey = crypto.randomBytes(24).toString('base64url');
		changed = true;
	}
	if (!secrets.ownerPassword) {
		// n8n's rules: 8+ characters with a number and an upper-case letter
		secrets.ownerPassword = `Demo-${crypto.randomBytes(6).toString('hex')}-N8n`;
		changed = true;
	}
	if (changed) {
		fs.mkdirSync(WORK_DIR, { recursive: true });
		fs.writeFileSync(SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
	}
	return secrets;
}

/** bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, with n8n's own bcryptjs. */
function bcryptHash(runtime, password) {
	const bcrypt = require(path.join(runtime.cacheDir, 'node_modules', 'bcryptjs'));
	return bcrypt.hashSync(password, 10);
}

/** Packs the current build and installs it into the demo's n8n (skipped when that exact tarball is installed). */
function installPackage(nodesDir) {
	const packDir = path.join(WORK_DIR, 'package');
	fs.rmSync(packDir, { recursive: true, force: true });
	const tarball = packPackage(packDir);
	// names and contents, not the tarball's bytes: a rebuild changes only the files' times
	const digest = crypto
		.createHash('sha256')
		.update(execFileSync('tar', ['-tzf', tarball]))
		.update(execFileSync('tar', ['-xzOf', tarball], { maxBuffer: 256 * 1024 * 1024 }))
		.digest('hex');
	const marker = path.join(nodesDir, '.demo-installed-tarball');
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === digest) {
		step(`package unchanged, already installed in ${path.relative(REPO_DIR, nodesDir)}`);
		return;
	}
	const installed = installCommunityPackage(nodesDir, tarball);
	fs.writeFileSync(marker, digest);
	step(`installed ${installed.name}@${installed.version} into ${path.relative(REPO_DIR, nodesDir)} (the Community Nodes way)`);
}

/** Starts sim/cli.js as a child on fixed ports; resolves { child, info } once its info file is written. */
async function startSim(ports) {
	fs.rmSync(SIM_INFO_FILE, { force: true });
	fs.mkdirSync(LOG_DIR, { recursive: true });
	const log = fs.openSync(path.join(LOG_DIR, 'sim.log'), 'w');
	// stdout carries the connection info (with the sim's app secrets): not for the terminal
	const child = spawn(process.execPath, [path.join(REPO_DIR, 'sim', 'cli.js'), '--info-file', SIM_INFO_FILE, '--ports', ports.join(',')], {
		stdio: ['ignore', 'ignore', log],
	});
	fs.closeSync(log);
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const deadline = Date.now() + 30000;
	while (Date.now() < deadline) {
		if (fs.existsSync(SIM_INFO_FILE)) {
			return { child, exited, info: JSON.parse(fs.readFileSync(SIM_INFO_FILE, 'utf8')) };
		}
		const early = await Promise.race([exited, sleep(100).then(() => undefined)]);
		if (early) throw new DemoError(`the simulated tenant exited (${early.code ?? early.signal}); see ${path.join(LOG_DIR, 'sim.log')}`);
	}
	child.kill('SIGTERM');
	throw new DemoError('the simulated tenant did not start within 30 s');
}

function simControl(info, method, route, body) {
	return new Promise((resolve, reject) => {
		const req = https.request(
			new URL(`${info.controlUrl}${route}`),
			{ method, ca: fs.readFileSync(info.caCertPath), headers: { 'content-type': 'application/json' } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => (res.statusCode < 400 ? resolve(text ? JSON.parse(text) : undefined) : reject(new Error(`${route}: HTTP ${res.statusCode} ${text}`))));
			},
		);
		req.on('error', reject);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

/**
 * The sim seeds 20 random incidents; add what is missing so every severity and every status occurs.
 * They are dated an hour back: older than the trigger's window, so they do not all become tickets.
 */
async function completeSampleIncidents(info) {
	const { value: incidents } = await simControl(info, 'GET', '/incidents');
	const createdDateTime = new Date(Date.now() - 60 * 60 * 1000).toISOString();
	const wanted = [
		...['unknown', 'informational', 'low', 'medium', 'high'].filter((s) => !incidents.some((i) => i.severity === s)).map((severity) => ({ severity })),
		...['active', 'inProgress', 'resolved', 'redirected', 'awaitingAction'].filter((s) => !incidents.some((i) => i.status === s)).map((status) => ({ status })),
	];
	// the "close false positives" example needs something to close
	if (!incidents.some((i) => i.severity === 'informational' && i.status === 'active')) wanted.push({ severity: 'informational', status: 'active' });
	for (const partial of wanted) await simControl(info, 'POST', '/incidents', { ...partial, createdDateTime });
	return incidents.length + wanted.length;
}

async function main() {
	const argv = process.argv.slice(2);
	if (argv.includes('--help')) {
		say('npm start [-- --reset] [-- --setup-only]   see README.md, "Try it in one command"');
		return;
	}
	const port = intFromEnv('N8N_PORT', 5678);
	const sinkPort = intFromEnv('DEMO_SINK_PORT', 5690);
	const real = demo.realTenantCredential(process.env);
	if (real && real.error) throw new DemoError(real.error);
	const simPorts = real ? [] : simPortsFromEnv();
	const ownerEmail = process.env.DEMO_OWNER_EMAIL || 'demo@example.com';

	if (argv.includes('--reset')) {
		step('--reset: removing demo/.work (n8n database, credentials, workflows, logs)');
		fs.rmSync(WORK_DIR, { recursive: true, force: true });
	}
	await checkPortsFree([
		[port, 'n8n', 'N8N_PORT'],
		[sinkPort, 'ticket sink', 'DEMO_SINK_PORT'],
		...simPorts.map((p) => [p, 'simulated tenant', 'DEMO_SIM_PORTS']),
	]);

	const runtime = resolveN8nRuntime();
	const secrets = demoSecrets();
	const ownerPassword = process.env.DEMO_OWNER_PASSWORD || secrets.ownerPassword;
	const started = { sink: undefined, sim: undefined, n8n: undefined, n8nPid: undefined };

	let stopping;
	const stopAll = (reason) => {
		if (stopping) return stopping;
		stopping = (async () => {
			if (reason) step(reason);
			if (started.n8n) {
				started.n8nPid = started.n8n.server && started.n8n.server.child.pid; // for a second Ctrl-C
				step('stopping n8n');
				await started.n8n.stop().catch(() => {});
			}
			if (started.sim) {
				step('stopping the simulated tenant');
				if (started.sim.child.exitCode === null && started.sim.child.signalCode === null) started.sim.child.kill('SIGTERM');
				await Promise.race([started.sim.exited, sleep(10000)]);
				if (started.sim.child.exitCode === null && started.sim.child.signalCode === null) started.sim.child.kill('SIGKILL');
			}
			if (started.sink) {
				step('stopping the ticket sink');
				await started.sink.stop();
			}
			step('everything the demo started is stopped');
		})();
		return stopping;
	};
	const onSignal = (signal) => {
		if (stopping) {
			// a second Ctrl-C: no more waiting for graceful shutdowns
			step(`${signal} again: killing what is left`);
			for (const [pid, group] of [[started.n8nPid, true], [started.sim && started.sim.child.pid, false]]) {
				try {
					if (pid) process.kill(group ? -pid : pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}
			process.exit(130);
		}
		stopAll(`${signal}: stopping (Ctrl-C again to kill)`).then(() => process.exit(0));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);

	try {
		fs.mkdirSync(USER_FOLDER, { recursive: true });
		const n8n = new N8nInstance({ runtime, userFolder: USER_FOLDER, logDir: LOG_DIR, logLevel: 'info' });
		installPackage(n8n.nodesDir);

		started.sink = await startTicketSink({ port: sinkPort, host: LISTEN_ADDRESS, print: (line) => say(line) });
		step(`ticket sink listening on ${started.sink.url}`);

		let credentials;
		let env = {};
		let primary;
		if (real) {
			credentials = [real.credential];
			primary = real.credential;
			step(`real tenant ${real.credential.data.tenantId} (cloud ${real.credential.data.cloud}): no simulated tenant`);
		} else {
			started.sim = await startSim(simPorts);
			const count = await completeSampleIncidents(started.sim.info);
			step(`simulated tenant up: sign-in ${started.sim.info.authorityHost}, Graph ${started.sim.info.graphEndpoint} (${count} incidents)`);
			credentials = demo.simDemoCredentials(started.sim.info);
			primary = credentials.find((c) => c.id === demo.IDS.credentials.appSecret);
			env = simEnvironment(started.sim.info);
		}

		n8n.port = port;
		n8n.runnersBrokerPort = await freePort();
		n8n.extraEnv = {
			...env,
			N8N_ENCRYPTION_KEY: secrets.encryptionKey,
			N8N_SECURE_COOKIE: 'false', // plain http on localhost
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: ownerEmail,
			N8N_INSTANCE_OWNER_FIRST_NAME: 'Demo',
			N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(runtime, ownerPassword),
		};
		started.n8n = n8n; // from here on stopAll also stops n8n if it runs

		// Credentials every start: the simulated tenant makes new app secrets each time it starts.
		step(`importing ${credentials.length} credential(s)`);
		await n8n.importCredentials(credentials);

		// Workflows only when new, or when what the demo ships changed (another tenant, a new version of the
		// example workflows): otherwise the user's own edits survive a restart.
		const workflowsMarker = path.join(USER_FOLDER, '.demo-workflows');
		const ref = demo.ref(primary);
		const workflows = [
			demo.highSeverityTicketWorkflow(ref, started.sink.url),
			demo.highSeverityAlertTicketWorkflow(ref, started.sink.url),
			demo.huntingSummaryWorkflow(ref),
			demo.closeFalsePositivesWorkflow(ref),
		];
		if (!real) {
			workflows.push(demo.deviceCodeWorkflow(demo.ref(credentials.find((c) => c.id === demo.IDS.credentials.deviceCode))));
			workflows.push(demo.isolateDeviceWorkflow(ref)); // never against a real tenant: it isolates a device
		}
		// the templates (examples/), not published; never against a real tenant: one isolates devices
		const templates = real ? [] : demo.templateWorkflows(ref, started.sink.url);
		workflows.push(...templates);
		const workflowsKey = crypto.createHash('sha256').update(JSON.stringify(workflows)).digest('hex');
		if (!fs.existsSync(workflowsMarker) || fs.readFileSync(workflowsMarker, 'utf8') !== workflowsKey) {
			step(`importing ${workflows.length} example workflows`);
			await n8n.importWorkflows(workflows);
			await n8n.publishWorkflow(demo.IDS.workflows.ticket);
			await n8n.publishWorkflow(demo.IDS.workflows.alertTicket);
			fs.writeFileSync(workflowsMarker, workflowsKey);
		}

		if (argv.includes('--setup-only')) {
			await stopAll('--setup-only: set up, not starting n8n');
			return;
		}
		step(`starting n8n ${runtime.version} (log: ${path.relative(REPO_DIR, LOG_DIR)}/)`);
		await n8n.start({ timeoutMs: 180000 });
		printSummary({
			port,
			sink: started.sink,
			sim: started.sim && started.sim.info,
			real,
			templates: templates.map((w) => w.name),
			ownerEmail,
			ownerPassword,
			logFile: n8n.server && n8n.server.logFile,
		});

		// Run until a signal, or until n8n or the sim stops on its own.
		const n8nExit = n8n.server.exited.then((e) => `n8n exited (${e.code ?? e.signal}); see ${path.relative(REPO_DIR, LOG_DIR)}/`);
		const simExit = started.sim ? started.sim.exited.then((e) => `the simulated tenant exited (${e.code ?? e.signal})`) : new Promise(() => {});
		const why = await Promise.race([n8nExit, simExit]);
		if (!stopping) {
			await stopAll(why);
			process.exit(1);
		}
	} catch (error) {
		await stopAll();
		throw error;
	}
}

function printSummary({ port, sink, sim, real, templates, ownerEmail, ownerPassword, logFile }) {
	const rel = (p) => path.relative(process.cwd(), p) || '.';
	const lines = [
		'',
		'================================================================================',
		` n8n ${'2.40.7'} with n8n-nodes-microsoft-365-defender is running`,
		'================================================================================',
		` n8n editor        http://localhost:${port}`,
		`   sign in as      ${ownerEmail}`,
		`   password        ${ownerPassword}`,
		`   (set DEMO_OWNER_EMAIL / DEMO_OWNER_PASSWORD to choose them; kept in ${rel(SECRETS_FILE)})`,
		` ticket sink       ${sink.url}  (tickets are printed here as they arrive)`,
	];
	if (sim) {
		lines.push(
			` simulated tenant  sign-in ${sim.authorityHost}   Graph ${sim.graphEndpoint}`,
			`                   Defender for Endpoint ${sim.mdeEndpoint}   managed identity ${sim.identityEndpoint}`,
			'',
			' Credentials (Overview → Credentials):',
			'   Simulated tenant: app (client secret)   used by the example workflows',
			'   Simulated tenant: app (certificate)',
			'   Simulated tenant: device code sign-in',
			'   Simulated tenant: managed identity',
		);
	} else {
		lines.push(` real tenant       ${real.credential.data.tenantId} (cloud ${real.credential.data.cloud}), credential "${real.credential.name}"`);
	}
	lines.push(
		'',
		' Example workflows (Overview → Workflows):',
		'   Defender: new high-severity incident → create ticket   published: polls every minute',
		'   Defender: new high-severity alert → ticket with device and file   published: polls every minute',
		'   Defender: hunting query → summary                       open it, click "Execute workflow"',
		'   Defender: close false positives (active informational incidents)',
	);
	if (!sim) lines.push('     (resolves your tenant\'s active informational incidents when you run it: look before you click)');
	if (sim) {
		lines.push(
			'   Defender: newest incidents as a signed-in user (device code)',
			'   Defender: newest high-severity alert → isolate its device   (Defender for Endpoint; waits until done)',
			'',
			' Templates from examples/ (not published: publish one to try it; its ticket and chat messages print here):',
			...templates.map((name) => `   ${name}`),
			'',
			' Try it:',
			'   new high-severity incident (a ticket prints here within a minute):',
			'     node demo/sim-control.js incident --severity high',
			'   new high-severity alert (a ticket with its device and file prints within a minute):',
			'     node demo/sim-control.js alert --severity high',
			'   device code sign-in: run the device-code workflow; its error shows a code. Enter it at',
			`     ${sim.authorityHost}/devicelogin  (the sim's own CA, so the browser warns: continue)`,
			'     or approve it from a shell:  node demo/sim-control.js approve',
			'     then run the workflow again: it is signed in from now on.',
			'   make access tokens expire (the node refreshes them):  node demo/sim-control.js expire-tokens',
		);
	}
	lines.push(
		'',
		` n8n log: ${logFile ? rel(logFile) : rel(LOG_DIR)}`,
		' Stop: Ctrl-C (stops n8n, the simulated tenant and the ticket sink).  Start over: npm start -- --reset',
		'================================================================================',
		'',
	);
	say(lines.join('\n'));
}

main().catch((error) => {
	process.stderr.write(`[demo] ${error instanceof DemoError ? error.message : error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
