// @ts-check
'use strict';

/**
 * A small OData $filter parser/evaluator. What is filterable comes from the caller (graphSchema.js's
 * filterSchema: the entity's filterable properties, their kinds, the enum members the request may use).
 * Errors are thrown as FilterError with Graph-like messages.
 */

class FilterError extends Error {}

const COMPARISON = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const OPERATOR_KIND = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };
// Defender for Endpoint's samples also write dates alone: `lastSeen gt 2018-08-01Z`.
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:\d{2})$/;
/** String functions, for schemas that allow them (`functions: true`). */
const STRING_FUNCTIONS = ['startswith', 'endswith', 'contains'];

/**
 * @typedef {{ t: 'ident' | 'string' | 'datetime' | 'number' | 'null' | 'bool' | 'lparen' | 'rparen' | 'comma' | 'colon', v: string, pos: number }} Token
 */

/** @param {string} text @returns {Token[]} */
function tokenize(text) {
	/** @type {Token[]} */
	const out = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '(') {
			out.push({ t: 'lparen', v: c, pos: i++ });
			continue;
		}
		if (c === ')') {
			out.push({ t: 'rparen', v: c, pos: i++ });
			continue;
		}
		if (c === ',') {
			out.push({ t: 'comma', v: c, pos: i++ });
			continue;
		}
		if (c === ':') {
			// only meaningful in a lambda (`machineTags/any(tag: tag eq 'x')`), refused elsewhere by the parser
			out.push({ t: 'colon', v: c, pos: i++ });
			continue;
		}
		if (c === "'") {
			let j = i + 1;
			let s = '';
			for (;;) {
				if (j >= text.length) throw new FilterError(`Invalid filter clause: There is an unterminated string literal at position ${i} in '${text}'.`);
				if (text[j] === "'") {
					if (text[j + 1] === "'") {
						s += "'";
						j += 2;
						continue;
					}
					break;
				}
				s += text[j++];
			}
			out.push({ t: 'string', v: s, pos: i });
			i = j + 1;
			continue;
		}
		const dt = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+)?(Z|[+-]\d{2}:\d{2})?/.exec(text.slice(i));
		if (dt) {
			if (!DATETIME_RE.test(dt[0])) throw new FilterError(`Invalid filter clause: Syntax error at position ${i} in '${text}'.`);
			out.push({ t: 'datetime', v: dt[0], pos: i });
			i += dt[0].length;
			continue;
		}
		const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
		if (num) {
			out.push({ t: 'number', v: num[0], pos: i });
			i += num[0].length;
			continue;
		}
		const id = /^[A-Za-z_$][A-Za-z0-9_.$/]*/.exec(text.slice(i));
		if (id) {
			const v = id[0];
			out.push({ t: v === 'null' ? 'null' : v === 'true' || v === 'false' ? 'bool' : 'ident', v, pos: i });
			i += v.length;
			continue;
		}
		throw new FilterError(`Invalid filter clause: Syntax error: character '${c}' is not valid at position ${i} in '${text}'.`);
	}
	return out;
}

/**
 * @typedef {{ op: 'and' | 'or', left: Node, right: Node } | { op: 'not', arg: Node } | { op: 'cmp', cmp: string, prop: string, value: any, kind: string } | { op: 'fn', fn: string, prop: string, value: string } | { op: 'any', prop: string, value: string }} Node
 */

/**
 * @typedef {{ typeName: string, properties: string[], filterable: Record<string, 'string' | 'enum' | 'datetime' | 'number' | 'boolean' | 'collection'>, enums: Record<string, string[]>, functions?: boolean }} FilterSchema
 */

/**
 * @param {string} text
 * @param {FilterSchema} schema
 * @returns {Node}
 */
function parseFilter(text, schema) {
	const { filterable, enums } = schema;
	const toks = tokenize(text);
	let i = 0;
	const peek = () => toks[i];
	const syntax = (/** @type {Token | undefined} */ t) =>
		new FilterError(`Invalid filter clause: Syntax error at position ${t ? t.pos : text.length} in '${text}'.`);

	/** @returns {Node} */
	function parseOr() {
		let left = parseAnd();
		while (peek() && peek().t === 'ident' && peek().v === 'or') {
			i++;
			left = { op: 'or', left, right: parseAnd() };
		}
		return left;
	}
	/** @returns {Node} */
	function parseAnd() {
		let left = parseUnary();
		while (peek() && peek().t === 'ident' && peek().v === 'and') {
			i++;
			left = { op: 'and', left, right: parseUnary() };
		}
		return left;
	}
	/** @returns {Node} */
	function parseUnary() {
		const t = peek();
		if (!t) throw syntax(t);
		if (t.t === 'ident' && t.v === 'not') {
			i++;
			return { op: 'not', arg: parseUnary() };
		}
		if (t.t === 'lparen') {
			i++;
			const inner = parseOr();
			if (!peek() || peek().t !== 'rparen') throw new FilterError(`Invalid filter clause: ')' or operator expected at position ${peek() ? peek().pos : text.length} in '${text}'.`);
			i++;
			return inner;
		}
		return parseComparison();
	}
	/** @returns {Node} */
	function parseComparison() {
		const propTok = peek();
		if (!propTok || propTok.t !== 'ident') throw syntax(propTok);
		i++;
		if (schema.functions && peek() && peek().t === 'lparen' && STRING_FUNCTIONS.includes(propTok.v)) return parseFunction(propTok.v);
		const lambda = /^(.+)\/any$/.exec(propTok.v);
		if (lambda && filterable[lambda[1]] === 'collection' && peek() && peek().t === 'lparen') return parseAny(lambda[1]);
		if (peek() && peek().t === 'lparen') {
			throw new FilterError(`Invalid filter clause: An unknown function with name '${propTok.v}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`);
		}
		const prop = propTok.v;
		const type = filterable[prop];
		if (type === 'collection') throw new FilterError(`Invalid filter clause: '${prop}' is a collection; use ${prop}/any(x: x eq '…').`);
		if (!type) {
			if (schema.properties.includes(prop)) {
				throw new FilterError(`Invalid filter clause: Filtering by property '${prop}' is not supported. Supported properties: ${Object.keys(filterable).join(', ')}.`);
			}
			throw new FilterError(`Invalid filter clause: Could not find a property named '${prop}' on type '${schema.typeName}'.`);
		}
		const opTok = peek();
		if (!opTok || opTok.t !== 'ident' || !COMPARISON.includes(opTok.v)) {
			throw new FilterError(`Invalid filter clause: Syntax error at position ${opTok ? opTok.pos : text.length} in '${text}'.`);
		}
		i++;
		const valTok = peek();
		if (!valTok) throw syntax(valTok);
		i++;
		const cmp = opTok.v;
		const kind = /** @type {Record<string,string>} */ (OPERATOR_KIND)[cmp];
		if (valTok.t === 'null') {
			if (cmp !== 'eq' && cmp !== 'ne') throw new FilterError(`Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'null' for operator kind '${kind}'.`);
			return { op: 'cmp', cmp, prop, value: null, kind: type };
		}
		if (type === 'number') {
			if (valTok.t !== 'number') throw new FilterError(`Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.Int64' and '${valTok.t === 'string' ? 'Edm.String' : valTok.v}' for operator kind '${kind}'.`);
			return { op: 'cmp', cmp, prop, value: Number(valTok.v), kind: type };
		}
		if (type === 'boolean') {
			if (valTok.t !== 'bool') {
				const found = valTok.t === 'string' ? 'Edm.String' : valTok.t === 'number' ? 'Edm.Int32' : valTok.t === 'datetime' ? 'Edm.DateTimeOffset' : valTok.v;
				throw new FilterError(`Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and '${found}' for operator kind '${kind}'.`);
			}
			if (cmp !== 'eq' && cmp !== 'ne') throw new FilterError(`Invalid filter clause: operator '${cmp}' is not supported for property '${prop}'; use eq or ne.`);
			return { op: 'cmp', cmp, prop, value: valTok.v === 'true', kind: type };
		}
		if (type === 'datetime') {
			if (valTok.t !== 'datetime') {
				const found = valTok.t === 'string' ? 'Edm.String' : valTok.t === 'number' ? 'Edm.Int32' : 'Edm.Boolean';
				throw new FilterError(`Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and '${found}' for operator kind '${kind}'.`);
			}
			return { op: 'cmp', cmp, prop, value: Date.parse(valTok.v), kind: type };
		}
		if (valTok.t !== 'string') {
			const found = valTok.t === 'datetime' ? 'Edm.DateTimeOffset' : valTok.t === 'number' ? 'Edm.Int32' : valTok.t === 'bool' ? 'Edm.Boolean' : valTok.v;
			throw new FilterError(`Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.String' and '${found}' for operator kind '${kind}'.`);
		}
		if (type === 'enum') {
			const allowed = enums[prop] || [];
			if (!allowed.includes(valTok.v)) {
				throw new FilterError(`The string '${valTok.v}' is not a valid enumeration type constant for property '${prop}'. Allowed values: ${allowed.join(', ')}.`);
			}
			if (cmp !== 'eq' && cmp !== 'ne') {
				throw new FilterError(`Invalid filter clause: operator '${cmp}' is not supported for property '${prop}'; use eq or ne.`);
			}
		}
		return { op: 'cmp', cmp, prop, value: valTok.v, kind: type };
	}

	/** @param {Token['t']} t */
	function expect(t) {
		const tok = peek();
		if (!tok || tok.t !== t) throw syntax(tok);
		i++;
		return tok;
	}
	/** `startswith(prop,'x')` on a string property. @param {string} fn @returns {Node} */
	function parseFunction(fn) {
		expect('lparen');
		const prop = expect('ident').v;
		if (filterable[prop] !== 'string') throw new FilterError(`Invalid filter clause: ${fn} is not supported on property '${prop}'.`);
		expect('comma');
		const value = expect('string').v;
		expect('rparen');
		return { op: 'fn', fn, prop, value };
	}
	/** `tags/any(t: t eq 'x')` on a collection of strings. @param {string} prop @returns {Node} */
	function parseAny(prop) {
		expect('lparen');
		const variable = expect('ident').v;
		expect('colon');
		if (expect('ident').v !== variable) throw syntax(toks[i - 1]);
		const op = expect('ident');
		if (op.v !== 'eq') throw new FilterError(`Invalid filter clause: only eq is supported inside ${prop}/any().`);
		const value = expect('string').v;
		expect('rparen');
		return { op: 'any', prop, value };
	}

	if (!toks.length) throw new FilterError(`Invalid filter clause: The $filter expression must not be empty.`);
	const node = parseOr();
	if (i < toks.length) throw syntax(toks[i]);
	return node;
}

/**
 * @param {Node} node
 * @param {Record<string, any>} obj
 * @returns {boolean}
 */
function evaluate(node, obj) {
	if (node.op === 'and') return evaluate(node.left, obj) && evaluate(node.right, obj);
	if (node.op === 'or') return evaluate(node.left, obj) || evaluate(node.right, obj);
	if (node.op === 'not') return !evaluate(node.arg, obj);
	if (node.op === 'fn') {
		const a = String(obj[node.prop] ?? '').toLowerCase();
		const b = node.value.toLowerCase();
		return node.fn === 'startswith' ? a.startsWith(b) : node.fn === 'endswith' ? a.endsWith(b) : a.includes(b);
	}
	if (node.op === 'any') return (Array.isArray(obj[node.prop]) ? obj[node.prop] : []).some((/** @type {any} */ v) => String(v).toLowerCase() === node.value.toLowerCase());
	if (node.op !== 'cmp') return false;
	let a = obj[node.prop];
	let b = node.value;
	if (b === null || a === null || a === undefined) {
		const eq = (a === null || a === undefined) && b === null;
		if (node.cmp === 'eq') return eq;
		if (node.cmp === 'ne') return !eq;
		return false;
	}
	if (node.kind === 'datetime') a = Date.parse(a);
	else if (node.kind === 'string') {
		// Graph compares strings case-insensitively.
		a = String(a).toLowerCase();
		b = String(b).toLowerCase();
	}
	switch (node.cmp) {
		case 'eq':
			return a === b;
		case 'ne':
			return a !== b;
		case 'gt':
			return a > b;
		case 'ge':
			return a >= b;
		case 'lt':
			return a < b;
		case 'le':
			return a <= b;
	}
	return false;
}

module.exports = { parseFilter, evaluate, FilterError };
