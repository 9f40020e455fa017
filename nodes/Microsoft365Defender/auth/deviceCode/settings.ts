import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { type ResolvedCloud, resolveCloud } from '../clouds';
import { validateClientId, validateTenantId } from '../validate';

/** What a device-code sign-in is made with: the tokens of one set of settings never serve another. */
export interface DeviceCodeSettings {
	cloud: ResolvedCloud;
	tenantId: string;
	clientId: string;
	/** the Defender for Endpoint host whose token the sign-in also keeps (`mdeAccess` on), else undefined */
	mdeEndpoint?: string;
	/**
	 * Which sign-in settings tokens belong to (stored in `signedInWith`): a hash of cloud, tenant and client,
	 * stable across processes (the settings are not secret).
	 */
	fingerprint: string;
}

/** Fingerprints by the raw fields they hash: a request reads them again without hashing again. */
const fingerprints = new Map<string, string>();
const FINGERPRINTS_KEPT = 200;

function fingerprintOf(cloud: ResolvedCloud, tenantId: string, clientId: string): string {
	const raw = JSON.stringify([cloud.authorityHost, cloud.graphEndpoint, tenantId.toLowerCase(), clientId.toLowerCase()]);
	let fingerprint = fingerprints.get(raw);
	if (fingerprint === undefined) {
		fingerprint = createHash('sha256').update(raw).digest('hex').slice(0, 32);
		if (fingerprints.size >= FINGERPRINTS_KEPT) fingerprints.delete(fingerprints.keys().next().value!);
		fingerprints.set(raw, fingerprint);
	}
	return fingerprint;
}

/** Reads and validates the sign-in settings of a device-code credential (CredentialInputError naming the field). */
export function deviceCodeSettings(credentials: ICredentialDataDecryptedObject): DeviceCodeSettings {
	const cloud = resolveCloud(credentials);
	const tenantId = validateTenantId(credentials.tenantId, true);
	const clientId = validateClientId(credentials.clientId);
	return {
		cloud,
		tenantId,
		clientId,
		mdeEndpoint: credentials.mdeAccess === true ? cloud.mdeEndpoint : undefined,
		fingerprint: fingerprintOf(cloud, tenantId, clientId),
	};
}

/** The `signedInWith` value of a credential's current sign-in settings (tests and imports). */
export function deviceCodeFingerprint(credentials: ICredentialDataDecryptedObject): string {
	return deviceCodeSettings(credentials).fingerprint;
}
