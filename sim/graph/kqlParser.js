// @ts-check
'use strict';

/** The KQL subset of kql.js: tokenizer and parser (query text -> table name and operators). */

class KqlError extends Error {}

const DAY = 24 * 3600 * 1000;

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

module.exports = { parse, KqlError };
