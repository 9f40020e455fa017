'use strict';
// Drives the n8n editor in Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) with puppeteer-core:
// no browser is downloaded. Used by the editor e2e test (test/e2e/editor.e2e.test.ts) and by
// scripts/screenshots.js (the template screenshots in docs/). Every wait has a deadline.

const fs = require('node:fs');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const VIEWPORT = { width: 1440, height: 900 };
const CREDENTIAL_DIALOG = '[data-test-id="credential-edit-dialog"]';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the browser the tests need is installed (the test fails with this message when it is not). */
function chromiumMissing() {
	return fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`;
}

class Editor {
	/**
	 * @param {string} baseUrl e.g. http://127.0.0.1:5678
	 * @param {string} shotsDir where screenshots go (created)
	 */
	static async open(baseUrl, shotsDir) {
		const missing = chromiumMissing();
		if (missing) throw new Error(missing);
		fs.mkdirSync(shotsDir, { recursive: true });
		const browser = await puppeteer.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--no-sandbox', '--disable-dev-shm-usage', `--window-size=${VIEWPORT.width},${VIEWPORT.height}`],
			protocolTimeout: 60_000,
		});
		const page = await browser.newPage();
		await page.setViewport(VIEWPORT);
		page.setDefaultTimeout(30_000);
		page.setDefaultNavigationTimeout(60_000);
		return new Editor(browser, page, baseUrl, shotsDir);
	}

	constructor(browser, page, baseUrl, shotsDir) {
		this.browser = browser;
		this.page = page;
		this.baseUrl = baseUrl;
		this.shotsDir = shotsDir;
		this.shots = [];
	}

	/** Saves a screenshot `<name>.png` (whole viewport, or one element) and returns its path. */
	async shot(name, element) {
		const file = path.join(this.shotsDir, `${name}.png`);
		await (element ?? this.page).screenshot({ path: file });
		this.shots.push(file);
		return file;
	}

	async signIn(email, password) {
		await this.page.goto(`${this.baseUrl}/signin`, { waitUntil: 'networkidle2' });
		await this.page.waitForSelector('input[type=email], input[name=emailOrLdapLoginId], input[name=email]');
		await this.page.type('input[type=email], input[name=emailOrLdapLoginId], input[name=email]', email);
		await this.page.type('input[type=password]', password);
		await Promise.all([
			this.page.waitForNavigation({ waitUntil: 'networkidle2' }).catch(() => undefined),
			this.page.keyboard.press('Enter'),
		]);
		await this.page.waitForFunction(() => !location.pathname.startsWith('/signin'), { timeout: 30_000 });
	}

	/** Opens a workflow and waits until its nodes are drawn on the canvas. */
	async openWorkflow(id) {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`, { waitUntil: 'networkidle2' });
		await this.page.waitForSelector('.vue-flow__node');
		await sleep(1000); // the canvas fits the view after the nodes appear
		await this.dismissPopups();
	}

	/** Closes what n8n may show on a first visit (e.g. a "what's new" or survey dialog). */
	async dismissPopups() {
		await this.page.keyboard.press('Escape');
		await sleep(300);
	}

	/** The canvas node whose label contains `name`. */
	async canvasNode(name) {
		const handle = await this.page.waitForFunction(
			(label) => [...document.querySelectorAll('.vue-flow__node')].find((n) => n.textContent.includes(label)),
			{ timeout: 30_000 },
			name,
		);
		return handle.asElement();
	}

	/** Opens a node's panel (NDV) by double-clicking it on the canvas. */
	async openNode(name) {
		const node = await this.canvasNode(name);
		const box = await node.boundingBox();
		await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { clickCount: 2 });
		await this.page.waitForSelector('[data-test-id="ndv"]');
		await sleep(800);
	}

	/** Opens the node picker ("What happens next?") with the canvas's + button. */
	async openNodePicker() {
		await this.page.click('[data-test-id="node-creator-plus-button"]');
		await this.page.waitForSelector('[data-test-id="node-creator-search-bar"]');
		await sleep(500);
	}

	/**
	 * Searches the node picker for `search`, opens the entry named `nodeName` and reads its actions panel:
	 * `heading` is n8n's "Actions (N)", `actions` every action line under it (one per entry shown).
	 */
	async pickerActions(search, nodeName) {
		await this.openNodePicker();
		await this.page.type('[data-test-id="node-creator-search-bar"]', search, { delay: 20 });
		const entry = await this.page.waitForFunction(
			(name) => [...document.querySelectorAll('[data-test-id="node-creator-item-name"]')].find((e) => e.innerText.trim() === name),
			{ timeout: 30_000 },
			nodeName,
		);
		await entry.asElement().click();
		await this.waitForText(/Actions \(\d+\)/, { selector: '[data-test-id="node-creator"]' });
		await sleep(500);
		const text = await this.text('[data-test-id="node-creator"]');
		const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
		const start = lines.findIndex((line) => /^Actions \(\d+\)$/.test(line));
		const end = lines.findIndex((line, i) => i > start && /^Triggers \(\d+\)$/.test(line));
		const actions = lines
			.slice(start + 1, end === -1 ? undefined : end)
			// the group headings ("INCIDENT ACTIONS"), shown in capitals
			.filter((line) => !/^[A-Z0-9 -]+ ACTIONS$/.test(line));
		return { heading: lines[start], actions };
	}

	/** Sets an options parameter (credential dialog or node panel) by the label of one of its options. */
	async selectOption(parameter, label, { within = 'body' } = {}) {
		const select = `${within} [data-test-id="parameter-input-${parameter}"]`;
		await this.page.click(select);
		// the option once the opening list has stopped moving (a click during its animation lands elsewhere)
		const option = await this.page.waitForFunction(
			(name) => {
				const item = [...document.querySelectorAll('[data-test-id="parameter-input-item"]')].find(
					(i) => i.offsetParent !== null && i.innerText.split('\n')[0].trim() === name,
				);
				if (!item) return undefined;
				const box = item.getBoundingClientRect();
				const where = `${box.x},${box.y},${box.width},${box.height}`;
				const still = item.dataset.e2eWhere === where && box.height > 0;
				item.dataset.e2eWhere = where;
				return still ? item : undefined;
			},
			{ timeout: 15_000, polling: 100 },
			label,
		);
		await option.asElement().click();
		await this.page
			.waitForFunction((scope, name) => document.querySelector(`${scope} input`)?.value === name, { timeout: 10_000 }, select, label)
			.catch(async () => {
				const shown = await this.page.$eval(`${select} input`, (input) => input.value).catch(() => '?');
				throw new Error(`${parameter}: chose "${label}", the field shows "${shown}"`);
			});
		await sleep(300);
	}

	/** Replaces the text of a string parameter (credential dialog or node panel). */
	async fillParameter(parameter, value, { within = 'body' } = {}) {
		const input = `${within} [data-test-id="parameter-input-${parameter}"] input`;
		await this.page.waitForSelector(input, { visible: true, timeout: 15_000 });
		await this.page.click(input, { clickCount: 3 });
		await this.page.keyboard.down('Control');
		await this.page.keyboard.press('a');
		await this.page.keyboard.up('Control');
		await this.page.keyboard.press('Backspace');
		await this.page.type(input, value);
		await this.page.keyboard.press('Tab'); // n8n takes the value when the input loses focus
		await sleep(200);
	}

	/** The values the inputs of a form show, by parameter name (only string parameters with a text input). */
	async parameterValues(within) {
		return await this.page.$$eval(`${within} [data-parameter-path] input[type=text]`, (inputs) =>
			Object.fromEntries(
				inputs.filter((input) => input.offsetParent !== null).map((input) => [input.closest('[data-parameter-path]').getAttribute('data-parameter-path'), input.value]),
			),
		);
	}

	/**
	 * Overview → Credentials → Create credential: picks the credential type by its display name and
	 * continues to the credential dialog.
	 */
	async openNewCredential(typeDisplayName) {
		await this.page.goto(`${this.baseUrl}/home/credentials`, { waitUntil: 'networkidle2' });
		await this.dismissPopups();
		await this.page.click('[data-test-id="add-resource-credential"]');
		const search = '[data-test-id="new-credential-type-select"] input';
		await this.page.waitForSelector(search, { visible: true, timeout: 15_000 });
		await this.page.type(search, typeDisplayName, { delay: 10 });
		const option = await this.page.waitForFunction(
			// once the list is filtered (every option shown matches), else the click may land on another one
			(name) => {
				const shown = [...document.querySelectorAll('[data-test-id="new-credential-type-select-option"]')].filter((o) => o.offsetParent !== null);
				return shown.length > 0 && shown.every((o) => o.innerText.includes(name)) ? shown.find((o) => o.innerText.trim() === name) : undefined;
			},
			{ timeout: 15_000 },
			typeDisplayName,
		);
		await option.asElement().click();
		const chosen = await this.page.$eval(search, (input) => input.value);
		if (chosen !== typeDisplayName) throw new Error(`the credential type picker chose "${chosen}", not "${typeDisplayName}"`);
		// the list lies over the Continue button until it has closed
		await this.page.waitForFunction(
			() => [...document.querySelectorAll('[data-test-id="new-credential-type-select-option"]')].every((o) => o.offsetParent === null || o.getBoundingClientRect().height === 0),
			{ timeout: 15_000 },
		);
		await sleep(300);
		await this.page.click('[data-test-id="new-credential-type-button"]');
		await this.page.waitForSelector('[data-test-id="credential-save-button"]', { visible: true, timeout: 15_000 });
		await sleep(500);
	}

	/**
	 * Presses the credential dialog's Save; n8n then runs the connection test. Resolves the test's answer to
	 * the editor (POST /rest/credentials/test: `{ status, message }`) once the dialog shows its banner.
	 */
	async saveCredential() {
		return await this.credentialTest(() => this.page.click('[data-test-id="credential-save-button"]'));
	}

	/** Presses Retry in the credential dialog's banner; resolves the connection test's answer (as saveCredential). */
	async retryCredentialTest() {
		return await this.credentialTest(() => this.clickButton(/^Retry$/, { within: CREDENTIAL_DIALOG }));
	}

	async credentialTest(press) {
		const answer = this.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/rest/credentials/test', { timeout: 60_000 });
		await press();
		const response = await answer;
		const result = (await response.json()).data;
		// the banner follows the answer (n8n also shows a spinner while the test runs)
		await this.page.waitForFunction(
			(dialog) => [...document.querySelectorAll(`${dialog} .el-tag`)].some((tag) => tag.offsetParent !== null && !/Retrying/.test(tag.innerText)),
			{ timeout: 15_000 },
			CREDENTIAL_DIALOG,
		);
		await sleep(300);
		return result;
	}

	/** The visible text of the credential dialog's banner (the connection test's result), '' when none is shown. */
	async credentialBanner() {
		return await this.page.$$eval(`${CREDENTIAL_DIALOG} .el-tag`, (tags) =>
			tags
				.filter((tag) => tag.offsetParent !== null)
				.map((tag) => tag.innerText.trim())
				.join('\n'),
		);
	}

	/** Opens "More details" in the credential dialog's red banner (n8n shows the test's message there). */
	async expandCredentialDetails() {
		const link = await this.page.waitForFunction(
			(dialog) => [...document.querySelectorAll(`${dialog} .el-tag a`)].find((a) => a.offsetParent !== null && a.innerText.trim() === 'More details'),
			{ timeout: 15_000 },
			CREDENTIAL_DIALOG,
		);
		await link.asElement().click();
		await this.page.waitForFunction(
			(dialog) => [...document.querySelectorAll(`${dialog} .el-tag a`)].every((a) => a.offsetParent === null || a.innerText.trim() !== 'More details'),
			{ timeout: 15_000 },
			CREDENTIAL_DIALOG,
		);
	}

	/** Closes the credential dialog with its × button (Escape when none is found). */
	async closeCredentialDialog() {
		const close = await this.page.evaluateHandle((dialog) => {
			const modal = document.querySelector(dialog)?.closest('.el-dialog, [role=dialog]');
			return modal?.querySelector('.el-dialog__headerbtn, [aria-label="Close"], [aria-label="close"], [data-test-id="dialog-close-button"]') ?? null;
		}, CREDENTIAL_DIALOG);
		const button = close.asElement();
		if (button) await button.click();
		else await this.page.keyboard.press('Escape');
		await this.page.waitForFunction((dialog) => !document.querySelector(dialog)?.offsetParent, { timeout: 15_000 }, CREDENTIAL_DIALOG);
	}

	/** Closes the node panel (NDV) with its close button. */
	async closeNode() {
		await this.page.click('[data-test-id="ndv-close-button"]');
		await this.page.waitForFunction(() => !document.querySelector('[data-test-id="ndv"]')?.offsetParent, { timeout: 15_000 });
		await sleep(500);
	}

	/** The labels of the nodes on the canvas, in document order. */
	async canvasNodeNames() {
		return await this.page.$$eval('.vue-flow__node [data-test-id="canvas-node"]', (nodes) => nodes.map((n) => n.getAttribute('data-node-name')));
	}

	/** Clicks the first button whose text matches. */
	async clickButton(pattern, { within = 'body' } = {}) {
		const handle = await this.page.waitForFunction(
			(source, flags, scope) => {
				const re = new RegExp(source, flags);
				const root = document.querySelector(scope) ?? document.body;
				return [...root.querySelectorAll('button')].find((b) => re.test(b.textContent.trim()) && b.offsetParent !== null);
			},
			{ timeout: 30_000 },
			pattern.source,
			pattern.flags,
			within,
		);
		await handle.asElement().click();
	}

	/** The visible text of the page (or of the first element matching `selector`). */
	async text(selector = 'body') {
		return await this.page.$eval(selector, (el) => el.innerText);
	}

	async waitForText(pattern, { selector = 'body', timeout = 30_000 } = {}) {
		await this.page.waitForFunction(
			(source, flags, scope) => {
				const el = document.querySelector(scope);
				return el !== null && new RegExp(source, flags).test(el.innerText);
			},
			{ timeout },
			pattern.source,
			pattern.flags,
			selector,
		);
	}

	async close() {
		await this.browser.close();
	}
}

module.exports = { Editor, chromiumMissing, sleep };
