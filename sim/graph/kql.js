// @ts-check
'use strict';

/**
 * A small KQL subset over generated advanced-hunting tables:
 *   Table | where <expr> | take N | limit N | project a, b | count | summarize count() by A, B
 *         | sort by A [asc|desc] | order by ... | top N by A [asc|desc] | distinct A, B
 * where-expressions: == != =~ !~ > < >= <= contains !contains has !has startswith endswith in (..) !in (..),
 * and / or / not(), parentheses; literals "x" 'x' 12 true false datetime(...) ago(7d) now().
 */

const { parse, KqlError } = require('./kqlParser');

/** @typedef {import('./huntingTables').Column} Column */
/** @typedef {import('./huntingTables').HuntingData} HuntingData */
/** @typedef {import('./kqlParser').Expr} Expr */

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

module.exports = { runKql, KqlError };
