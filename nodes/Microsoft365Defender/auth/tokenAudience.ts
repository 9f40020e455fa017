import { SignInRequiredError } from './errors';

/** Microsoft Graph's application id: the `aud` of Graph tokens in every cloud. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

function audiences(token: string): string[] | undefined {
	const payload = token.split('.')[1];
	if (payload === undefined || token.split('.').length !== 3) return undefined;
	try {
		const aud = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: unknown }).aud;
		return (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string');
	} catch {
		return undefined;
	}
}

/**
 * A stored user token goes only to the Graph host it was issued for: a JWT whose audience names another
 * host is refused before it is attached (opaque tokens carry no audience to check).
 */
export function assertTokenFor(token: string, graphEndpoint: string): void {
	const aud = audiences(token);
	if (aud === undefined) return;
	const host = graphEndpoint.replace(/\/+$/, '').toLowerCase();
	const matches = aud.some((a) => a.toLowerCase() === GRAPH_APP_ID || a.replace(/\/+$/, '').toLowerCase() === host);
	if (!matches) {
		throw new SignInRequiredError(
			undefined,
			`The stored sign-in was made for another Microsoft Graph host than ${host}; it is not sent there: sign in again.`,
		);
	}
}
