/** Every bad device / indicator input is refused with a message naming the field, and no request at all. */
import type { INodeParameters } from 'n8n-workflow';

import { SEED_MACHINE_IDS } from '../../../sim';
import { deviceLocator, resetMdeBed, startMdeBed, type MdeBed } from './setup';

let bed: MdeBed;
beforeAll(async () => {
	bed = await startMdeBed();
});
afterAll(async () => await bed.stop());
beforeEach(() => resetMdeBed(bed));

const DEVICE = deviceLocator(SEED_MACHINE_IDS[0]);
const SECRET = 'Zq8~secret.Value_that-MUST-not-show~1234567';
const indicator = (fields: INodeParameters): INodeParameters => ({
	resource: 'indicator',
	operation: 'create',
	indicatorType: 'Url',
	indicatorValue: 'https://bad.example.com',
	action: 'Block',
	title: 't',
	description: 'd',
	...fields,
});

const cases: Array<[string, INodeParameters, RegExp]> = [
	['a device id that is not 40 hex', { resource: 'device', operation: 'isolate', deviceId: deviceLocator('={{ "1e5bc9d7" }}'), comment: 'x' }, /^"Device" must be a Defender for Endpoint device ID: 40 hexadecimal characters/],
	['a secret pasted as device id', { resource: 'device', operation: 'get', deviceId: deviceLocator(`={{ "${SECRET}" }}`) }, /^"Device" must be/],
	['a device name with quotes', { resource: 'device', operation: 'get', deviceId: deviceLocator("x' or 1 eq 1", 'name') }, /^"Device" must be the device's DNS name/],
	['an empty comment (from an expression)', { resource: 'device', operation: 'isolate', deviceId: DEVICE, comment: '={{ "" }}' }, /^"Comment" is empty; Defender requires a comment/],
	['an unknown isolation type', { resource: 'device', operation: 'isolate', deviceId: DEVICE, comment: 'x', isolationType: '={{ "Partial" }}' }, /^"Isolation Type" has the unknown value "Partial"; allowed: Full, Selective, UnManagedDevice/],
	['an unknown scan type', { resource: 'device', operation: 'runAntivirusScan', deviceId: DEVICE, comment: 'x', scanType: '={{ "Deep" }}' }, /^"Scan Type" has the unknown value "Deep"; allowed: Quick, Full/],
	['a SHA-256 for Stop And Quarantine', { resource: 'device', operation: 'stopAndQuarantineFile', deviceId: DEVICE, comment: 'x', sha1: 'a'.repeat(64) }, /^"SHA-1" must be the file's SHA-1 hash: 40 hexadecimal characters .*SHA-256/],
	['a wait timeout too long', { resource: 'device', operation: 'isolate', deviceId: DEVICE, comment: 'x', options: { waitForCompletion: true, waitTimeoutMinutes: '={{ 1000 }}' } }, /^"Wait Timeout \(Minutes\)" must be at most 120/],
	['an unknown If Action Pending', { resource: 'device', operation: 'isolate', deviceId: DEVICE, comment: 'x', options: { ifActionPending: '={{ "retry" }}' } }, /^"If Action Pending" has the unknown value/],
	['a bad action id', { resource: 'device', operation: 'getAction', actionId: '12345' }, /^"Action ID" must be a Defender for Endpoint machine action ID, a GUID/],
	['an unknown health status filter', { resource: 'device', operation: 'getAll', filters: { healthStatus: '={{ ["Healthy"] }}' } }, /^"Health Status" has the unknown value "Healthy"/],
	['a bad last seen date', { resource: 'device', operation: 'getAll', filters: { lastSeenAfter: '={{ "yesterday" }}' } }, /^"Last Seen After" is not a date and time/],
	['a CIDR range', indicator({ indicatorType: 'IpAddress', indicatorValue: '192.0.2.0/24' }), /^"Indicator Value" is not a single IP address.*CIDR/],
	['a bad IP', indicator({ indicatorType: 'IpAddress', indicatorValue: '300.1.2.3' }), /^"Indicator Value" is not an IP address/],
	['a bad hash', indicator({ indicatorType: 'FileSha1', indicatorValue: 'abc' }), /^"Indicator Value" is not the file's SHA-1 hash/],
	['a bad URL', indicator({ indicatorType: 'Url', indicatorValue: 'ftp://x.example.com' }), /^"Indicator Value" is not a URL/],
	['a domain with a path', indicator({ indicatorType: 'DomainName', indicatorValue: 'x.example.com/a' }), /^"Indicator Value" is not a domain name/],
	['the retired action AlertAndBlock', indicator({ action: '={{ "AlertAndBlock" }}' }), /^"Action" AlertAndBlock was retired by Defender/],
	['Audit with Generate Alert off', indicator({ action: 'Audit', additionalFields: { generateAlert: false } }), /^"Generate Alert" must be on for the action Audit/],
	['BlockAndRemediate on a URL', indicator({ action: 'BlockAndRemediate' }), /^"Action" BlockAndRemediate applies to files only/],
	['Warn on a file', indicator({ indicatorType: 'FileMd5', indicatorValue: 'b'.repeat(32), action: 'Warn' }), /^"Action" Warn is for Defender for Cloud Apps/],
	['an empty title', indicator({ title: '={{ "" }}' }), /^"Title" is empty/],
	['an empty description', indicator({ description: '={{ " " }}' }), /^"Description" is empty/],
	['an expiration in the past', indicator({ additionalFields: { expirationTime: '2001-01-01T00:00:00Z' } }), /^"Expiration Time" 2001-01-01T00:00:00.000Z is in the past/],
	['a bad indicator id', { resource: 'indicator', operation: 'delete', indicatorId: 'abc' }, /^"Indicator ID" must be a Defender for Endpoint indicator ID/],
];

test.each(cases)('%s: refused, no request sent', async (_name, parameters, message) => {
	const out = await bed.runMde(parameters);
	expect(out.error?.message).toMatch(message);
	expect(out.error?.message).not.toContain(SECRET);
	expect(bed.cloud.requests).toEqual([]);
});
