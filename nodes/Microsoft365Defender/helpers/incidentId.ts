/**
 * Incident ids (shared by node, trigger and listSearch).
 *
 *   parseIncidentId(value, field = 'Incident ID') -> numeric id as text
 *       accepts a number, digits, a resource-locator object ({ __rl, mode, value }) or a Defender portal
 *       link (https://security.microsoft.com/incidents/<id>?tid=..., also /incident2/<id>/overview);
 *       anything else throws InvalidInputError naming the field.
 *   parseIncidentLink(value, field) -> { id, tenantId? }: the same, plus a portal link's `tid`
 *   assertLinkTenant(link, credentialTenantId, field): refuses a link of another tenant (GUID tenants)
 *   incidentPath(id) -> '/security/incidents/<id>' with the id URL-encoded
 *   parsePortalLink(text, pattern) -> { id, tenantId? } of a raw portal link (shared with alert ids)
 */
import { InvalidInputError, preview, requireText } from './validation';

const NUMERIC_ID = /^\d{1,19}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A portal link, read from the raw text with the same pattern as the By URL mode's check and
 * extractValue (common.ts), so the id n8n shows is the id acted on: no URL normalization, after the id
 * only a known sub-page, then the query (tid) or fragment.
 */
const PORTAL_LINK =
	/^https:\/\/[^/?#\\]+\/incidents?2?\/(\d{1,19})(?:\/(?:overview|summary|alerts|assets|devices|users|mailboxes|apps|investigations|evidence|evidenceandresponse|attackstory|attack-story|graph)\/?)?\/?(?:[?#](.*))?$/i;

export interface IncidentLink {
	id: string;
	/** the `tid` of a portal link, when it has one */
	tenantId?: string;
}

export function parseIncidentId(value: unknown, field = 'Incident ID'): string {
	return parseIncidentLink(value, field).id;
}

/** The incident id, and the tenant a portal link names (`?tid=`). */
export function parseIncidentLink(value: unknown, field = 'Incident ID'): IncidentLink {
	if (value !== null && typeof value === 'object' && (value as { __rl?: unknown }).__rl === true) {
		value = (value as { value?: unknown }).value;
	}
	if (typeof value === 'number') {
		if (Number.isSafeInteger(value) && value >= 0) return { id: String(value) };
	} else {
		const text = requireText(value, field).trim();
		if (NUMERIC_ID.test(text)) return { id: text };
		const link = parsePortalLink(text, PORTAL_LINK);
		if (link) return link;
		if (text === '') {
			throw new InvalidInputError(`"${field}" is empty; enter the incident's number or its portal link`, field);
		}
	}
	throw new InvalidInputError(
		`"${field}" must be a numeric incident id (such as 1234) or a Microsoft Defender portal link (https://security.microsoft.com/incidents/1234), not "${preview(value)}"`,
		field,
	);
}

/**
 * A portal link matched on its raw text by `pattern` (group 1: the id, group 2: query and fragment), never
 * URL-normalised: `%2e%2e` or `\..` after the id must not turn one id into another.
 */
export function parsePortalLink(text: string, pattern: RegExp): IncidentLink | undefined {
	const link = pattern.exec(text);
	if (!link) return undefined;
	const tid = new URLSearchParams((link[2] ?? '').split('#')[0]).get('tid') ?? undefined;
	return tid ? { id: link[1], tenantId: tid } : { id: link[1] };
}

/**
 * A portal link of another tenant (MSSPs manage many) must not act on the same number in this one:
 * refused when the credential names its tenant by GUID and the link's `tid` differs.
 */
export function assertLinkTenant(link: IncidentLink, credentialTenantId: unknown, field = 'Incident', what = 'an incident'): void {
	if (link.tenantId === undefined || typeof credentialTenantId !== 'string' || !GUID.test(credentialTenantId.trim())) return;
	if (link.tenantId.trim().toLowerCase() !== credentialTenantId.trim().toLowerCase()) {
		throw new InvalidInputError(
			`"${field}" is a link to ${what} of tenant ${preview(link.tenantId)}, but the credential signs in to tenant ${credentialTenantId.trim()}; use a link of that tenant or a credential for the link's tenant`,
			field,
		);
	}
}

export function incidentPath(id: string): string {
	return `/security/incidents/${encodeURIComponent(id)}`;
}
