/**
 * Defender for Endpoint (MDE) values and the checks made before any MDE request (../shared/MDE-FACTS.md
 * cites the Microsoft page of each). Every check throws InvalidInputError naming the field and what is
 * allowed; none repeats the value it refuses (a value typed into the wrong field can be a secret), only its
 * length or what it looks like.
 *
 *   requireMachineId(value, label)          40 hex characters (alert evidence mdeDeviceId), lower-cased
 *   requireDeviceName(value, label)         a DNS name, lower-cased
 *   requireMachineActionId(value, label)    a machine action id (GUID), lower-cased
 *   requireSha1(value, label)               40 hex characters, lower-cased (Stop And Quarantine File)
 *   requireComment(value, label)            non-empty text of at most COMMENT_MAX_LENGTH characters
 *   requireIndicatorValue(type, value)      the value checked against its indicator type, normalised
 *   requireIndicatorAction(action, type, generateAlert) -> { action, generateAlert }   what Defender still supports
 *   requireIndicatorId(value, label)        Defender's indicator id (digits)
 */
import { isIP } from 'node:net';
import type { INodePropertyOptions } from 'n8n-workflow';

import { InvalidInputError, requireEnumValue, requireText } from './validation';

export const ISOLATION_TYPES = ['Full', 'Selective', 'UnManagedDevice'] as const;
export const SCAN_TYPES = ['Quick', 'Full'] as const;
export const HEALTH_STATUSES = ['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData', 'NoSensorDataImpairedCommunication', 'Unknown'] as const;
export const RISK_SCORES = ['None', 'Informational', 'Low', 'Medium', 'High'] as const;
export const EXPOSURE_LEVELS = ['None', 'Low', 'Medium', 'High'] as const;
export const MACHINE_ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export const IF_ACTION_PENDING = ['fail', 'returnPending'] as const;

export const INDICATOR_TYPES = ['FileSha1', 'FileSha256', 'FileMd5', 'CertificateThumbprint', 'IpAddress', 'DomainName', 'Url'] as const;
/** What Submit Indicator offers (api/ti-indicator). */
export const INDICATOR_ACTIONS = ['Audit', 'Warn', 'Block', 'BlockAndRemediate', 'Allowed'] as const;
/** api/ti-indicator: "supported until January 2022"; older indicators may still carry them (List filters offer them). */
export const RETIRED_INDICATOR_ACTIONS = ['Alert', 'AlertAndBlock'] as const;
export const INDICATOR_SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;

const FILE_INDICATOR_TYPES = ['FileSha1', 'FileSha256', 'FileMd5'];
const NETWORK_INDICATOR_TYPES = ['IpAddress', 'DomainName', 'Url'];

/** Defender shows the comment in the Action center; a page-long text is a mistake (an expression gone wrong). */
export const COMMENT_MAX_LENGTH = 1000;

const options = (values: readonly string[], names: Record<string, string> = {}): INodePropertyOptions[] =>
	values.map((value) => ({ name: names[value] ?? value.replace(/([a-z])([A-Z])/g, '$1 $2'), value }));

export const HEALTH_STATUS_OPTIONS = options(HEALTH_STATUSES).sort((a, b) => a.name.localeCompare(b.name));
export const RISK_SCORE_OPTIONS = options(RISK_SCORES);
export const EXPOSURE_LEVEL_OPTIONS = options(EXPOSURE_LEVELS);
export const INDICATOR_SEVERITY_OPTIONS = options(INDICATOR_SEVERITIES);
export const INDICATOR_TYPE_OPTIONS = options(INDICATOR_TYPES, {
	FileSha1: 'File SHA-1',
	FileSha256: 'File SHA-256',
	FileMd5: 'File MD5',
	IpAddress: 'IP Address',
	Url: 'URL',
}).sort((a, b) => a.name.localeCompare(b.name));

/** Describes a refused value without repeating it. */
function shapeOf(text: string): string {
	if (text === '') return 'it is empty';
	if (/^[0-9a-f]+$/i.test(text)) return `it has ${text.length} hexadecimal characters`;
	if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return 'it is a GUID';
	if (/\s/.test(text)) return `it has ${text.length} characters, spaces among them`;
	return `it has ${text.length} characters, not all of them hexadecimal`;
}

const HEX40 = /^[0-9a-f]{40}$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireMachineId(value: unknown, label = 'Device'): string {
	const text = requireText(value, label).trim();
	if (HEX40.test(text)) return text.toLowerCase();
	const guidHint = GUID.test(text)
		? ' (a GUID is the Microsoft Entra device id, aadDeviceId; use the device\'s Defender id, or the By Name mode)'
		: '';
	throw new InvalidInputError(
		`"${label}" must be a Defender for Endpoint device ID: 40 hexadecimal characters, as in alert evidence mdeDeviceId; ${shapeOf(text)}${guidHint}`,
		label,
	);
}

/** A DNS host name as Defender reports computerDnsName: letters, digits, '-', '_' and dots. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?$/i;

export function requireDeviceName(value: unknown, label = 'Device'): string {
	const text = requireText(value, label).trim();
	if (DNS_NAME.test(text)) return text.replace(/\.$/, '').toLowerCase();
	throw new InvalidInputError(
		`"${label}" must be the device's DNS name, such as ws-finance-01 or ws-finance-01.contoso.com (letters, digits, "-" and dots); ${text === '' ? 'it is empty' : `it has ${text.length} characters, some of them not allowed in a DNS name`}`,
		label,
	);
}

export function requireMachineActionId(value: unknown, label = 'Action ID'): string {
	const text = requireText(value, label).trim();
	if (GUID.test(text)) return text.toLowerCase();
	throw new InvalidInputError(
		`"${label}" must be a Defender for Endpoint machine action ID, a GUID such as 7c3b6a2e-5f1d-4b8a-9e0c-2d4f6a8b0c1e (the "id" of an action's output); ${shapeOf(text)}`,
		label,
	);
}

const HASH_NAMES: Record<number, string> = { 32: 'an MD5 hash', 40: 'a SHA-1 hash', 64: 'a SHA-256 hash' };

export function requireSha1(value: unknown, label = 'SHA-1'): string {
	const text = requireText(value, label).trim();
	if (HEX40.test(text)) return text.toLowerCase();
	const other = /^[0-9a-f]+$/i.test(text) ? HASH_NAMES[text.length] : undefined;
	throw new InvalidInputError(
		`"${label}" must be the file's SHA-1 hash: 40 hexadecimal characters (Stop And Quarantine File takes SHA-1 only); ${other ? `this looks like ${other}` : shapeOf(text)}`,
		label,
	);
}

export function requireComment(value: unknown, label = 'Comment'): string {
	const text = requireText(value, label).trim();
	if (text === '') {
		throw new InvalidInputError(
			`"${label}" is empty; Defender requires a comment for every device action (the Action center shows it). Say why, e.g. "Isolated by n8n: ransomware alert 1234"`,
			label,
		);
	}
	if (text.length > COMMENT_MAX_LENGTH) {
		throw new InvalidInputError(`"${label}" has ${text.length} characters; at most ${COMMENT_MAX_LENGTH} are allowed`, label);
	}
	return text;
}

/** Defender's indicator ids are numbers (api/ti-indicator: "id": "995"). */
export function requireIndicatorId(value: unknown, label = 'Indicator ID'): string {
	const text = requireText(value, label).trim();
	if (/^\d{1,19}$/.test(text)) return text;
	throw new InvalidInputError(
		`"${label}" must be a Defender for Endpoint indicator ID, a number such as 995 (the "id" of List Indicators' output); ${text === '' ? 'it is empty' : `it has ${text.length} characters, not all of them digits`}`,
		label,
	);
}

const HASH_LENGTH: Record<string, number> = { FileSha1: 40, FileSha256: 64, FileMd5: 32, CertificateThumbprint: 40 };
const TYPE_WORDS: Record<string, string> = {
	FileSha1: "the file's SHA-1 hash",
	FileSha256: "the file's SHA-256 hash",
	FileMd5: "the file's MD5 hash",
	CertificateThumbprint: "the certificate's SHA-1 thumbprint",
};

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

function isDomainName(text: string): boolean {
	return DOMAIN.test(text);
}

function isHttpUrl(text: string): boolean {
	if (/\s/.test(text)) return false;
	const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
	if (hasScheme && !/^https?:\/\//i.test(text)) return false;
	try {
		const url = new URL(hasScheme ? text : `http://${text}`);
		const host = url.hostname.replace(/^\[|\]$/g, '');
		return isDomainName(host) || isIP(host) !== 0;
	} catch {
		return false;
	}
}

/** The indicator value checked against its type (api/post-ti-indicator); hashes lower-cased, thumbprint separators dropped. */
export function requireIndicatorValue(indicatorType: unknown, value: unknown, label = 'Indicator Value'): { indicatorType: string; indicatorValue: string } {
	const type = requireEnumValue(indicatorType, INDICATOR_TYPES, 'Indicator Type');
	let text = requireText(value, label).trim();
	if (text === '') throw new InvalidInputError(`"${label}" is empty; enter ${TYPE_WORDS[type] ?? `the ${type}`}`, label);
	const refuse = (what: string, why: string): never => {
		throw new InvalidInputError(`"${label}" is not ${what}, as the type ${type} needs: ${why}`, label);
	};
	const length = HASH_LENGTH[type];
	if (length !== undefined) {
		// certificate viewers show thumbprints as "AB CD EF …" or "AB:CD:…"
		if (type === 'CertificateThumbprint') text = text.replace(/[\s:]/g, '');
		if (new RegExp(`^[0-9a-f]{${length}}$`, 'i').test(text)) return { indicatorType: type, indicatorValue: text.toLowerCase() };
		const other = /^[0-9a-f]+$/i.test(text) ? HASH_NAMES[text.length] : undefined;
		return refuse(TYPE_WORDS[type], `${length} hexadecimal characters; ${other ? `this looks like ${other}, pick its type` : shapeOf(text)}`);
	}
	if (type === 'IpAddress') {
		if (text.includes('/')) return refuse('a single IP address', 'Defender does not take CIDR ranges (such as 192.0.2.0/24); submit each address');
		if (isIP(text) === 0) return refuse('an IP address', `an IPv4 address such as 203.0.113.7 or an IPv6 address such as 2001:db8::7; ${text.length} characters given`);
		return { indicatorType: type, indicatorValue: text };
	}
	if (type === 'DomainName') {
		if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('/')) return refuse('a domain name', 'a name such as malicious.example.com, without scheme or path (use the type Url for a URL)');
		if (isIP(text) !== 0) return refuse('a domain name', 'this is an IP address; use the type IpAddress');
		if (!isDomainName(text)) return refuse('a domain name', 'labels of letters, digits and "-" separated by dots, such as malicious.example.com');
		return { indicatorType: type, indicatorValue: text.toLowerCase() };
	}
	// Url
	if (!isHttpUrl(text)) return refuse('a URL', 'an http or https URL such as https://malicious.example.com/payload (a scheme-less example.com/path works too), with a domain or IP host');
	return { indicatorType: type, indicatorValue: text };
}

/**
 * The indicator action, checked against what Defender still supports and the type. Audit needs
 * generateAlert true (sent even when not asked for); Alert / AlertAndBlock were retired in 2022; Warn is
 * Defender for Cloud Apps' and applies to network indicators; BlockAndRemediate to files.
 */
export function requireIndicatorAction(
	action: unknown,
	indicatorType: string,
	generateAlert: boolean | undefined,
	label = 'Action',
): { action: string; generateAlert: boolean | undefined } {
	const text = requireText(action, label).trim();
	if ((RETIRED_INDICATOR_ACTIONS as readonly string[]).includes(text)) {
		throw new InvalidInputError(
			`"${label}" ${text} was retired by Defender (supported until January 2022); use Audit (alerts without blocking) or Block (and Generate Alert on for an alert)`,
			label,
		);
	}
	const value = requireEnumValue(text, INDICATOR_ACTIONS, label);
	if (value === 'BlockAndRemediate' && !FILE_INDICATOR_TYPES.includes(indicatorType)) {
		throw new InvalidInputError(`"${label}" BlockAndRemediate applies to files only (FileSha1, FileSha256, FileMd5), not to ${indicatorType}; use Block`, label);
	}
	if (value === 'Warn' && !NETWORK_INDICATOR_TYPES.includes(indicatorType)) {
		throw new InvalidInputError(
			`"${label}" Warn is for Defender for Cloud Apps and network indicators (IpAddress, DomainName, Url), not for ${indicatorType}; use Audit or Block`,
			label,
		);
	}
	if (value === 'Audit') {
		if (generateAlert === false) {
			throw new InvalidInputError(`"Generate Alert" must be on for the action Audit (Defender requires it); turn it on or choose another action`, 'generateAlert');
		}
		return { action: value, generateAlert: true };
	}
	return { action: value, generateAlert };
}
