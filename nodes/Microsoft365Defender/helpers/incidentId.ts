/**
 * Incident ids (shared by node, trigger and listSearch).
 *
 *   parseIncidentId(value, field = 'Incident ID') -> numeric id as text
 *       accepts a number, digits, a resource-locator object ({ __rl, mode, value }) or a Defender portal
 *       link (https://security.microsoft.com/incidents/<id>?tid=..., also /incident2/<id>/overview);
 *       anything else throws InvalidInputError naming the field.
 *   incidentPath(id) -> '/security/incidents/<id>' with the id URL-encoded
 *   idFromPortalLink(text, pathPattern) -> the id in an https portal link (shared with alert ids)
 */
import { InvalidInputError, preview, requireText } from './validation';

const NUMERIC_ID = /^\d{1,19}$/;
const PORTAL_PATH = /^\/incidents?2?\/(\d{1,19})(?:\/[^?#]*)?$/i;

export function parseIncidentId(value: unknown, field = 'Incident ID'): string {
	if (value !== null && typeof value === 'object' && (value as { __rl?: unknown }).__rl === true) {
		value = (value as { value?: unknown }).value;
	}
	if (typeof value === 'number') {
		if (Number.isSafeInteger(value) && value >= 0) return String(value);
	} else {
		const text = requireText(value, field).trim();
		if (NUMERIC_ID.test(text)) return text;
		const fromUrl = idFromPortalLink(text, PORTAL_PATH);
		if (fromUrl !== undefined) return fromUrl;
		if (text === '') {
			throw new InvalidInputError(`"${field}" is empty; enter the incident's number or its portal link`, field);
		}
	}
	throw new InvalidInputError(
		`"${field}" must be a numeric incident id (such as 1234) or a Microsoft Defender portal link (https://security.microsoft.com/incidents/1234), not "${preview(value)}"`,
		field,
	);
}

/** The id a Defender portal link carries: `pathPattern`'s first group, matched against the https URL's path. */
export function idFromPortalLink(text: string, pathPattern: RegExp): string | undefined {
	if (!/^https:\/\//i.test(text)) return undefined;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}
	return pathPattern.exec(url.pathname)?.[1];
}

export function incidentPath(id: string): string {
	return `/security/incidents/${encodeURIComponent(id)}`;
}
