// @ts-check
'use strict';

/**
 * Defender for Endpoint custom indicators (api/ti-indicator, api/post-ti-indicator): Defender's validation
 * and submit-or-update (a submit with the value and type of an existing indicator updates it).
 */

const net = require('net');
const { mdeDate } = require('./machineActions');

const INDICATOR_TYPES = ['FileSha1', 'FileSha256', 'FileMd5', 'CertificateThumbprint', 'IpAddress', 'DomainName', 'Url'];
const ACTIONS = ['Warn', 'Block', 'Audit', 'Alert', 'AlertAndBlock', 'BlockAndRemediate', 'Allowed'];
// api/ti-indicator: "The prior response actions (AlertAndBlock, and Alert) will be supported until January 2022."
const RETIRED_ACTIONS = ['Alert', 'AlertAndBlock'];
const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'];
const REQUIRED = ['indicatorValue', 'indicatorType', 'action', 'title', 'description'];
const HASH_LENGTH = /** @type {Record<string, number>} */ ({ FileSha1: 40, FileSha256: 64, FileMd5: 32, CertificateThumbprint: 40 });

const INDICATOR_FILTER_SCHEMA = {
	typeName: 'WindowsDefenderATP.Indicator',
	properties: ['id', 'indicatorValue', 'indicatorType', 'action', 'application', 'severity', 'title', 'description', 'createdBy', 'createdByDisplayName', 'creationTimeDateTimeUtc', 'expirationTime', 'generateAlert', 'rbacGroupNames', 'rbacGroupIds', 'lastUpdateTime', 'sourceType'],
	filterable: /** @type {Record<string, 'string' | 'enum' | 'datetime' | 'number' | 'boolean' | 'collection'>} */ ({
		indicatorValue: 'string', indicatorType: 'enum', action: 'enum', severity: 'enum', title: 'string', application: 'string',
		createdBy: 'string', createdByDisplayName: 'string', creationTimeDateTimeUtc: 'datetime', expirationTime: 'datetime', generateAlert: 'boolean',
		rbacGroupNames: 'collection', rbacGroupIds: 'collection',
	}),
	enums: { indicatorType: INDICATOR_TYPES, action: ACTIONS, severity: SEVERITIES },
	functions: true,
};

class IndicatorError extends Error {
	/** @param {string} code @param {string} message */
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}

/** @param {string} value */
function isDomainName(value) {
	return value.length <= 253 && /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i.test(value);
}

/** @param {string} value */
function isUrl(value) {
	try {
		const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
		return (u.protocol === 'http:' || u.protocol === 'https:') && (isDomainName(u.hostname) || net.isIP(u.hostname.replace(/^\[|\]$/g, '')) !== 0);
	} catch {
		return false;
	}
}

/**
 * Checks a submitted body as Defender does; throws IndicatorError with Defender's code.
 * @param {any} body
 */
function validateIndicator(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new IndicatorError('InvalidRequestBody', 'Request body is incorrect');
	for (const name of REQUIRED) {
		// Body parameters are case-sensitive (api/common-errors).
		if (body[name] === undefined || body[name] === null || body[name] === '') throw new IndicatorError('MissingRequiredParameter', `Parameter ${name} is missing.`);
		if (typeof body[name] !== 'string') throw new IndicatorError('InvalidInput', `Invalid input ${name}: must be a string.`);
	}
	const { indicatorType, indicatorValue, action } = body;
	if (!INDICATOR_TYPES.includes(indicatorType)) throw new IndicatorError('InvalidInput', `Invalid input indicatorType '${indicatorType}'. Allowed values: ${INDICATOR_TYPES.join(', ')}.`);
	if (!ACTIONS.includes(action)) throw new IndicatorError('InvalidInput', `Invalid input action '${action}'. Allowed values: ${ACTIONS.filter((a) => !RETIRED_ACTIONS.includes(a)).join(', ')}.`);
	if (RETIRED_ACTIONS.includes(action)) throw new IndicatorError('InvalidInput', `Invalid input action '${action}': Alert and AlertAndBlock were supported until January 2022. Use Audit (with generateAlert true), Block, BlockAndRemediate, Allowed or Warn.`);
	if (action === 'Audit' && body.generateAlert !== true) throw new IndicatorError('InvalidInput', 'Invalid input generateAlert: it must be true for the action Audit.');
	if (body.severity !== undefined && body.severity !== null && !SEVERITIES.includes(body.severity)) throw new IndicatorError('InvalidInput', `Invalid input severity '${body.severity}'. Allowed values: ${SEVERITIES.join(', ')}.`);
	if (body.generateAlert !== undefined && typeof body.generateAlert !== 'boolean') throw new IndicatorError('InvalidInput', 'Invalid input generateAlert: must be true or false.');
	if (body.expirationTime !== undefined && body.expirationTime !== null && Number.isNaN(Date.parse(body.expirationTime))) throw new IndicatorError('InvalidInput', `Invalid input expirationTime '${body.expirationTime}'.`);
	const length = HASH_LENGTH[indicatorType];
	if (length && !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(indicatorValue)) throw new IndicatorError('InvalidHashValue', `Hash value ${indicatorValue} is invalid.`);
	// CIDR notation for IPs isn't supported (api/post-ti-indicator).
	if (indicatorType === 'IpAddress' && net.isIP(indicatorValue) === 0) throw new IndicatorError('InvalidIpAddress', `IP address ${indicatorValue} is invalid.`);
	if (indicatorType === 'DomainName' && !isDomainName(indicatorValue)) throw new IndicatorError('InvalidDomainName', `Domain name ${indicatorValue} is invalid.`);
	if (indicatorType === 'Url' && !isUrl(indicatorValue)) throw new IndicatorError('InvalidUrl', `URL ${indicatorValue} is invalid.`);
}

const UPDATABLE = ['action', 'title', 'description', 'expirationTime', 'severity', 'recommendedActions', 'rbacGroupNames', 'educateUrl', 'generateAlert'];

class Indicators {
	/** @param {() => number} now */
	constructor(now) {
		this.now = now;
		/** @type {Record<string, any>[]} */
		this.items = [];
		this.nextId = 1;
	}

	/**
	 * Submits or updates (same indicatorValue and indicatorType). Returns the entity and whether it is new.
	 * @param {Record<string, any>} body validated
	 * @param {{ id: string, displayName: string, kind: 'app' | 'user' }} by
	 */
	submit(body, by) {
		const t = mdeDate(this.now());
		const existing = this.items.find((i) => i.indicatorType === body.indicatorType && i.indicatorValue.toLowerCase() === body.indicatorValue.toLowerCase());
		if (existing) {
			// `application` only works for new indicators (api/post-ti-indicator).
			for (const k of UPDATABLE) if (body[k] !== undefined) existing[k] = body[k];
			existing.lastUpdateTime = t;
			existing.lastUpdatedBy = by.id;
			return { indicator: existing, created: false };
		}
		const indicator = {
			id: String(this.nextId++),
			indicatorValue: body.indicatorValue,
			indicatorType: body.indicatorType,
			action: body.action,
			application: body.application ?? null,
			source: by.displayName,
			sourceType: by.kind === 'app' ? 'AadApp' : 'User',
			createdBySource: by.displayName,
			createdBy: by.id,
			createdByDisplayName: by.displayName,
			severity: body.severity ?? 'Informational',
			title: body.title,
			description: body.description,
			recommendedActions: body.recommendedActions ?? null,
			creationTimeDateTimeUtc: t,
			expirationTime: body.expirationTime ?? null,
			lastUpdateTime: t,
			lastUpdatedBy: null,
			rbacGroupNames: Array.isArray(body.rbacGroupNames) ? body.rbacGroupNames : [],
			rbacGroupIds: [],
			generateAlert: body.generateAlert === true,
			educateUrl: body.educateUrl ?? null,
		};
		this.items.push(indicator);
		return { indicator, created: true };
	}

	/** @param {string} id */
	delete(id) {
		const k = this.items.findIndex((i) => i.id === id);
		if (k < 0) return false;
		this.items.splice(k, 1);
		return true;
	}
}

module.exports = { Indicators, IndicatorError, validateIndicator, INDICATOR_FILTER_SCHEMA, INDICATOR_TYPES, ACTIONS, RETIRED_ACTIONS };
