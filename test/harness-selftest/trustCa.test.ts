import crypto from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

import { CredentialStore, executeNode, trustCa, untrustAllCas } from '../harness';
import { allCredentialTypes, HarnessNode } from './fixtures';

function rsaKey() {
	const pem = crypto
		.generateKeyPairSync('rsa', { modulusLength: 2048 })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString();
	return { pem, key: forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey };
}

function certificate(
	subjectCn: string,
	key: forge.pki.rsa.PrivateKey,
	issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
) {
	const cert = forge.pki.createCertificate();
	cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
	cert.serialNumber = '01' + crypto.randomBytes(6).toString('hex');
	cert.validity.notBefore = new Date(Date.now() - 3600_000);
	cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
	cert.setSubject([{ name: 'commonName', value: subjectCn }]);
	cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: 'commonName', value: subjectCn }]);
	cert.setExtensions(
		issuer
			? [
					{ name: 'basicConstraints', cA: false },
					{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
				]
			: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }],
	);
	cert.sign(issuer?.key ?? key, forge.md.sha256.create());
	return cert;
}

describe('harness trustCa', () => {
	let server: https.Server;
	let url: string;
	let caPem: string;

	beforeAll(async () => {
		const ca = rsaKey();
		const caCert = certificate('Harness Test CA', ca.key);
		const leaf = rsaKey();
		const leafCert = certificate('127.0.0.1', leaf.key, { cert: caCert, key: ca.key });
		caPem = forge.pki.certificateToPem(caCert);
		server = https.createServer({ key: leaf.pem, cert: forge.pki.certificateToPem(leafCert) }, (req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ id: req.url?.split('/').pop() }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		untrustAllCas();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	const run = async () => {
		const store = new CredentialStore(allCredentialTypes());
		const ref = store.add('harnessFunctionAuthApi', { baseUrl: url });
		return await executeNode(new HarnessNode(), {
			store,
			parameters: { itemId: 'tls-ok' },
			credentials: { harnessFunctionAuthApi: ref },
		});
	};

	test("n8n's httpRequest refuses the unknown CA, then trusts it after trustCa", async () => {
		const refused = await run();
		expect(refused.error).toBeDefined();
		expect(JSON.stringify(refused.error)).toMatch(/self[- ]signed|unable to (get|verify)|UNABLE_TO|SELF_SIGNED/i);

		trustCa(caPem);
		const trusted = await run();
		expect(trusted.error).toBeUndefined();
		expect(trusted.items[0].json).toMatchObject({ id: 'tls-ok' });

		untrustAllCas();
		expect((await run()).error).toBeDefined();
	});
});
