import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	validateCertificatePem,
	validateClientCredentials,
	validateClientId,
	validateTenantId,
} from '../../../nodes/Microsoft365Defender/auth/validate';

import forge from 'node-forge';

function keyAndCertificate(validity = { from: Date.now() - 3600_000, to: Date.now() + 86400_000 }): { keyPem: string; certPem: string } {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
	const cert = forge.pki.createCertificate();
	cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
	cert.serialNumber = '01';
	cert.validity.notBefore = new Date(validity.from);
	cert.validity.notAfter = new Date(validity.to);
	cert.setSubject([{ name: 'commonName', value: 'n8n test' }]);
	cert.setIssuer([{ name: 'commonName', value: 'n8n test' }]);
	cert.sign(key, forge.md.sha256.create());
	return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

const GUID = '6f1a2b3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c';

describe('tenant id', () => {
	it.each([
		[GUID, false, GUID],
		['contoso.onmicrosoft.com', false, 'contoso.onmicrosoft.com'],
		[' contoso.com ', false, 'contoso.com'],
		['organizations', true, 'organizations'],
		['Common', true, 'common'],
	])('accepts %j (multi-tenant allowed: %s)', (value, multi, expected) => {
		expect(validateTenantId(value, multi)).toBe(expected);
	});

	it.each([
		['', false, /"tenantId": is empty/],
		[undefined, true, /"tenantId": is empty/],
		['organizations', false, /"tenantId": "organizations" names no single tenant/],
		['not a tenant', false, /"tenantId": "not a tenant" is not a tenant ID or domain/],
		['contoso', true, /"tenantId": "contoso" is not a tenant ID/],
		['6f1a2b3c-0d4e-4f5a-8b6c', false, /"tenantId"/],
	])('refuses %j (multi-tenant allowed: %s)', (value, multi, message) => {
		expect(() => validateTenantId(value, multi)).toThrow(message);
	});
});

describe('client id', () => {
	it('accepts a GUID, or empty when optional (system-assigned managed identity)', () => {
		expect(validateClientId(` ${GUID} `)).toBe(GUID);
		expect(validateClientId('', true)).toBe('');
	});

	it.each([
		['', /"clientId": is empty; enter the application \(client\) ID/],
		['my-app', /"clientId": "my-app" is not a GUID/],
		['6f1a2b3c0d4e4f5a8b6c7d8e9f0a1b2c', /"clientId".*not a GUID/],
		// a secret pasted into the wrong field: named, measured, never shown (issue 11 item 5)
		['abc8Q~qwertyuiopasdfghjklzxcvbnm1234567890', /^(?!.*qwerty).*"clientId": the value entered \(42 characters, not shown: it looks like a secret or token/],
		['dGhpcyBpcyBhbiBvbGQtc3R5bGUgc2VjcmV0+/==', /^(?!.*dGhp).*"clientId": the value entered \(\d+ characters, not shown/],
	])('refuses %j', (value, message) => {
		expect(() => validateClientId(value)).toThrow(message);
	});
});

describe('client credentials', () => {
	const base = { tenantId: GUID, clientId: GUID };

	it('secret: required, used as given (not trimmed) and never echoed in errors', () => {
		expect(validateClientCredentials({ ...base, authMethod: 'clientSecret', clientSecret: ' s3cr3t ' }).clientSecret).toBe(' s3cr3t ');
		expect(() => validateClientCredentials({ ...base, authMethod: 'clientSecret', clientSecret: '' })).toThrow(/"clientSecret": is empty/);
	});

	it('unknown authMethod names the allowed values', () => {
		expect(() => validateClientCredentials({ ...base, authMethod: 'password' })).toThrow(
			/"authMethod": unknown value "password"; allowed: clientSecret, certificate/,
		);
	});
});

describe('certificate PEM', () => {
	const pair = keyAndCertificate();
	const other = keyAndCertificate();

	it('an expired certificate is refused before any request, with its expiry date (issue 11 item 12)', () => {
		const expired = keyAndCertificate({ from: Date.parse('2024-01-01T00:00:00Z'), to: Date.parse('2025-01-01T00:00:00Z') });
		expect(() => validateCertificatePem(expired.keyPem + expired.certPem)).toThrow(
			/"certificate": the certificate expired on 2025-01-01; create a new one and upload it to the app registration/,
		);
	});

	it('an EC key with its own certificate is refused before any request as what Entra needs (issue 11 item 12)', () => {
		// node-forge makes RSA certificates only: the EC pair comes from openssl (Debian's, on this machine)
		const dir = mkdtempSync(join(tmpdir(), 'ec-'));
		execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=n8n test', '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
		const ecPem = readFileSync(join(dir, 'key.pem'), 'utf8') + readFileSync(join(dir, 'cert.pem'), 'utf8');
		rmSync(dir, { recursive: true, force: true });
		expect(() => validateCertificatePem(ecPem)).toThrow(
			/^Credential field "certificate": holds a EC key; Microsoft Entra ID app certificates need an RSA key \(2048 bits or more\)$/,
		);
	});

	it('accepts the key and the certificate in either order, and literal \\n sequences', () => {
		expect(validateCertificatePem(pair.keyPem + pair.certPem)).toContain('BEGIN CERTIFICATE');
		expect(validateCertificatePem(pair.certPem + pair.keyPem)).toContain('PRIVATE KEY');
		const oneLine = (pair.keyPem + pair.certPem).trim().replace(/\r?\n/g, '\\n');
		expect(validateCertificatePem(oneLine)).toContain('\n');
	});

	it.each([
		['empty', () => '', /"certificate": is empty/],
		['not PEM', () => 'MIIC...base64 without armor', /"certificate": is not PEM text/],
		['no private key', () => pair.certPem, /"certificate": lacks the private key/],
		['no certificate', () => pair.keyPem, /"certificate": lacks the certificate/],
		['encrypted key', () => '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n' + pair.certPem, /password-protected/],
		['broken certificate', () => pair.keyPem + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', /not a valid X\.509 certificate/],
		['key of another pair', () => other.keyPem + pair.certPem, /does not belong to the certificate/],
	])('refuses: %s', (_name, pem, message) => {
		expect(() => validateCertificatePem(pem())).toThrow(message);
	});

	it('never puts the key into the message', () => {
		try {
			validateCertificatePem(other.keyPem + pair.certPem);
		} catch (error) {
			expect((error as Error).message).not.toContain('BEGIN');
		}
	});
});
