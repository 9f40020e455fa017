// Types for rest.js.
export const E2E_OWNER: { email: string; firstName: string; lastName: string; password: string };

export class N8nRestClient {
	constructor(port: number);
	port: number;
	cookie: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	request(method: string, route: string, body?: unknown, options?: { timeoutMs?: number }): Promise<{ status: number; json: any; text: string }>;
	waitForRestApi(timeoutMs?: number): Promise<void>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	signInAsOwner(owner?: typeof E2E_OWNER): Promise<any>;
	execution(id: string): Promise<{ id: string; status: string; finished: boolean; mode: string; waitTill?: string | null; stoppedAt?: string | null }>;
	testStoredCredential(id: string): Promise<{ status: 'OK' | 'Error'; message: string }>;
}
