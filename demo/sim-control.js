#!/usr/bin/env node
'use strict';
// Pokes the demo's simulated tenant (started by `npm start`) through its control API.
//   node demo/sim-control.js incident [--severity high] [--title "..."] [--count N]   new incident(s)
//   node demo/sim-control.js alert [--severity high] [--incident ID] [--count N]     new alert(s) with evidence
//   node demo/sim-control.js approve [CODE]        approve a device-code sign-in (the newest when no code)
//   node demo/sim-control.js expire-tokens         make every access token expire (shows refresh at work)
//   node demo/sim-control.js requests              the sim's request log, one line each (no bodies)

const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');

const INFO_FILE = process.env.DEMO_SIM_INFO || path.join(__dirname, '.work', 'sim', 'info.json');

/** JSON request to the sim's control API; resolves the parsed answer. */
function control(info, method, route, body) {
	const url = new URL(`${info.controlUrl}${route}`);
	const ca = fs.readFileSync(info.caCertPath);
	return new Promise((resolve, reject) => {
		const req = https.request(url, { method, ca, headers: { 'content-type': 'application/json' } }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (text += chunk));
			res.on('end', () => {
				if (res.statusCode >= 400) return reject(new Error(`${method} ${route}: HTTP ${res.statusCode} ${text}`));
				resolve(text ? JSON.parse(text) : undefined);
			});
		});
		req.on('error', reject);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

function readInfo() {
	if (!fs.existsSync(INFO_FILE)) {
		throw new Error(`The simulated tenant is not running (no ${INFO_FILE}): start the demo with npm start`);
	}
	return JSON.parse(fs.readFileSync(INFO_FILE, 'utf8'));
}

function option(args, name) {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv) {
	const [command, ...args] = argv;
	const info = readInfo();
	switch (command) {
		case 'incident': {
			const partial = {};
			if (option(args, 'severity')) partial.severity = option(args, 'severity');
			partial.status = option(args, 'status') || 'active';
			if (option(args, 'title')) partial.displayName = option(args, 'title');
			const count = Number(option(args, 'count') || 1);
			const created = await control(info, 'POST', '/incidents', count > 1 ? { count, ...partial } : partial);
			for (const incident of created.value || [created]) {
				console.log(`created incident ${incident.id} [${incident.severity}, ${incident.status}] ${incident.displayName}`);
			}
			return;
		}
		case 'alert': {
			const partial = {};
			if (option(args, 'severity')) partial.severity = option(args, 'severity');
			if (option(args, 'incident')) partial.incidentId = option(args, 'incident');
			if (option(args, 'title')) partial.title = option(args, 'title');
			const count = Number(option(args, 'count') || 1);
			const created = await control(info, 'POST', '/alerts', count > 1 ? { count, ...partial } : partial);
			for (const alert of created.value || [created]) {
				console.log(`created alert ${alert.id} [${alert.severity}, ${alert.status}] in incident ${alert.incidentId}: ${alert.title}`);
			}
			return;
		}
		case 'approve': {
			const result = await control(info, 'POST', '/device-codes/approve', args[0] ? { userCode: args[0] } : {});
			console.log(`approved sign-in ${result && result.userCode ? result.userCode : ''}`.trim());
			return;
		}
		case 'expire-tokens':
			await control(info, 'POST', '/tokens/expire', {});
			console.log('every access token issued so far is now expired');
			return;
		case 'requests': {
			const { value: requests } = await control(info, 'GET', '/requests');
			for (const r of requests) console.log(`${r.time} ${r.server.padEnd(8)} ${r.method.padEnd(6)} ${r.status} ${r.path}`);
			return;
		}
		default:
			console.log('usage: node demo/sim-control.js incident [--severity S] [--status S] [--title T] [--count N] | alert [--severity S] [--incident ID] [--title T] [--count N] | approve [CODE] | expire-tokens | requests');
			process.exitCode = command ? 1 : 0;
	}
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((error) => {
		console.error(`sim-control: ${error.message}`);
		process.exit(1);
	});
}

module.exports = { control, readInfo };
