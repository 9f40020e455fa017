/**
 * Classification and determination of incidents and alerts (Graph's alertClassification and
 * alertDetermination; both resources take the same pairing). The one place of the pairing table, the
 * retired Defender API names and their check.
 *
 *   CLASSIFICATION_OPTIONS, DETERMINATION_OPTIONS   INodePropertyOptions[] (a retired name's Graph
 *                                                   replacement says the old name in its description)
 *   CLASSIFICATIONS, DETERMINATIONS                 the bare values
 *   DETERMINATIONS_BY_CLASSIFICATION                which determinations Graph accepts with each classification
 *   RETIRED_DETERMINATIONS                          old Defender API name -> Graph's name
 *   requireVerdict(fields) -> { classification?, determination? }
 *       the Classification and Determination of an update (keys present in fields), each checked and
 *       the pair checked; throws InvalidInputError before any request
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { InvalidInputError, preview, requireEnumValue, requireText } from './validation';

export const CLASSIFICATION_OPTIONS: INodePropertyOptions[] = [
	{ name: 'False Positive', value: 'falsePositive' },
	{ name: 'Informational, Expected Activity', value: 'informationalExpectedActivity' },
	{ name: 'True Positive', value: 'truePositive' },
	{ name: 'Unknown', value: 'unknown' },
];

export const DETERMINATIONS_BY_CLASSIFICATION: Readonly<Record<string, readonly string[]>> = {
	truePositive: [
		'multiStagedAttack',
		'maliciousUserActivity',
		'compromisedAccount',
		'malware',
		'phishing',
		'unwantedSoftware',
		'apt',
		'securityPersonnel',
		'other',
	],
	informationalExpectedActivity: [
		'securityTesting',
		'lineOfBusinessApplication',
		'confirmedActivity',
		'other',
	],
	falsePositive: ['notMalicious', 'notEnoughDataToValidate', 'other'],
	unknown: ['unknown'],
};

/** Names of the retired Defender API (still on some Learn pages) that Graph v1.0 does not have. */
export const RETIRED_DETERMINATIONS: Readonly<Record<string, string>> = {
	clean: 'notMalicious',
	insufficientData: 'notEnoughDataToValidate',
	compromisedUser: 'compromisedAccount',
	confirmedUserActivity: 'confirmedActivity',
};

const DETERMINATION_NAMES: Record<string, string> = {
	apt: 'Advanced Persistent Threat (APT)',
	compromisedAccount: 'Compromised Account',
	confirmedActivity: 'Confirmed Activity',
	lineOfBusinessApplication: 'Line of Business Application',
	maliciousUserActivity: 'Malicious User Activity',
	malware: 'Malware',
	multiStagedAttack: 'Multi-Staged Attack',
	notEnoughDataToValidate: 'Not Enough Data to Validate',
	notMalicious: 'Not Malicious',
	other: 'Other',
	phishing: 'Phishing',
	securityPersonnel: 'Security Personnel',
	securityTesting: 'Security Testing',
	unknown: 'Unknown',
	unwantedSoftware: 'Unwanted Software',
};

const formerName = (value: string) =>
	Object.keys(RETIRED_DETERMINATIONS).find((old) => RETIRED_DETERMINATIONS[old] === value);

export const DETERMINATION_OPTIONS: INodePropertyOptions[] = Object.keys(DETERMINATION_NAMES).map((value) => {
	const old = formerName(value);
	return old === undefined
		? { name: DETERMINATION_NAMES[value], value }
		: { name: DETERMINATION_NAMES[value], value, description: `Formerly "${old}" (retired Defender API name)` };
});

const values = (options: INodePropertyOptions[]) => options.map((option) => option.value as string);

export const CLASSIFICATIONS = values(CLASSIFICATION_OPTIONS);
export const DETERMINATIONS = values(DETERMINATION_OPTIONS);

/** "truePositive: a, b; falsePositive: c" — the pairing as one line, for descriptions and errors. */
export function describeDeterminationTable(): string {
	return Object.entries(DETERMINATIONS_BY_CLASSIFICATION)
		.map(([classification, determinations]) => `${classification}: ${determinations.join(', ')}`)
		.join('; ');
}

function requireDetermination(value: unknown): string {
	const text = requireText(value, 'Determination').trim();
	const graphName = RETIRED_DETERMINATIONS[text];
	if (graphName !== undefined) {
		throw new InvalidInputError(
			`Determination "${text}" is the retired Defender API's name; Graph calls it "${graphName}"`,
			'determination',
		);
	}
	if (!DETERMINATIONS.includes(text)) {
		throw new InvalidInputError(
			`"Determination" has the unknown value "${preview(text)}"; allowed: ${DETERMINATIONS.join(', ')}`,
			'determination',
		);
	}
	return text;
}

const has = (fields: IDataObject, key: string) => Object.prototype.hasOwnProperty.call(fields, key);

export function requireVerdict(fields: IDataObject): { classification?: string; determination?: string } {
	const verdict: { classification?: string; determination?: string } = {};
	if (has(fields, 'classification')) {
		verdict.classification = requireEnumValue(fields.classification, CLASSIFICATIONS, 'Classification');
	}
	if (has(fields, 'determination')) verdict.determination = requireDetermination(fields.determination);

	const { classification, determination } = verdict;
	if (determination === undefined) return verdict;
	if (classification === undefined) {
		throw new InvalidInputError(
			`"Determination" needs "Classification" in the same update, because the allowed determinations depend on it (${describeDeterminationTable()})`,
			'determination',
		);
	}
	const allowed = DETERMINATIONS_BY_CLASSIFICATION[classification] ?? [];
	if (!allowed.includes(determination)) {
		throw new InvalidInputError(
			`Determination "${determination}" does not fit classification "${classification}"; allowed with "${classification}": ${allowed.join(', ')}`,
			'determination',
		);
	}
	return verdict;
}
