/**
 * Graph's own enum values for security incidents (docs: ../shared/INTERFACE.md), shared by the
 * action node and the trigger.
 *
 *   INCIDENT_STATUS_OPTIONS, INCIDENT_SEVERITY_OPTIONS, CLASSIFICATION_OPTIONS, DETERMINATION_OPTIONS
 *       INodePropertyOptions[] for options / multiOptions parameters
 *   INCIDENT_STATUSES, INCIDENT_SEVERITIES, CLASSIFICATIONS, DETERMINATIONS   the bare values
 *   DETERMINATIONS_BY_CLASSIFICATION   which determinations Graph accepts with each classification
 */
import type { INodePropertyOptions } from 'n8n-workflow';

export const INCIDENT_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Active', value: 'active' },
	{ name: 'Awaiting Action', value: 'awaitingAction' },
	{ name: 'In Progress', value: 'inProgress' },
	{ name: 'Redirected', value: 'redirected' },
	{ name: 'Resolved', value: 'resolved' },
];

export const INCIDENT_SEVERITY_OPTIONS: INodePropertyOptions[] = [
	{ name: 'High', value: 'high' },
	{ name: 'Informational', value: 'informational' },
	{ name: 'Low', value: 'low' },
	{ name: 'Medium', value: 'medium' },
	{ name: 'Unknown', value: 'unknown' },
];

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
		'compromisedUser',
		'malware',
		'phishing',
		'unwantedSoftware',
		'other',
	],
	informationalExpectedActivity: [
		'securityTesting',
		'lineOfBusinessApplication',
		'confirmedUserActivity',
		'other',
	],
	falsePositive: ['clean', 'insufficientData', 'other'],
	unknown: ['unknown'],
};

const DETERMINATION_NAMES: Record<string, string> = {
	clean: 'Clean',
	compromisedUser: 'Compromised User',
	confirmedUserActivity: 'Confirmed User Activity',
	insufficientData: 'Insufficient Data',
	lineOfBusinessApplication: 'Line of Business Application',
	maliciousUserActivity: 'Malicious User Activity',
	malware: 'Malware',
	multiStagedAttack: 'Multi-Staged Attack',
	other: 'Other',
	phishing: 'Phishing',
	securityTesting: 'Security Testing',
	unknown: 'Unknown',
	unwantedSoftware: 'Unwanted Software',
};

export const DETERMINATION_OPTIONS: INodePropertyOptions[] = Object.keys(DETERMINATION_NAMES).map(
	(value) => ({ name: DETERMINATION_NAMES[value], value }),
);

const values = (options: INodePropertyOptions[]) => options.map((option) => option.value as string);

export const INCIDENT_STATUSES = values(INCIDENT_STATUS_OPTIONS);
export const INCIDENT_SEVERITIES = values(INCIDENT_SEVERITY_OPTIONS);
export const CLASSIFICATIONS = values(CLASSIFICATION_OPTIONS);
export const DETERMINATIONS = values(DETERMINATION_OPTIONS);
