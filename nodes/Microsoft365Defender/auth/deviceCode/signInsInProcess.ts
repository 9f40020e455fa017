import type { TokenHttp } from '../httpClient';
import { type PendingSignIn, type PollResult, pollDeviceCodeOnce } from './grant';
import { type SessionResult, seedSession } from './session';
import type { DeviceCodeSettings } from './settings';

/**
 * Device-code sign-ins this process started or redeemed, by settings fingerprint, for what n8n cannot
 * persist:
 * - a credential test (also before the credential is saved) stores nothing: the code it showed is kept
 *   here, so Retry after approval redeems that same code, and the next run adopts the sign-in;
 * - two runs right after approval both read the same pending code: the second gets the first one's
 *   sign-in instead of Entra's "already redeemed" and a fresh code.
 * Bounded (the oldest goes first) and expiring: a code lives as long as Entra keeps it; a sign-in redeemed
 * by a credential test until the first run adopts it (at most a day); one redeemed by a run briefly.
 */
const MAX_KEPT = 100;
const TEST_SIGN_IN_KEPT_MS = 24 * 3600 * 1000;
const RUN_SIGN_IN_KEPT_MS = 2 * 60 * 1000;

interface Entry {
	pending: PendingSignIn;
	/** the approved code's sign-in (one redemption, shared) */
	redeemed?: Promise<SessionResult>;
	keepUntil: number;
}

const entries = new Map<string, Entry>();

function keep(fingerprint: string, entry: Entry): void {
	entries.delete(fingerprint);
	if (entries.size >= MAX_KEPT) entries.delete(entries.keys().next().value!);
	entries.set(fingerprint, entry);
}

export type RedeemResult = { status: 'approved'; session: SessionResult } | Exclude<PollResult, { status: 'approved' }>;

export const signInsInProcess = {
	/** A code shown by a credential test. */
	started(fingerprint: string, pending: PendingSignIn): void {
		keep(fingerprint, { pending, keepUntil: new Date(pending.expiresAt).getTime() });
	},

	/** The live code (or sign-in) kept for these settings. */
	find(fingerprint: string, now = Date.now()): Entry | undefined {
		const entry = entries.get(fingerprint);
		if (entry && entry.keepUntil > now) return entry;
		entries.delete(fingerprint);
		return undefined;
	},

	/**
	 * Polls `pending` once, unless this process already redeemed it: then the same sign-in again, with no
	 * request (concurrent callers share one redemption). `byTest`: kept until a run adopts it.
	 */
	async redeem(http: TokenHttp, settings: DeviceCodeSettings, pending: PendingSignIn, byTest: boolean): Promise<RedeemResult> {
		const known = this.find(settings.fingerprint);
		if (known?.redeemed && known.pending.deviceCode === pending.deviceCode) {
			return { status: 'approved', session: await known.redeemed };
		}
		const result = await pollDeviceCodeOnce(http, settings, pending);
		if (result.status !== 'approved') return result;
		const redeemed = seedSession(settings, result.tokens.refreshToken, http);
		const keptMs = byTest ? TEST_SIGN_IN_KEPT_MS : RUN_SIGN_IN_KEPT_MS;
		keep(settings.fingerprint, { pending, redeemed, keepUntil: Date.now() + keptMs });
		redeemed.catch(() => entries.delete(settings.fingerprint));
		return { status: 'approved', session: await redeemed };
	},

	/** A run persisted the sign-in: keep it only briefly, for a concurrent run that read the same code. */
	adopted(fingerprint: string): void {
		const entry = entries.get(fingerprint);
		if (entry) entry.keepUntil = Math.min(entry.keepUntil, Date.now() + RUN_SIGN_IN_KEPT_MS);
	},

	forget(fingerprint: string): void {
		entries.delete(fingerprint);
	},

	/** A new process: nothing kept. */
	reset(): void {
		entries.clear();
	},
};
