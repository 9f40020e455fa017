import { TokenRequestError, firstLines } from './errors';
import { type TokenHttp, n8nHttp } from './httpClient';

/**
 * msal reports a tenant whose sign-in metadata cannot be loaded (wrong tenant, wrong cloud) only as
 * "endpoints_resolution_error". Reads the metadata once more, through n8n's HTTP stack, to give the
 * user Entra's own answer: only an Entra-shaped one (`error_description` starting with an AADSTS
 * code), so a service that is not Entra never has its text copied into an error.
 */
export async function explainMetadataFailure(metadataUrl: string, http?: TokenHttp): Promise<string | undefined> {
	try {
		const response = await n8nHttp(http)({ method: 'GET', url: metadataUrl, headers: { Accept: 'application/json' } });
		const body = JSON.parse(response.body) as { error?: unknown; error_description?: unknown };
		if (typeof body.error !== 'string' || typeof body.error_description !== 'string') return undefined;
		const description = firstLines(body.error_description);
		return /^AADSTS\d{5,7}: /.test(description) ? description.slice(0, 400) : undefined;
	} catch (error) {
		// n8n refused to send it: that, not Entra, is why the sign-in failed
		if (error instanceof TokenRequestError && error.errorCode === 'ssrf_blocked') throw error;
		return undefined;
	}
}
