import { type AppTokenOptions, appTokens, forgetN8nHttp, signInsInProcess } from '../../../nodes/Microsoft365Defender/auth';

/**
 * Forgets every in-process token, library object and kept sign-in of the token module, as a new n8n
 * process would start (each module's own reset); `options` go to the app-token owner (e.g. no
 * managed-identity retries).
 */
export function resetTokenCaches(options?: AppTokenOptions): void {
	appTokens.reset(options);
	signInsInProcess.reset();
	forgetN8nHttp();
}
