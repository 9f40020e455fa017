'use strict';
// Drives the n8n editor in Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) with puppeteer-core:
// no browser is downloaded. Used by the editor e2e test (test/e2e/editor.e2e.test.ts) and by
// scripts/screenshots.js (the template screenshots in docs/). Every wait has a deadline.

const fs = require('node:fs');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const VIEWPORT = { width: 1440, height: 900 };

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
