/**
 * A managed identity used outside Azure. The IMDS address is redirected (AZURE_POD_IDENTITY_AUTHORITY_HOST,
 * which msal-node and @azure/identity honour) to a closed port on 127.0.0.1: nothing may reach 169.254.169.254.
 * Own file: msal-node picks its managed-identity source once per module registry.
 */
import { createServer } from 'node:net';

import { resetTokenCaches } from './resetTokenCaches';
import { testCredential } from '../../harness';
import { IDENTITY, newStore, nodeType, runNode } from './authTestBed';

const ENV_KEYS = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'IMDS_ENDPOINT', 'AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IDENTITY_SERVER_THUMBPRINT'];
const savedEnv: Record<string, string | undefined> = {};

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));
	return port;
}

beforeAll(async () => {
	for (const key of ENV_KEYS) {
		savedEnv[key] = process.env[key];
		delete process.env[key];
	}
	process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = `http://127.0.0.1:${await closedPort()}`;
	resetTokenCaches({ managedIdentityMaxRetries: 0 });
});

afterAll(() => {
	resetTokenCaches();
	for (const key of ENV_KEYS) {
		if (savedEnv[key] === undefined) delete process.env[key];
		else process.env[key] = savedEnv[key];
	}
});

it('says that no managed-identity endpoint was found', async () => {
	const store = newStore();
	const ref = store.add(IDENTITY, { cloud: 'global', clientId: '' });
	const result = await runNode(store, IDENTITY, ref);
	expect(result.error?.message).toMatch(/No managed-identity endpoint was found/);
});

it('the credential test says so too', async () => {
	const result = await testCredential(nodeType, IDENTITY, { store: newStore(), data: { cloud: 'global', clientId: '' } });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/No managed-identity endpoint was found/);
});
