/* Shared setup of the credential/token integration tests: the simulated cloud, the real credential types and node. */
import type { INodeParameters } from 'n8n-workflow';

import { resetTokenCaches as resetTokenCachesForTests } from './resetTokenCaches';
import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import type { LoggedRequest, SimCloud, SimOptions } from '../../../sim';
import { executeNode, type CredentialRef, type CredentialStore, type ExecuteResult } from '../../harness';
import { startTrustedCloud } from '../simBed';

export type { LoggedRequest, SimCloud } from '../../../sim';
export { certificateApp, customCloud, newStore, secretApp } from '../simBed';

export const nodeType = new Microsoft365Defender();

export const CLIENT = 'microsoft365DefenderClientCredentialsApi';
export const DEVICE = 'microsoft365DefenderDeviceCodeApi';
export const IDENTITY = 'microsoft365DefenderManagedIdentityApi';

export const AUTHENTICATION: Record<string, string> = {
	[CLIENT]: 'clientCredentials',
	[DEVICE]: 'deviceCode',
	[IDENTITY]: 'managedIdentity',
};

export async function startCloud(options: SimOptions = {}): Promise<SimCloud> {
	const cloud = await startTrustedCloud({ pageSize: 5, incidents: 8, deviceCodeIntervalSec: 0, ...options });
	resetTokenCachesForTests();
	return cloud;
}

export const listIncidents: INodeParameters = {
	resource: 'incident',
	operation: 'getAll',
	returnAll: false,
	limit: 3,
};

/** Runs the real node with one credential of `type`. */
export async function runNode(
	store: CredentialStore,
	type: string,
	ref: CredentialRef,
	parameters: INodeParameters = listIncidents,
	mode: 'manual' | 'trigger' | 'cli' = 'manual',
): Promise<ExecuteResult> {
	return await executeNode(nodeType, {
		store,
		credentials: { [type]: ref },
		parameters: { authentication: AUTHENTICATION[type], ...parameters },
		mode,
	});
}

/** Every text a user or a log could see from a run: output items and the error with all its parts. */
export function visibleText(result: ExecuteResult): string {
	const parts: string[] = [JSON.stringify(result.outputs ?? [])];
	let error: unknown = result.error;
	for (let depth = 0; error && depth < 6; depth++) {
		const e = error as Error & { description?: string; cause?: unknown };
		parts.push(String(e.message), String(e.description ?? ''), String(e.stack ?? ''));
		try {
			parts.push(JSON.stringify(e));
		} catch {
			// circular: the parts above are enough
		}
		error = e.cause;
	}
	return parts.join('\n');
}

/** Every secret the simulated cloud handed out: app secrets and refresh tokens (access tokens are JWTs, see below). */
export function knownSecrets(cloud: SimCloud): string[] {
	return [cloud.apps.secret.clientSecret, cloud.apps.readOnly.clientSecret, ...cloud.refreshTokens.keys()];
}

export function expectNoSecrets(text: string, cloud: SimCloud): void {
	for (const secret of knownSecrets(cloud)) {
		if (text.includes(secret)) throw new Error(`a secret or token of the simulated cloud appears in the text (${secret.slice(0, 6)}…)`);
	}
	// no JWT-shaped text either
	expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
}

export function tokenRequests(cloud: SimCloud): LoggedRequest[] {
	return cloud.requests.filter((r) => r.server === 'login' && r.path.endsWith('/oauth2/v2.0/token'));
}

/**
 * Records everything written to the console and to stdout/stderr while a test file runs (still passing it
 * through), so a test can check that no secret or token was logged.
 */
export function watchLogs(): { text(): string; restore(): void } {
	const chunks: string[] = [];
	const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => {
		const original = console[method].bind(console);
		return jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg) ?? String(arg))).join(' '));
			original(...args);
		});
	});
	const streams = [process.stdout, process.stderr].map((stream) => {
		const original = stream.write.bind(stream);
		return jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
			chunks.push(String(chunk));
			return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
		}) as typeof stream.write);
	});
	return {
		text: () => chunks.join('\n'),
		restore: () => [...spies, ...streams].forEach((spy) => spy.mockRestore()),
	};
}

/**
 * The hooks every auth suite shares: one simulated cloud per file (`bed.cloud` once beforeAll ran),
 * fresh token caches and request log per test, and at the end a scan of everything logged for secrets.
 */
export function useCloud(): { cloud: SimCloud } {
	const bed = {} as { cloud: SimCloud };
	let logs: ReturnType<typeof watchLogs>;
	beforeAll(async () => {
		logs = watchLogs();
		bed.cloud = await startCloud();
	});
	afterAll(async () => {
		logs.restore();
		await bed.cloud.stop();
		// nothing the tests made n8n, the libraries or the node log carries a secret or token
		expectNoSecrets(logs.text(), bed.cloud);
	});
	beforeEach(() => {
		resetTokenCachesForTests();
		bed.cloud.clearRequests();
	});
	return bed;
}
