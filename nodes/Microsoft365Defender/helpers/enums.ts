/**
 * Graph's own enum values for security incidents (docs: ../shared/INTERFACE.md; judged by Graph v1.0's
 * $metadata, see test/unit/node/graphConformance.test.ts), shared by the action node and the trigger.
 * Classification and determination: ./determination.ts.
 *
 *   INCIDENT_STATUS_OPTIONS, INCIDENT_SEVERITY_OPTIONS   INodePropertyOptions[] for filters (List, trigger)
 *   INCIDENT_UPDATE_STATUS_OPTIONS                       what Update Incident may set: not awaitingAction
 *   INCIDENT_STATUSES, INCIDENT_SEVERITIES, INCIDENT_UPDATE_STATUSES   the bare values
 *   ALERT_STATUS_OPTIONS (settable), ALERT_STATUS_FILTER_OPTIONS (+ unknown), SERVICE_SOURCE_OPTIONS   alerts_v2
 *   ALERT_STATUSES, ALERT_FILTER_STATUSES, SERVICE_SOURCES                                             the bare values
 */
import type { INodePropertyOptions } from 'n8n-workflow';

export const INCIDENT_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Active', value: 'active' },
	{
		name: 'Awaiting Action',
		value: 'awaitingAction',
		description: 'Set only by Microsoft Defender Experts: the incident waits for your action',
	},
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

/** awaitingAction is Defender Experts' status ("only Microsoft 365 Defender experts can set this status"). */
export const INCIDENT_UPDATE_STATUS_OPTIONS: INodePropertyOptions[] = INCIDENT_STATUS_OPTIONS.filter(
	(option) => option.value !== 'awaitingAction',
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
export const INCIDENT_UPDATE_STATUSES = values(INCIDENT_UPDATE_STATUS_OPTIONS);
export const ALERT_STATUSES = values(ALERT_STATUS_OPTIONS);
export const ALERT_FILTER_STATUSES = values(ALERT_STATUS_FILTER_OPTIONS);
export const SERVICE_SOURCES = values(SERVICE_SOURCE_OPTIONS);
