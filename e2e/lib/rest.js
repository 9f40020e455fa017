'use strict';
// n8n's own REST API (what the editor calls) on a running `n8n start`, as the instance owner: for what
// the CLI cannot do, e.g. the credential editor's "Test" button (POST /rest/credentials/test).
// Works on n8n 1.x and 2.x: the owner is set up with POST /rest/owner/setup on a new database.

const http = require('node:http');

/** The owner account of e2e instances (test-only; n8n wants 8+ characters, a digit and a capital). */
const E2E_OWNER = { email: 'owner@e2e.example.com', firstName: 'E2e', lastName: 'Owner', password: 'E2e-Owner-Password-1' };

class N8nRestClient {
	/** @param {number} port  the instance's N8N_PORT (N8nInstance.port) */
	constructor(port) {
		this.port = port;
		this.cookie = '';
	}

	/** One request; resolves { status, json, text } (never rejects on an HTTP error status). */
	request(method, route, body, { timeoutMs = 60000 } = {}) {
		return new Promise((resolve, reject) => {
			const req = http.request(
				{ host: '127.0.0.1', port: this.port, method, path: route, headers: { 'content-type': 'application/json', cookie: this.cookie } },
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (chunk) => (text += chunk));
					res.on('end', () => {
						const setCookie = res.headers['set-cookie'];
						if (setCookie) this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
						let json;
						try {
							json = JSON.parse(text);
						} catch {
							json = undefined;
						}
						resolve({ status: res.statusCode, json, text });
					});
				},
			);
			req.setTimeout(timeoutMs, () => req.destroy(new Error(`n8n ${method} ${route}: no answer within ${timeoutMs} ms`)));
			req.on('error', reject);
			req.end(body === undefined ? undefined : JSON.stringify(body));
		});
	}

	/**
	 * Waits until the REST API answers (GET /rest/settings, public): n8n 1.x reports ready on
	 * /healthz/readiness before it has mounted its REST routes (they answer 404 for a moment).
	 */
	async waitForRestApi(timeoutMs = 60000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const settings = await this.request('GET', '/rest/settings').catch(() => ({ status: 0 }));
			if (settings.status === 200) return;
			if (Date.now() > deadline) throw new Error(`n8n's REST API did not answer within ${timeoutMs} ms (last: GET /rest/settings ${settings.status})`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/**
	 * One execution's state as the editor's executions list shows it: { id, status, finished, mode,
	 * waitTill, stoppedAt } (status: new, running, waiting, success, error, canceled, crashed).
	 */
	async execution(id) {
		const answer = await this.request('GET', `/rest/executions/${encodeURIComponent(id)}`);
		if (answer.status !== 200 || !answer.json || !answer.json.data) {
			throw new Error(`GET /rest/executions/${id} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
		}
		const { status, finished, mode, waitTill, stoppedAt } = answer.json.data;
		return { id: String(id), status, finished, mode, waitTill, stoppedAt };
	}

	/** Sets up the owner account (new database) and keeps its session cookie; signs in when already set up. */
	async signInAsOwner(owner = E2E_OWNER) {
		await this.waitForRestApi();
		const setup = await this.request('POST', '/rest/owner/setup', owner);
		if (setup.status === 200) return setup.json.data;
		const login = await this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
		if (login.status !== 200) throw new Error(`n8n owner setup answered ${setup.status} (${setup.text.slice(0, 300)}), login ${login.status} (${login.text.slice(0, 300)})`);
		return login.json.data;
	}

	/**
	 * The credential editor's "Test" button on a stored credential, as the editor does it: read the
	 * credential (n8n redacts its secrets), send it back to POST /rest/credentials/test (n8n puts the stored
	 * secrets back in). Resolves n8n's { status: 'OK' | 'Error', message }.
	 */
	async testStoredCredential(id) {
		const stored = await this.request('GET', `/rest/credentials/${encodeURIComponent(id)}?includeData=true`);
		if (stored.status !== 200 || !stored.json || !stored.json.data) {
			throw new Error(`GET /rest/credentials/${id} answered ${stored.status}: ${stored.text.slice(0, 500)}`);
		}
		const { name, type, data } = stored.json.data;
		const response = await this.request('POST', '/rest/credentials/test', { credentials: { id, name, type, data } });
		if (response.status !== 200 || !response.json || !response.json.data) {
			throw new Error(`POST /rest/credentials/test for ${name} answered ${response.status}: ${response.text.slice(0, 500)}`);
		}
		return response.json.data;
	}
}

module.exports = { E2E_OWNER, N8nRestClient };
