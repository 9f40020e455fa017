// @ts-check
'use strict';

/**
 * A small KQL subset over generated advanced-hunting tables:
 *   Table | where <expr> | take N | limit N | project a, b | count | summarize count() by A, B
 *         | sort by A [asc|desc] | order by ... | top N by A [asc|desc] | distinct A, B
 * where-expressions: == != =~ !~ > < >= <= contains !contains has !has startswith endswith in (..) !in (..),
 * and / or / not(), parentheses; literals "x" 'x' 12 true false datetime(...) ago(7d) now().
 */

const { hash32 } = require('./util');

class KqlError extends Error {}

const DAY = 24 * 3600 * 1000;
const DEVICES = Array.from({ length: 40 }, (_, i) => `ws-${String(i + 1).padStart(3, '0')}.contoso.local`);
const DEVICE_IDS = DEVICES.map((_, d) => hash32(d + 1).toString(16).padStart(8, '0') + 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');
const USERS = ['kai.carter', 'alex.wilber', 'megan.bowen', 'adele.vance', 'lee.gu', 'nestor.wilke', 'diego.siciliani', 'svc-backup'];
const PROCS = ['powershell.exe', 'cmd.exe', 'rundll32.exe', 'svchost.exe', 'explorer.exe', 'chrome.exe', 'winword.exe', 'certutil.exe', 'msedge.exe', 'regsvr32.exe'];
const CMDS = ['-enc SQBFAFgA', '/c whoami', 'shell32.dll,Control_RunDLL', '-k netsvcs', '', '--type=renderer', '/n report.docx', '-urlcache -f http://198.51.100.7/a.exe', '--profile-directory=Default', '/s scrobj.dll'];
const URLS = ['login.microsoftonline.com', 'contoso.sharepoint.com', 'evil.example.net', 'update.example.org', 'cdn.example.com'];
const SUBJECTS = ['Invoice overdue', 'Your password expires today', 'Team lunch', 'Quarterly report', 'Shared document: budget.xlsx'];
const ALERT_TITLES = ['Suspicious PowerShell command line', 'Ransomware behavior detected', 'Phishing email delivered', 'Unusual sign-in', 'Credential dumping'];

/**
 * @typedef {{ name: string, type: 'DateTime' | 'String' | 'Int32' | 'Int64' | 'Boolean' | 'Double' }} Column
 * @typedef {{ name: string, columns: Column[], rowCount: number, rowAt: (i: number) => Record<string, any> }} Table
 */

/**
 * @param {string} name
 * @param {Column[]} columns
 * @param {(h: (k: number) => number, i: number) => Record<string, any>} gen
 * @param {number} seed
 * @returns {(rowCount: number, startMs: number) => Table}
 */
function tableFactory(name, columns, gen, seed) {
	return (rowCount, startMs) => {
		/** @type {Record<string, any>[]} generated rows, kept (tables are read-only) */
		const made = [];
		return {
		name,
		columns,
		rowCount,
		rowAt(i) {
			const cachedRow = made[i];
			if (cachedRow) return cachedRow;
			const base = hash32(i * 7919 + seed);
			const h = (/** @type {number} */ k) => hash32(base + k * 104729);
			const row = gen(h, i);
			// Newest first, spread evenly over the last 30 days.
			row.Timestamp = new Date(startMs - Math.floor(((i + 0.5) * 30 * DAY) / Math.max(rowCount, 1))).toISOString();
			made[i] = row;
			return row;
		},
		};
	};
}

/** @param {string[]} a @param {number} x */
const pick = (a, x) => a[x % a.length];

const FACTORIES = {
	DeviceProcessEvents: tableFactory(
		'DeviceProcessEvents',
		[
			{ name: 'Timestamp', type: 'DateTime' }, { name: 'DeviceId', type: 'String' }, { name: 'DeviceName', type: 'String' },
			{ name: 'ActionType', type: 'String' }, { name: 'FileName', type: 'String' }, { name: 'FolderPath', type: 'String' },
			{ name: 'ProcessCommandLine', type: 'String' }, { name: 'AccountName', type: 'String' }, { name: 'AccountDomain', type: 'String' },
			{ name: 'InitiatingProcessFileName', type: 'String' }, { name: 'ProcessId', type: 'Int64' }, { name: 'ReportId', type: 'Int64' },
		],
		(h, i) => {
			const d = h(1) % DEVICES.length;
			const f = pick(PROCS, h(2));
			return {
				Timestamp: '', DeviceId: DEVICE_IDS[d], DeviceName: DEVICES[d],
				ActionType: 'ProcessCreated', FileName: f, FolderPath: `C:\\Windows\\System32\\${f}`,
				ProcessCommandLine: `${f} ${pick(CMDS, h(3))}`.trim(), AccountName: pick(USERS, h(4)), AccountDomain: 'contoso',
				InitiatingProcessFileName: pick(PROCS, h(5)), ProcessId: 1000 + (h(6) % 60000), ReportId: i + 1,
			};
		},
		11,
	),
	DeviceNetworkEvents: tableFactory(
		'DeviceNetworkEvents',
		[
			{ name: 'Timestamp', type: 'DateTime' }, { name: 'DeviceId', type: 'String' }, { name: 'DeviceName', type: 'String' },
			{ name: 'ActionType', type: 'String' }, { name: 'RemoteIP', type: 'String' }, { name: 'RemotePort', type: 'Int32' },
			{ name: 'RemoteUrl', type: 'String' }, { name: 'LocalIP', type: 'String' }, { name: 'Protocol', type: 'String' },
			{ name: 'InitiatingProcessFileName', type: 'String' }, { name: 'ReportId', type: 'Int64' },
		],
		(h, i) => {
			const d = h(1) % DEVICES.length;
			return {
				Timestamp: '', DeviceId: DEVICE_IDS[d], DeviceName: DEVICES[d],
				ActionType: pick(['ConnectionSuccess', 'ConnectionFailed', 'InboundConnectionAccepted'], h(2)),
				RemoteIP: `198.51.100.${h(3) % 254 + 1}`, RemotePort: [443, 80, 445, 3389, 53][h(4) % 5],
				RemoteUrl: pick(URLS, h(5)), LocalIP: `10.0.${h(6) % 8}.${h(7) % 254 + 1}`, Protocol: pick(['Tcp', 'Udp'], h(8)),
				InitiatingProcessFileName: pick(PROCS, h(9)), ReportId: i + 1,
			};
		},
		23,
	),
	EmailEvents: tableFactory(
		'EmailEvents',
		[
			{ name: 'Timestamp', type: 'DateTime' }, { name: 'NetworkMessageId', type: 'String' }, { name: 'InternetMessageId', type: 'String' },
			{ name: 'SenderFromAddress', type: 'String' }, { name: 'RecipientEmailAddress', type: 'String' }, { name: 'Subject', type: 'String' },
			{ name: 'EmailDirection', type: 'String' }, { name: 'DeliveryAction', type: 'String' }, { name: 'ThreatTypes', type: 'String' },
			{ name: 'AttachmentCount', type: 'Int32' }, { name: 'ReportId', type: 'Int64' },
		],
		(h, i) => {
			const phish = h(1) % 10 === 0;
			return {
				Timestamp: '', NetworkMessageId: `${hash32(i).toString(16).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
				InternetMessageId: `<msg${i}@mail.example.com>`, SenderFromAddress: phish ? 'billing@evil.example.net' : `${pick(USERS, h(2))}@contoso.com`,
				RecipientEmailAddress: `${pick(USERS, h(3))}@contoso.com`, Subject: pick(SUBJECTS, h(4)), EmailDirection: phish ? 'Inbound' : 'Intra-org',
				DeliveryAction: phish && h(5) % 2 ? 'Blocked' : 'Delivered', ThreatTypes: phish ? 'Phish' : '', AttachmentCount: h(6) % 3, ReportId: i + 1,
			};
		},
		37,
	),
	IdentityLogonEvents: tableFactory(
		'IdentityLogonEvents',
		[
			{ name: 'Timestamp', type: 'DateTime' }, { name: 'ActionType', type: 'String' }, { name: 'LogonType', type: 'String' },
			{ name: 'Protocol', type: 'String' }, { name: 'AccountUpn', type: 'String' }, { name: 'AccountName', type: 'String' },
			{ name: 'AccountDomain', type: 'String' }, { name: 'DeviceName', type: 'String' }, { name: 'IPAddress', type: 'String' },
			{ name: 'Location', type: 'String' }, { name: 'Application', type: 'String' }, { name: 'FailureReason', type: 'String' },
		],
		(h) => {
			const fail = h(1) % 7 === 0;
			const u = pick(USERS, h(2));
			return {
				Timestamp: '', ActionType: fail ? 'LogonFailed' : 'LogonSuccess', LogonType: pick(['Interactive', 'Network', 'Resource access'], h(3)),
				Protocol: pick(['Kerberos', 'Ntlm', 'OAuth2'], h(4)), AccountUpn: `${u}@contoso.com`, AccountName: u, AccountDomain: 'contoso.com',
				DeviceName: pick(DEVICES, h(5)), IPAddress: `203.0.113.${h(6) % 254 + 1}`, Location: pick(['NL', 'US', 'DE', 'BR'], h(7)),
				Application: pick(['Active Directory', 'Microsoft 365', 'Azure Portal'], h(8)), FailureReason: fail ? 'WrongPassword' : '',
			};
		},
		41,
	),
	AlertInfo: tableFactory(
		'AlertInfo',
		[
			{ name: 'Timestamp', type: 'DateTime' }, { name: 'AlertId', type: 'String' }, { name: 'Title', type: 'String' },
			{ name: 'Category', type: 'String' }, { name: 'Severity', type: 'String' }, { name: 'ServiceSource', type: 'String' },
			{ name: 'DetectionSource', type: 'String' }, { name: 'AttackTechniques', type: 'String' },
		],
		(h, i) => ({
			Timestamp: '', AlertId: `da${String(i + 1).padStart(10, '0')}`, Title: pick(ALERT_TITLES, h(1)),
			Category: pick(['Execution', 'InitialAccess', 'CredentialAccess', 'Ransomware'], h(2)), Severity: pick(['Informational', 'Low', 'Medium', 'High'], h(3)),
			ServiceSource: pick(['Microsoft Defender for Endpoint', 'Microsoft Defender for Office 365', 'Microsoft Defender for Identity'], h(4)),
			DetectionSource: pick(['EDR', 'Antivirus', 'Custom detection'], h(5)), AttackTechniques: '["PowerShell (T1059.001)"]',
		}),
		53,
	),
};

const DEFAULT_ROWS = { DeviceProcessEvents: 200, DeviceNetworkEvents: 200, EmailEvents: 100, IdentityLogonEvents: 100, AlertInfo: 50 };

class HuntingData {
	/** @param {number} startMs */
	constructor(startMs) {
		this.startMs = startMs;
		/** @type {Record<string, number>} */
		this.rows = { ...DEFAULT_ROWS };
		/** @type {Map<string, Table>} */
		this.cache = new Map();
		/** bumped when data changes, so answers cached by callers can be dropped */
		this.version = 0;
	}
	/** @param {string} table @param {number} n */
	setRows(table, n) {
		this.version++;
		if (!(table in FACTORIES)) throw new Error(`Unknown hunting table '${table}'. Known: ${Object.keys(FACTORIES).join(', ')}`);
		this.rows[table] = n;
		this.cache.delete(table);
	}
	/** @param {string} name */
	table(name) {
		if (!(name in FACTORIES)) return undefined;
		let t = this.cache.get(name);
		if (!t) {
			t = /** @type {Record<string, any>} */ (FACTORIES)[name](this.rows[name], this.startMs);
			this.cache.set(/** @type {string} */ (name), /** @type {Table} */ (t));
		}
		return /** @type {Table} */ (t);
	}
}

// ---------------------------------------------------------------- tokenizer

/** @typedef {{ t: 'dt' | 'id' | 'str' | 'num' | 'span' | 'op' | 'pipe' | 'comma' | 'lp' | 'rp' | 'eof', v: string, pos: number }} Tok */

/** @param {string} q @returns {Tok[]} */
function tokenize(q) {
	/** @type {Tok[]} */
	const out = [];
	let i = 0;
	while (i < q.length) {
		const c = q[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '/' && q[i + 1] === '/') {
			while (i < q.length && q[i] !== '\n') i++;
			continue;
		}
		if (c === '"' || c === "'") {
			let j = i + 1;
			let s = '';
			while (j < q.length && q[j] !== c) {
				if (q[j] === '\\' && j + 1 < q.length) {
					s += q[j + 1];
					j += 2;
					continue;
				}
				s += q[j++];
			}
			if (j >= q.length) throw syntaxError(q, i);
			out.push({ t: 'str', v: s, pos: i });
			i = j + 1;
			continue;
		}
		const span = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)\b/.exec(q.slice(i));
		if (span) {
			out.push({ t: 'span', v: span[0], pos: i });
			i += span[0].length;
			continue;
		}
		const num = /^\d+(\.\d+)?/.exec(q.slice(i));
		if (num) {
			out.push({ t: 'num', v: num[0], pos: i });
			i += num[0].length;
			continue;
		}
		const dt = /^datetime\s*\(([^)]*)\)/.exec(q.slice(i));
		if (dt) {
			out.push({ t: 'dt', v: dt[1].trim(), pos: i });
			i += dt[0].length;
			continue;
		}
		const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i));
		if (id) {
			out.push({ t: 'id', v: id[0], pos: i });
			i += id[0].length;
			continue;
		}
		const op = /^(==|!=|=~|!~|>=|<=|>|<|=|!(?=[a-z]))/.exec(q.slice(i));
		if (op) {
			out.push({ t: 'op', v: op[0], pos: i });
			i += op[0].length;
			continue;
		}
		if (c === '|') out.push({ t: 'pipe', v: c, pos: i });
		else if (c === ',') out.push({ t: 'comma', v: c, pos: i });
		else if (c === '(') out.push({ t: 'lp', v: c, pos: i });
		else if (c === ')') out.push({ t: 'rp', v: c, pos: i });
		else throw syntaxError(q, i);
		i++;
	}
	out.push({ t: 'eof', v: '', pos: q.length });
	return out;
}

/** @param {string} q @param {number} pos */
function syntaxError(q, pos) {
	const before = q.slice(0, pos);
	const line = before.split('\n').length;
	const col = pos - before.lastIndexOf('\n');
	const tokenText = (/^\S+/.exec(q.slice(pos)) || [''])[0] || '<end of query>';
	return new KqlError(`Syntax error: Query could not be parsed at '${tokenText}' on line [${line},${col}]`);
}

// ---------------------------------------------------------------- parser

/**
 * @typedef {{ k: 'col', name: string, pos: number } | { k: 'lit', v: any } | { k: 'bin', op: string, l: Expr, r: Expr } | { k: 'not', e: Expr } | { k: 'in', neg: boolean, l: Expr, list: Expr[] }} Expr
 * @typedef {{ k: 'where', e: Expr } | { k: 'take', n: number } | { k: 'project', cols: { name: string, pos: number }[] } | { k: 'count' } | { k: 'summarize', by: { name: string, pos: number }[], as: string } | { k: 'sort', by: { name: string, pos: number }, desc: boolean } | { k: 'top', n: number, by: { name: string, pos: number }, desc: boolean } | { k: 'distinct', cols: { name: string, pos: number }[] }} Op
 */

const STRING_OPS = ['contains', '!contains', 'has', '!has', 'startswith', '!startswith', 'endswith', '!endswith', 'contains_cs', 'has_cs'];

/** @param {string} q */
function parse(q) {
	const toks = tokenize(q);
	let i = 0;
	const peek = () => toks[i];
	const next = () => toks[i++];
	const fail = () => syntaxError(q, peek().pos);
	/** @param {string} t @param {string} [v] */
	const expect = (t, v) => {
		const tok = peek();
		if (tok.t !== t || (v !== undefined && tok.v !== v)) throw fail();
		return next();
	};
	const isKw = (/** @type {string} */ v) => peek().t === 'id' && peek().v === v;

	const tableTok = expect('id');
	/** @type {Op[]} */
	const ops = [];
	while (peek().t === 'pipe') {
		next();
		const opTok = expect('id');
		switch (opTok.v) {
			case 'where':
				ops.push({ k: 'where', e: parseOr() });
				break;
			case 'take':
			case 'limit':
				ops.push({ k: 'take', n: Number(expect('num').v) });
				break;
			case 'project':
				ops.push({ k: 'project', cols: colList() });
				break;
			case 'distinct':
				ops.push({ k: 'distinct', cols: colList() });
				break;
			case 'count':
				ops.push({ k: 'count' });
				break;
			case 'summarize': {
				let as = 'count_';
				if (peek().t === 'id' && toks[i + 1].t === 'op' && toks[i + 1].v === '=') {
					as = next().v;
					next();
				}
				const fn = expect('id');
				if (fn.v !== 'count') throw new KqlError(`'summarize' operator: only count() is supported by this simulated service (got '${fn.v}').`);
				expect('lp');
				expect('rp');
				/** @type {{ name: string, pos: number }[]} */
				let by = [];
				if (isKw('by')) {
					next();
					by = colList();
				}
				ops.push({ k: 'summarize', by, as });
				break;
			}
			case 'sort':
			case 'order': {
				expect('id', 'by');
				const col = expect('id');
				let desc = true;
				if (isKw('asc')) (next(), (desc = false));
				else if (isKw('desc')) next();
				ops.push({ k: 'sort', by: { name: col.v, pos: col.pos }, desc });
				break;
			}
			case 'top': {
				const n = Number(expect('num').v);
				expect('id', 'by');
				const col = expect('id');
				let desc = true;
				if (isKw('asc')) (next(), (desc = false));
				else if (isKw('desc')) next();
				ops.push({ k: 'top', n, by: { name: col.v, pos: col.pos }, desc });
				break;
			}
			default:
				throw syntaxError(q, opTok.pos);
		}
	}
	if (peek().t !== 'eof') throw fail();
	return { table: tableTok, ops };

	function colList() {
		const cols = [];
		const first = expect('id');
		cols.push({ name: first.v, pos: first.pos });
		while (peek().t === 'comma') {
			next();
			const c = expect('id');
			cols.push({ name: c.v, pos: c.pos });
		}
		return cols;
	}
	/** @returns {Expr} */
	function parseOr() {
		let l = parseAnd();
		while (isKw('or')) {
			next();
			l = { k: 'bin', op: 'or', l, r: parseAnd() };
		}
		return l;
	}
	/** @returns {Expr} */
	function parseAnd() {
		let l = parseCmp();
		while (isKw('and')) {
			next();
			l = { k: 'bin', op: 'and', l, r: parseCmp() };
		}
		return l;
	}
	/** @returns {Expr} */
	function parseCmp() {
		const l = parseOperand();
		const t = peek();
		if (t.t === 'op' && ['==', '!=', '=~', '!~', '>=', '<=', '>', '<'].includes(t.v)) {
			next();
			return { k: 'bin', op: t.v, l, r: parseOperand() };
		}
		if (t.t === 'op' && t.v === '!') {
			next();
			const w = expect('id');
			if (w.v === 'in') return parseIn(l, true);
			if (!STRING_OPS.includes('!' + w.v)) throw syntaxError(q, w.pos);
			return { k: 'bin', op: '!' + w.v, l, r: parseOperand() };
		}
		if (t.t === 'id' && STRING_OPS.includes(t.v)) {
			next();
			return { k: 'bin', op: t.v, l, r: parseOperand() };
		}
		if (t.t === 'id' && t.v === 'in') {
			next();
			return parseIn(l, false);
		}
		return l;
	}
	/** @param {Expr} l @param {boolean} neg @returns {Expr} */
	function parseIn(l, neg) {
		expect('lp');
		const list = [parseOperand()];
		while (peek().t === 'comma') {
			next();
			list.push(parseOperand());
		}
		expect('rp');
		return { k: 'in', neg, l, list };
	}
	/** @returns {Expr} */
	function parseOperand() {
		const t = peek();
		if (t.t === 'str') return (next(), { k: 'lit', v: t.v });
		if (t.t === 'num') return (next(), { k: 'lit', v: Number(t.v) });
		if (t.t === 'dt') {
			next();
			const ms = Date.parse(t.v.replace(/^["']|["']$/g, ''));
			if (Number.isNaN(ms)) throw new KqlError(`Syntax error: invalid datetime literal 'datetime(${t.v})'`);
			return { k: 'lit', v: new Date(ms).toISOString() };
		}
		if (t.t === 'lp') {
			next();
			const e = parseOr();
			expect('rp');
			return e;
		}
		if (t.t === 'id') {
			next();
			if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
			if (peek().t === 'lp') {
				next();
				if (t.v === 'not') {
					const e = parseOr();
					expect('rp');
					return { k: 'not', e };
				}
				if (t.v === 'ago') {
					const s = expect('span');
					expect('rp');
					return { k: 'lit', v: new Date(Date.now() - spanMs(s.v)).toISOString() };
				}
				if (t.v === 'now') {
					expect('rp');
					return { k: 'lit', v: new Date().toISOString() };
				}
				throw new KqlError(`Semantic error: Unknown function: '${t.v}'.`);
			}
			return { k: 'col', name: t.v, pos: t.pos };
		}
		throw fail();
	}
}

/** @param {string} s */
function spanMs(s) {
	const m = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)$/.exec(s);
	if (!m) return 0;
	const mult = { d: DAY, h: 3600000, m: 60000, s: 1000, ms: 1 }[/** @type {'d'} */ (m[2])];
	return Number(m[1]) * mult;
}

// ---------------------------------------------------------------- evaluation

/**
 * @param {Expr} e
 * @param {Set<string>} cols
 * @param {string} opName
 */
function checkColumns(e, cols, opName) {
	if (e.k === 'col') {
		if (!cols.has(e.name)) throw new KqlError(`Semantic error: '${opName}' operator: Failed to resolve scalar expression named '${e.name}'`);
	} else if (e.k === 'bin') {
		checkColumns(e.l, cols, opName);
		checkColumns(e.r, cols, opName);
	} else if (e.k === 'not') checkColumns(e.e, cols, opName);
	else if (e.k === 'in') {
		checkColumns(e.l, cols, opName);
		e.list.forEach((x) => checkColumns(x, cols, opName));
	}
}

/** @param {string} s @param {string} term */
function hasTerm(s, term) {
	const t = term.toLowerCase();
	return s.toLowerCase().split(/[^a-z0-9_]+/).includes(t) || (t.length > 0 && !/^[a-z0-9_]+$/.test(t) && s.toLowerCase().includes(t));
}

/**
 * @param {Expr} e
 * @param {Record<string, any>} row
 * @returns {any}
 */
function evalExpr(e, row) {
	switch (e.k) {
		case 'col':
			return row[e.name];
		case 'lit':
			return e.v;
		case 'not':
			return !evalExpr(e.e, row);
		case 'in': {
			const v = evalExpr(e.l, row);
			const found = e.list.some((x) => evalExpr(x, row) === v);
			return e.neg ? !found : found;
		}
		case 'bin': {
			if (e.op === 'and') return evalExpr(e.l, row) && evalExpr(e.r, row);
			if (e.op === 'or') return evalExpr(e.l, row) || evalExpr(e.r, row);
			const a = evalExpr(e.l, row);
			const b = evalExpr(e.r, row);
			const sa = String(a ?? '');
			const sb = String(b ?? '');
			switch (e.op) {
				case '==':
					return a === b || (typeof a !== typeof b && sa === sb);
				case '!=':
					return !(a === b || (typeof a !== typeof b && sa === sb));
				case '=~':
					return sa.toLowerCase() === sb.toLowerCase();
				case '!~':
					return sa.toLowerCase() !== sb.toLowerCase();
				case '>':
					return a > b;
				case '<':
					return a < b;
				case '>=':
					return a >= b;
				case '<=':
					return a <= b;
				case 'contains':
					return sa.toLowerCase().includes(sb.toLowerCase());
				case '!contains':
					return !sa.toLowerCase().includes(sb.toLowerCase());
				case 'contains_cs':
					return sa.includes(sb);
				case 'has':
					return hasTerm(sa, sb);
				case '!has':
					return !hasTerm(sa, sb);
				case 'has_cs':
					return hasTerm(sa, sb) && sa.includes(sb);
				case 'startswith':
					return sa.toLowerCase().startsWith(sb.toLowerCase());
				case '!startswith':
					return !sa.toLowerCase().startsWith(sb.toLowerCase());
				case 'endswith':
					return sa.toLowerCase().endsWith(sb.toLowerCase());
				case '!endswith':
					return !sa.toLowerCase().endsWith(sb.toLowerCase());
			}
		}
	}
	return undefined;
}

/**
 * @param {HuntingData} data
 * @param {string} query
 * @param {{ sinceMs?: number, maxRows?: number }} [opts]
 * @returns {{ schema: Column[], rows: Record<string, any>[] }}
 */
function runKql(data, query, opts = {}) {
	const { table: tableTok, ops } = parse(query);
	const table = data.table(tableTok.v);
	if (!table) throw new KqlError(`Semantic error: Failed to resolve table or column expression named '${tableTok.v}'`);
	let columns = table.columns.slice();
	/** @type {Iterable<Record<string, any>>} */
	let stream = (function* () {
		for (let i = 0; i < table.rowCount; i++) yield table.rowAt(i);
	})();
	if (opts.sinceMs !== undefined) {
		const since = new Date(/** @type {number} */ (opts.sinceMs)).toISOString();
		stream = filterGen(stream, (r) => r.Timestamp >= since);
	}
	for (const op of ops) {
		const names = new Set(columns.map((c) => c.name));
		/** @param {{ name: string }} c @param {string} opName */
		const need = (c, opName) => {
			if (!names.has(c.name)) throw new KqlError(`Semantic error: '${opName}' operator: Failed to resolve scalar expression named '${c.name}'`);
			return /** @type {Column} */ (columns.find((x) => x.name === c.name));
		};
		switch (op.k) {
			case 'where':
				checkColumns(op.e, names, 'where');
				stream = filterGen(stream, (r) => !!evalExpr(op.e, r));
				break;
			case 'take':
				stream = takeGen(stream, op.n);
				break;
			case 'project': {
				const cols = op.cols.map((c) => need(c, 'project'));
				columns = cols;
				stream = mapGen(stream, (r) => Object.fromEntries(cols.map((c) => [c.name, r[c.name]])));
				break;
			}
			case 'distinct': {
				const cols = op.cols.map((c) => need(c, 'distinct'));
				columns = cols;
				const src = stream;
				stream = (function* () {
					const seen = new Set();
					for (const r of src) {
						const key = JSON.stringify(cols.map((c) => r[c.name]));
						if (seen.has(key)) continue;
						seen.add(key);
						yield Object.fromEntries(cols.map((c) => [c.name, r[c.name]]));
					}
				})();
				break;
			}
			case 'count': {
				let n = 0;
				for (const _ of stream) n++;
				columns = [{ name: 'Count', type: 'Int64' }];
				stream = [{ Count: n }];
				break;
			}
			case 'summarize': {
				const cols = op.by.map((c) => need(c, 'summarize'));
				/** @type {Map<string, Record<string, any>>} */
				const groups = new Map();
				for (const r of stream) {
					const key = JSON.stringify(cols.map((c) => r[c.name]));
					let g = groups.get(key);
					if (!g) {
						g = Object.fromEntries(cols.map((c) => [c.name, r[c.name]]));
						g[op.as] = 0;
						groups.set(key, g);
					}
					g[op.as]++;
				}
				columns = [...cols, { name: op.as, type: 'Int64' }];
				stream = [...groups.values()];
				break;
			}
			case 'sort':
			case 'top': {
				need(op.by, op.k === 'sort' ? 'sort' : 'top');
				const rows = [...stream];
				const key = op.by.name;
				const dir = op.desc ? -1 : 1;
				rows.sort((a, b) => (a[key] < b[key] ? -dir : a[key] > b[key] ? dir : 0));
				stream = op.k === 'top' ? rows.slice(0, op.n) : rows;
				break;
			}
		}
	}
	const rows = [];
	const max = opts.maxRows || 100000;
	for (const r of stream) {
		rows.push(r);
		if (rows.length >= max) break;
	}
	return { schema: columns.map((c) => ({ name: c.name, type: c.type })), rows };
}

/** @template T @param {Iterable<T>} src @param {(x: T) => boolean} f */
function* filterGen(src, f) {
	for (const x of src) if (f(x)) yield x;
}
/** @template T @param {Iterable<T>} src @param {number} n */
function* takeGen(src, n) {
	if (n <= 0) return;
	let k = 0;
	for (const x of src) {
		yield x;
		if (++k >= n) return;
	}
}
/** @template T, U @param {Iterable<T>} src @param {(x: T) => U} f */
function* mapGen(src, f) {
	for (const x of src) yield f(x);
}

module.exports = { runKql, KqlError, HuntingData, TABLES: Object.keys(FACTORIES) };
