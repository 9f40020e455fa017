/**
 * Graph's own enum values for security incidents (docs: ../shared/INTERFACE.md), shared by the
 * action node and the trigger.
 *
 *   INCIDENT_STATUS_OPTIONS, INCIDENT_SEVERITY_OPTIONS, CLASSIFICATION_OPTIONS, DETERMINATION_OPTIONS
 *       INodePropertyOptions[] for options / multiOptions parameters
 *   INCIDENT_STATUSES, INCIDENT_SEVERITIES, CLASSIFICATIONS, DETERMINATIONS   the bare values
 *   DETERMINATIONS_BY_CLASSIFICATION   which determinations Graph accepts with each classification
 *   ALERT_STATUS_OPTIONS (settable), ALERT_STATUS_FILTER_OPTIONS (+ unknown), SERVICE_SOURCE_OPTIONS   alerts_v2
 *   ALERT_STATUSES, ALERT_FILTER_STATUSES, SERVICE_SOURCES                                             the bare values
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

/** Graph's alertStatus members an alert can be set to. */
export const ALERT_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'In Progress', value: 'inProgress' },
	{ name: 'New', value: 'new' },
	{ name: 'Resolved', value: 'resolved' },
];

/** For filtering: also `unknown`, which Graph reports but does not let you set. */
export const ALERT_STATUS_FILTER_OPTIONS: INodePropertyOptions[] = [
	...ALERT_STATUS_OPTIONS,
	{ name: 'Unknown', value: 'unknown' },
];

/** Graph's serviceSource members (security-v1.0.csdl.xml), without the unknownFutureValue sentinel. */
export const SERVICE_SOURCE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Data Loss Prevention', value: 'dataLossPrevention' },
	{ name: 'Microsoft 365 Defender', value: 'microsoft365Defender' },
	{ name: 'Microsoft App Governance', value: 'microsoftAppGovernance' },
	{ name: 'Microsoft Defender for Cloud', value: 'microsoftDefenderForCloud' },
	{ name: 'Microsoft Defender for Cloud Apps', value: 'microsoftDefenderForCloudApps' },
	{ name: 'Microsoft Defender for Endpoint', value: 'microsoftDefenderForEndpoint' },
	{ name: 'Microsoft Defender for Identity', value: 'microsoftDefenderForIdentity' },
	{ name: 'Microsoft Defender for Office 365', value: 'microsoftDefenderForOffice365' },
	{ name: 'Microsoft Entra ID Protection', value: 'azureAdIdentityProtection' },
	{ name: 'Microsoft Insider Risk Management', value: 'microsoftInsiderRiskManagement' },
	{ name: 'Microsoft Security for AI', value: 'microsoftSecurityForAI' },
	{ name: 'Microsoft Sentinel', value: 'microsoftSentinel' },
	{ name: 'Microsoft Threat Intelligence', value: 'microsoftThreatIntelligence' },
	{ name: 'Unknown', value: 'unknown' },
];

const values = (options: INodePropertyOptions[]) => options.map((option) => option.value as string);

export const INCIDENT_STATUSES = values(INCIDENT_STATUS_OPTIONS);
export const INCIDENT_SEVERITIES = values(INCIDENT_SEVERITY_OPTIONS);
export const CLASSIFICATIONS = values(CLASSIFICATION_OPTIONS);
export const DETERMINATIONS = values(DETERMINATION_OPTIONS);
export const ALERT_STATUSES = values(ALERT_STATUS_OPTIONS);
export const ALERT_FILTER_STATUSES = values(ALERT_STATUS_FILTER_OPTIONS);
export const SERVICE_SOURCES = values(SERVICE_SOURCE_OPTIONS);
