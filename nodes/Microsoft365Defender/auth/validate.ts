import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CredentialInputError } from './errors';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Tenants that name no single directory: fine for a user's sign-in, not for an app's. */
const MULTI_TENANT_ALIASES = ['organizations', 'common'];

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/**
 * A value that may be a secret or token pasted into the wrong field (an Entra secret holds "~", older
 * ones base64 characters; JWTs, PEM, long random strings): such a value is never quoted in a message.
 */
function couldBeSecret(value: string): boolean {
	return /~|-----BEGIN|^eyJ/.test(value) || value.length > 40 || (value.length >= 20 && /[+/=]/.test(value));
}

/** How a message names a bad id value: quoted when it cannot be a secret, else only described. */
export function shown(value: string): string {
	return couldBeSecret(value)
		? `the value entered (${value.length} characters, not shown: it looks like a secret or token; was it pasted into the wrong field?)`
		: `"${value}"`;
}

export function isGuid(value: string): boolean {
	return GUID.test(value);
}

/**
 * Tenant ID: a directory (tenant) ID (GUID) or a verified domain such as contoso.onmicrosoft.com.
 * A user's device-code sign-in also accepts `organizations` / `common`.
 */
export function validateTenantId(value: unknown, allowMultiTenant: boolean): string {
	const tenantId = text(value);
	const allowed = allowMultiTenant
		? 'a directory (tenant) ID such as 00000000-0000-0000-0000-000000000000, a domain such as contoso.onmicrosoft.com, or "organizations"'
		: 'the directory (tenant) ID of your tenant (a GUID such as 00000000-0000-0000-0000-000000000000) or its domain such as contoso.onmicrosoft.com';
	if (tenantId === '') throw new CredentialInputError('tenantId', `is empty; enter ${allowed}`);
	if (MULTI_TENANT_ALIASES.includes(tenantId.toLowerCase())) {
		if (allowMultiTenant) return tenantId.toLowerCase();
		throw new CredentialInputError('tenantId', `${shown(tenantId)} names no single tenant; an app signs in to one tenant: enter ${allowed}`);
	}
	if (GUID.test(tenantId) || DOMAIN.test(tenantId)) return tenantId;
	throw new CredentialInputError('tenantId', `${shown(tenantId)} is not a tenant ID or domain; enter ${allowed}`);
}

/** Client ID: an application (client) ID, a GUID. `optional` (managed identity): empty is allowed. */
export function validateClientId(value: unknown, optional = false): string {
	const clientId = text(value);
	if (clientId === '' && optional) return '';
	const allowed = 'the application (client) ID, a GUID such as 00000000-0000-0000-0000-000000000000';
	if (clientId === '') throw new CredentialInputError('clientId', `is empty; enter ${allowed}`);
	if (!GUID.test(clientId)) throw new CredentialInputError('clientId', `${shown(clientId)} is not a GUID; enter ${allowed}`);
	return clientId;
}

export function validateClientSecret(value: unknown): string {
	// not trimmed: the secret is used exactly as pasted, and never echoed back
	const secret = typeof value === 'string' ? value : '';
	if (secret.trim() === '') {
		throw new CredentialInputError('clientSecret', 'is empty; enter the client secret value (not its ID) from the app registration');
	}
	return secret;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * Certificate: PEM text with the private key and the certificate, e.g. `cat key.pem cert.pem`.
 * Checks both parse and belong together, so a wrong paste fails here and not at Entra.
 * Returns the PEM normalized (literal "\n" sequences turned into line breaks).
 */
export function validateCertificatePem(value: unknown): string {
	const field = 'certificate';
	let pem = typeof value === 'string' ? value.trim() : '';
	if (pem === '') {
		throw new CredentialInputError(field, 'is empty; paste the PEM text holding the private key and the certificate');
	}
	if (!pem.includes('\n') && pem.includes('\\n')) pem = pem.replace(/\\n/g, '\n');
	const blocks = [...pem.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1], text: match[0] }));
	if (blocks.length === 0) {
		throw new CredentialInputError(field, 'is not PEM text; paste the "-----BEGIN PRIVATE KEY-----" and "-----BEGIN CERTIFICATE-----" blocks');
	}
	if (blocks.some((block) => block.label === 'ENCRYPTED PRIVATE KEY') || /Proc-Type: 4,ENCRYPTED/.test(pem)) {
		throw new CredentialInputError(field, 'holds a password-protected private key; export the key without a password (PKCS#8 "BEGIN PRIVATE KEY")');
	}
	const keyBlock = blocks.find((block) => /^(RSA |EC )?PRIVATE KEY$/.test(block.label));
	if (!keyBlock) {
		throw new CredentialInputError(field, 'lacks the private key; paste the "-----BEGIN PRIVATE KEY-----" block together with the certificate');
	}
	const certBlock = blocks.find((block) => block.label === 'CERTIFICATE');
	if (!certBlock) {
		throw new CredentialInputError(field, 'lacks the certificate; paste the "-----BEGIN CERTIFICATE-----" block together with the private key');
	}
	let certificate: X509Certificate;
	try {
		certificate = new X509Certificate(certBlock.text);
	} catch {
		throw new CredentialInputError(field, 'the CERTIFICATE block is not a valid X.509 certificate');
	}
	let privateKey;
	try {
		privateKey = createPrivateKey(keyBlock.text);
	} catch {
		throw new CredentialInputError(field, 'the PRIVATE KEY block is not a valid private key');
	}
	if (!certificate.checkPrivateKey(privateKey)) {
		throw new CredentialInputError(field, 'the private key does not belong to the certificate; paste the key and the certificate of the same pair');
	}
	// Entra refuses these with a message that does not say why; say it before any request
	if (privateKey.asymmetricKeyType !== 'rsa') {
		throw new CredentialInputError(field, `holds a ${String(privateKey.asymmetricKeyType).toUpperCase()} key; Microsoft Entra ID app certificates need an RSA key (2048 bits or more)`);
	}
	const now = Date.now();
	if (Date.parse(certificate.validTo) <= now) {
		throw new CredentialInputError(field, `the certificate expired on ${new Date(certificate.validTo).toISOString().slice(0, 10)}; create a new one and upload it to the app registration`);
	}
	if (Date.parse(certificate.validFrom) > now) {
		throw new CredentialInputError(field, `the certificate is not valid before ${new Date(certificate.validFrom).toISOString().slice(0, 10)}`);
	}
	return pem;
}

export interface ClientCredentialsInput {
	tenantId: string;
	clientId: string;
	authMethod: 'clientSecret' | 'certificate';
	clientSecret?: string;
	certificatePem?: string;
}

export function validateClientCredentials(credentials: ICredentialDataDecryptedObject): ClientCredentialsInput {
	const tenantId = validateTenantId(credentials.tenantId, false);
	const clientId = validateClientId(credentials.clientId);
	const authMethod = credentials.authMethod === undefined || credentials.authMethod === '' ? 'clientSecret' : credentials.authMethod;
	if (authMethod === 'clientSecret') {
		return { tenantId, clientId, authMethod, clientSecret: validateClientSecret(credentials.clientSecret) };
	}
	if (authMethod === 'certificate') {
		return { tenantId, clientId, authMethod, certificatePem: validateCertificatePem(credentials.certificate) };
	}
	throw new CredentialInputError('authMethod', `unknown value ${shown(String(authMethod))}; allowed: clientSecret, certificate`);
}
