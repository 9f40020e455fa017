/**
 * Errors of the token module. n8n wraps whatever a credential's `authenticate` / `preAuthentication`
 * throws in a NodeApiError; the transport finds these on `error.cause` (n8n 1.x: errorOriginOf) and
 * shows their message as is.
 * None of them ever carries a secret or a token: messages are built from field names, Entra's error
 * text and codes only.
 */

/** The token module's own errors: their message is what the user needs to read, as is. */
export class AuthError extends Error {}

/** A credential field is empty or malformed; thrown before any network call. */
export class CredentialInputError extends AuthError {
	readonly field: string;

	constructor(field: string, problem: string) {
		super(`Credential field "${field}": ${problem}`);
		this.name = 'CredentialInputError';
		this.field = field;
	}
}

export interface PendingSignInInfo {
	verificationUri: string;
	userCode: string;
	/** ISO date when the user code stops working */
	expiresAt: string;
}

export function formatUtcTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return `${date.toISOString().slice(11, 16)} UTC`;
}

/**
 * The device-code sign-in instructions users read in a node's error and the Start Sign-In output
 * (`node`), or in the credential dialog's test result (`dialog`, where Retry tests again).
 */
export function signInInstructions(pending: PendingSignInInfo, where: 'node' | 'dialog' = 'node'): string {
	const next = where === 'dialog' ? 'then press Retry' : 'then run this node again';
	return `To sign in, open ${pending.verificationUri} and enter the code ${pending.userCode}, ${next}. The code expires at ${formatUtcTime(pending.expiresAt)}.`;
}

/** A device-code credential is not (or no longer) signed in; the message tells the user what to do. */
export class SignInRequiredError extends AuthError {
	readonly pendingSignIn?: PendingSignInInfo;

	/** `reason` is prepended, e.g. why the previous sign-in stopped working. */
	constructor(pending: PendingSignInInfo | undefined, reason?: string) {
		const instructions = pending
			? signInInstructions(pending)
			: 'This Microsoft 365 Defender credential is not signed in yet. Run this node again to get a sign-in code, or use the Device Code Sign-In resource of the node to start the sign-in.';
		super(reason ? `${reason} ${instructions}` : instructions);
		this.name = 'SignInRequiredError';
		// only what the user sees: a stored sign-in also holds the device code, which must not travel
		this.pendingSignIn = pending
			? { verificationUri: pending.verificationUri, userCode: pending.userCode, expiresAt: pending.expiresAt }
			: undefined;
	}
}

/** Entra ID (or the managed-identity endpoint) refused or failed a token request. */
export class TokenRequestError extends AuthError {
	/** Entra's error code such as `invalid_client`, or `network_error` */
	readonly errorCode?: string;

	/** AADSTS numbers found in the message, e.g. ['AADSTS7000215'] */
	readonly aadstsCodes: string[];

	constructor(message: string, errorCode?: string) {
		super(message);
		this.name = 'TokenRequestError';
		this.errorCode = errorCode;
		this.aadstsCodes = [...new Set(message.match(/AADSTS\d+/g) ?? [])];
	}
}

/**
 * Removes anything that looks like a token or a secret from a text taken from a library error before it
 * reaches a user: JWTs, long opaque strings, and `key=value` pairs of sensitive parameters.
 */
export function redactSecrets(text: string, knownSecrets: string[] = []): string {
	let result = text;
	for (const secret of knownSecrets) {
		if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
	}
	return result
		.replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted]')
		.replace(
			/((?:client_secret|client_assertion|refresh_token|access_token|id_token|device_code|assertion)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
			'$1[redacted]',
		);
}

/** What users should check, per Entra error code (AADSTS number). */
const AADSTS_HINTS: Record<string, string> = {
	AADSTS90002: 'Check the Tenant ID: no such tenant exists in this cloud.',
	AADSTS900023: 'Check the Tenant ID: it is not a valid tenant ID or domain.',
	AADSTS90072: 'The account is not in the tenant given in Tenant ID.',
	AADSTS700016: 'Check the Client ID and the Tenant ID: the app is not registered in this tenant.',
	AADSTS7000215: 'Check the Client Secret: use the secret\'s value, not its ID.',
	AADSTS7000222: 'The client secret has expired: create a new one in the app registration.',
	AADSTS700027: 'The certificate is not registered on the app (Certificates & secrets), or the assertion is invalid.',
	AADSTS65001: 'An administrator has not granted consent to the app\'s permissions yet.',
	AADSTS7000218: 'The app is not a public client: enable "Allow public client flows" in its Authentication settings, or use the default Client ID.',
	AADSTS70011: 'The scope asked for is not valid for this cloud or app.',
	AADSTS700082: 'The sign-in has expired because it was not used for too long.',
	AADSTS50173: 'The sign-in was revoked (for example after a password change).',
};

/** Entra descriptions end with "Trace ID / Correlation ID / Timestamp" lines users do not need twice. */
export function firstLines(description: string): string {
	return description
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '' && !/^(Trace ID|Correlation ID|Timestamp):/i.test(line.trim()))
		.join(' ')
		.trim();
}

interface LibraryError {
	name?: string;
	message?: string;
	errorCode?: string;
	errorMessage?: string;
	subError?: string;
	code?: string;
	statusCode?: number;
	errorResponse?: { error?: string; errorDescription?: string };
	cause?: unknown;
}

/**
 * Turns an @azure/identity or msal error into a TokenRequestError carrying Entra's own text (AADSTS code
 * and description) plus what to check. `what` says which request failed, e.g. "The token request".
 */
export function toTokenRequestError(error: unknown, what: string, knownSecrets: string[] = []): TokenRequestError {
	if (error instanceof TokenRequestError || error instanceof CredentialInputError) return error as TokenRequestError;
	// our HTTP client's own verdicts (blocked by n8n, timed out) survive the libraries' wrapping
	for (let inner = (error as LibraryError)?.cause, depth = 0; inner && depth < 6; inner = (inner as LibraryError).cause, depth++) {
		if (inner instanceof TokenRequestError) return inner;
	}
	const e = (error ?? {}) as LibraryError;
	let code = e.errorResponse?.error ?? e.errorCode;
	let description = e.errorResponse?.errorDescription ?? e.errorMessage ?? e.message ?? String(error);
	const cause = e.cause as LibraryError | undefined;
	if (cause && (cause.errorResponse || cause.errorCode)) {
		code = cause.errorResponse?.error ?? cause.errorCode ?? code;
		description = cause.errorResponse?.errorDescription ?? cause.errorMessage ?? description;
	}
	const network = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH'].find(
		(c) => e.code === c || cause?.code === c || description.includes(c),
	);
	if (network) {
		return new TokenRequestError(
			redactSecrets(`${what} could not reach Microsoft Entra ID (${network}). Check the cloud / sign-in URL and the network or proxy of n8n.`, knownSecrets),
			'network_error',
		);
	}
	const text = firstLines(description);
	const codes = text.match(/AADSTS\d+/g) ?? [];
	const hints = [...new Set(codes)].map((c) => AADSTS_HINTS[c]).filter(Boolean);
	const prefix = code && !text.startsWith(code) ? `${code}: ` : '';
	const message = `${what} was refused by Microsoft Entra ID: ${prefix}${text}${hints.length ? ` ${hints.join(' ')}` : ''}`;
	return new TokenRequestError(redactSecrets(message, knownSecrets), code);
}

/**
 * Not a failure: thrown by `authenticate` to stop the request of a Device Code Sign-In operation (start,
 * complete, sign out) once preAuthentication has done and persisted the work; the operation reads the
 * result from the credential data it passed in.
 */
export class DeviceSignInActionDone extends Error {
	constructor() {
		super('The device-code sign-in step is done.');
		this.name = 'DeviceSignInActionDone';
	}
}

/**
 * What the token module threw inside n8n's request path (a credential's `authenticate` /
 * `preAuthentication`), by message. n8n 1.x's NodeApiError drops an Error `cause` (n8n-workflow 1.x
 * declares `cause` as a class field, which resets it after the constructor), so there the transport
 * finds the original error by the wrapper's message instead; n8n 2.x keeps the cause.
 */
const thrownInsideN8n = new Map<string, Error>();
const THROWN_KEPT = 50;

/** Remembers `error` for errorOriginOf (the newest THROWN_KEPT messages) and returns it. */
export function rememberThrownInsideN8n(error: unknown): unknown {
	if (error instanceof Error && error.message) {
		thrownInsideN8n.delete(error.message);
		thrownInsideN8n.set(error.message, error);
		if (thrownInsideN8n.size > THROWN_KEPT) thrownInsideN8n.delete(thrownInsideN8n.keys().next().value as string);
	}
	return error;
}

/** The token-module error an n8n wrapper without a cause stands for, if its message is one of them. */
export function errorOriginOf(wrapper: unknown): Error | undefined {
	if (!(wrapper instanceof Error) || (wrapper as { cause?: unknown }).cause !== undefined) return undefined;
	const origin = thrownInsideN8n.get(wrapper.message);
	return origin === wrapper ? undefined : origin;
}

/**
 * The token module's error behind `error` (n8n wraps what `authenticate` / `preAuthentication` throw, on
 * `cause`, or on 1.x by message only), or undefined: for the transport, instead of a list of class names.
 */
export function findAuthError(error: unknown): AuthError | undefined {
	const seen: unknown[] = [];
	for (let current = error; current instanceof Error && seen.length < 6 && !seen.includes(current); ) {
		if (current instanceof AuthError) return current;
		seen.push(current);
		current = (current as { cause?: unknown }).cause ?? errorOriginOf(current);
	}
	return undefined;
}
