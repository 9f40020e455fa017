/**
 * Alert ids (shared by the alert operations and listSearch).
 *
 *   parseAlertId(value, field = 'Alert') -> the alerts_v2 id
 *       accepts an id (such as da637551227677560813_-961444813), a resource-locator object
 *       ({ __rl, mode, value }) or a Defender portal link (https://security.microsoft.com/alerts/<id>?tid=...);
 *       anything else throws InvalidInputError naming the field.
 *   parseAlertLink(value, field) -> { id, tenantId? }: the same, plus a portal link's `tid`
 *   alertPath(id) -> '/security/alerts_v2/<id>' with the id URL-encoded
 */
import { type IncidentLink as PortalLinkId, parsePortalLink } from './incidentId';
import { InvalidInputError, preview, requireText } from './validation';

/** Graph alert ids: letters, digits, '_' and '-' (e.g. da637551227677560813_-961444813, fa…, ed…). */
export const ALERT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;
/** Read from the raw text like incident links (see parsePortalLink): after the id only a known sub-page. */
const PORTAL_LINK = /^https:\/\/[^/?#\\]+\/alerts\/([A-Za-z0-9][A-Za-z0-9_-]{0,199})(?:\/(?:details|overview|graph|evidence)\/?)?\/?(?:[?#](.*))?$/i;

export function parseAlertId(value: unknown, field = 'Alert'): string {
	return parseAlertLink(value, field).id;
}

/** The alert id, and the tenant a portal link names (`?tid=`). */
export function parseAlertLink(value: unknown, field = 'Alert'): PortalLinkId {
	if (value !== null && typeof value === 'object' && (value as { __rl?: unknown }).__rl === true) {
		value = (value as { value?: unknown }).value;
	}
	const text = requireText(value, field).trim();
	if (text === '') {
		throw new InvalidInputError(`"${field}" is empty; enter the alert's id or its portal link`, field);
	}
	if (ALERT_ID.test(text)) return { id: text };
	const fromUrl = parsePortalLink(text, PORTAL_LINK);
	if (fromUrl !== undefined) return fromUrl;
	throw new InvalidInputError(
		`"${field}" must be an alert id (such as da637551227677560813_-961444813) or a Microsoft Defender portal link (https://security.microsoft.com/alerts/<id>), not "${preview(value)}"`,
		field,
	);
}

export function alertPath(id: string): string {
	return `/security/alerts_v2/${encodeURIComponent(id)}`;
}
