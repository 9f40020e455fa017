// @ts-check
'use strict';

/**
 * Certificates for the simulated cloud: one CA, one TLS server certificate for 127.0.0.1/localhost,
 * the signing key for tokens and the certificate of the "certificate" app. Generated once per process
 * (RSA key generation is the slow part) and reused by every simulated cloud started in that process.
 * trustCa(): makes this process's TLS clients trust the CA.
 */

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const forge = require('node-forge');

/** @typedef {{ keyPem: string, certPem: string }} KeyAndCert */

/**
 * Per-process store, kept on the (process-wide) node:tls module object so that it survives jest's per-file module
 * registry resets: one CA per process, and one CA name per process (OpenSSL picks a CA by subject).
 * @type {{ certs?: { ca: KeyAndCert, server: KeyAndCert, signing: { keyPem: string, publicKeyPem: string, kid: string }, caCertPath: string }, clientCerts: Map<string, { keyPem: string, certPem: string, pem: string }> }}
 */
const store = (() => {
	const key = Symbol.for('n8n-nodes-microsoft-365-defender.sim.certs');
	const holder = /** @type {any} */ (require('tls'));
	if (!holder[key]) holder[key] = { clientCerts: new Map() };
	return holder[key];
})();

function newRsaKeyPem() {
	const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** @param {number} n */
function serial(n) {
	return '0' + crypto.randomBytes(8).toString('hex') + n.toString(16);
}

/**
 * @param {{ subjectCn: string, keyPem: string, issuer?: KeyAndCert, isCa?: boolean, san?: boolean, days?: number }} o
 * @returns {string} certificate PEM
 */
function makeCert(o) {
	const key = forge.pki.privateKeyFromPem(o.keyPem);
	const publicKey = forge.pki.setRsaPublicKey(/** @type {any} */ (key).n, /** @type {any} */ (key).e);
	const cert = forge.pki.createCertificate();
	cert.publicKey = publicKey;
	cert.serialNumber = serial(1);
	const now = Date.now();
	cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
	cert.validity.notAfter = new Date(now + (o.days || 365) * 24 * 3600 * 1000);
	const subject = [{ name: 'commonName', value: o.subjectCn }, { name: 'organizationName', value: 'Simulated Microsoft Cloud' }];
	cert.setSubject(subject);
	let signKey = key;
	if (o.issuer) {
		cert.setIssuer(forge.pki.certificateFromPem(o.issuer.certPem).subject.attributes);
		signKey = forge.pki.privateKeyFromPem(o.issuer.keyPem);
	} else {
		cert.setIssuer(subject);
	}
	/** @type {any[]} */
	const extensions = [];
	if (o.isCa) {
		extensions.push({ name: 'basicConstraints', cA: true, critical: true });
		extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true });
	} else {
		extensions.push({ name: 'basicConstraints', cA: false });
		extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
		extensions.push({ name: 'extKeyUsage', serverAuth: true, clientAuth: true });
	}
	if (o.san) {
		extensions.push({
			name: 'subjectAltName',
			altNames: [
				{ type: 7, ip: '127.0.0.1' },
				{ type: 2, value: 'localhost' },
			],
		});
	}
	extensions.push({ name: 'subjectKeyIdentifier' });
	cert.setExtensions(extensions);
	cert.sign(/** @type {any} */ (signKey), forge.md.sha256.create());
	return forge.pki.certificateToPem(cert);
}

/** The per-process CA, server certificate and token signing key. */
function getProcessCertificates() {
	if (store.certs) return store.certs;
	const caKey = newRsaKeyPem();
	const caName = `Simulated Microsoft Cloud Test CA ${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
	const ca = { keyPem: caKey, certPem: makeCert({ subjectCn: caName, keyPem: caKey, isCa: true, days: 30 }) };
	const serverKey = newRsaKeyPem();
	const server = { keyPem: serverKey, certPem: makeCert({ subjectCn: '127.0.0.1', keyPem: serverKey, issuer: ca, san: true, days: 30 }) };
	const signingKey = newRsaKeyPem();
	const publicKeyPem = crypto.createPublicKey(signingKey).export({ type: 'spki', format: 'pem' }).toString();
	const kid = crypto.createHash('sha1').update(publicKeyPem).digest('base64url');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365d-sim-'));
	const caCertPath = path.join(dir, 'ca.pem');
	fs.writeFileSync(caCertPath, ca.certPem);
	process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
	store.certs = { ca, server, signing: { keyPem: signingKey, publicKeyPem, kid }, caCertPath };
	return store.certs;
}

/**
 * A self-signed client certificate for an app registration, as a user would paste it: private key + certificate.
 * @param {string} name
 */
function makeClientCertificate(name) {
	const keyPem = newRsaKeyPem();
	const certPem = makeCert({ subjectCn: name, keyPem, days: 365 });
	return { keyPem, certPem, pem: keyPem + certPem };
}

/** @param {string} name */
function getCachedClientCertificate(name) {
	let c = store.clientCerts.get(name);
	if (!c) {
		c = makeClientCertificate(name);
		store.clientCerts.set(name, c);
	}
	return c;
}

/**
 * Thumbprints of a certificate PEM (the first CERTIFICATE block), as x5t / x5t#S256 carry them.
 * @param {string} pem
 */
function certificateThumbprints(pem) {
	const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
	if (!m) throw new Error('No certificate in PEM');
	const der = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
	return {
		sha1: crypto.createHash('sha1').update(der).digest('base64url'),
		sha256: crypto.createHash('sha256').update(der).digest('base64url'),
		publicKey: crypto.createPublicKey(m[0]),
	};
}

// Kept on the process-wide tls module so jest's per-file module resets do not wrap createSecureContext twice.
const TRUST_KEY = Symbol.for('n8n-nodes-microsoft-365-defender.sim.trust');

/**
 * Makes this process trust a CA for every TLS client connection that does not pass its own `ca`
 * (node:https with any agent, fetch/undici, @azure/identity, msal-node). NODE_EXTRA_CA_CERTS is only read at
 * process start, so this patches tls.createSecureContext instead.
 * @param {string} caPem
 */
function trustCa(caPem) {
	const tls = require('tls');
	const holder = /** @type {any} */ (tls);
	if (holder[TRUST_KEY]) {
		holder[TRUST_KEY].add(caPem);
		return;
	}
	/** @type {Set<string>} */
	const trustedCas = new Set([caPem]);
	holder[TRUST_KEY] = trustedCas;
	const original = tls.createSecureContext;
	/** @type {any} */ (tls).createSecureContext = function createSecureContext(/** @type {any} */ options) {
		const context = original.call(this, options);
		if (!options || !options.ca) {
			for (const pem of trustedCas) context.context.addCACert(pem);
		}
		return context;
	};
}

module.exports = { getProcessCertificates, makeClientCertificate, getCachedClientCertificate, certificateThumbprints, trustCa };
