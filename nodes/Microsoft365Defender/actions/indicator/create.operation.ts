import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	INDICATOR_SEVERITIES,
	INDICATOR_SEVERITY_OPTIONS,
	INDICATOR_TYPE_OPTIONS,
	InvalidInputError,
	permissionHint,
	requireBoolean,
	requireDateTime,
	requireEnumValue,
	requireIndicatorAction,
	requireIndicatorValue,
	requireText,
} from '../../helpers';
import { mdeApiRequest } from '../../transport';
import { withoutODataContext } from '../shared';
import { INDICATORS_PATH } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Indicator Type',
		name: 'indicatorType',
		type: 'options',
		options: INDICATOR_TYPE_OPTIONS,
		required: true,
		default: 'FileSha256',
		description: 'What the indicator matches',
	},
	{
		displayName: 'Indicator Value',
		name: 'indicatorValue',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. malicious.example.com',
		description:
			'The hash (hexadecimal), IP address (IPv4 or IPv6, no CIDR range), domain name or URL, checked against the type before anything is sent. Submitting the value of an existing indicator of the same type updates it.',
	},
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		// the contract's parameter name `action` (Defender's indicator action) is not an operation
		/* eslint-disable n8n-nodes-base/node-param-operation-option-without-action */
		options: [
			{ name: 'Allowed', value: 'Allowed', description: 'Never detect or block it' },
			{ name: 'Audit', value: 'Audit', description: 'Raise an alert without blocking (Generate Alert is sent on)' },
			{ name: 'Block', value: 'Block', description: 'Block it' },
			{ name: 'Block And Remediate', value: 'BlockAndRemediate', description: 'Block and remove the file (file hashes only)' },
			{ name: 'Warn', value: 'Warn', description: 'Warn the user, who may go on (Defender for Cloud Apps; URLs, domains and IPs)' },
		],
		/* eslint-enable n8n-nodes-base/node-param-operation-option-without-action */
		required: true,
		default: 'Block',
		description:
			'What Defender does when it sees the indicator (the retired actions Alert and Alert And Block are no longer accepted by Defender)',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. C2 domain of incident 1234',
		description: 'Shown in Defender, and in the alert when one is raised',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		description: 'Why the indicator exists',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Device Groups',
				name: 'rbacGroupNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. Workstations, Servers',
				description: 'Apply it only to these device groups (comma-separated names); empty = all devices',
			},
			{
				displayName: 'Expiration Time',
				name: 'expirationTime',
				type: 'dateTime',
				default: '',
				description:
					"When the indicator stops applying (in the future). A value without a time zone is read in the workflow's time zone (workflow settings).",
			},
			{
				displayName: 'Generate Alert',
				name: 'generateAlert',
				type: 'boolean',
				default: true,
				description: 'Whether Defender raises an alert when it sees the indicator (must be on for Audit)',
			},
			{
				displayName: 'Recommended Actions',
				name: 'recommendedActions',
				type: 'string',
				default: '',
				description: 'What analysts should do, shown with the alert',
			},
			{
				displayName: 'Severity',
				name: 'severity',
				type: 'options',
				options: INDICATOR_SEVERITY_OPTIONS,
				default: 'Medium',
				description: 'The severity of the alerts the indicator raises',
			},
		],
	},
];

const displayOptions = { show: { resource: ['indicator'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { indicatorType, indicatorValue } = requireIndicatorValue(
		this.getNodeParameter('indicatorType', itemIndex),
		this.getNodeParameter('indicatorValue', itemIndex, ''),
	);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const askedAlert = fields.generateAlert === undefined ? undefined : requireBoolean(fields.generateAlert, 'Generate Alert');
	const { action, generateAlert } = requireIndicatorAction(this.getNodeParameter('action', itemIndex), indicatorType, askedAlert);
	const body: IDataObject = {
		indicatorValue,
		indicatorType,
		action,
		title: requireText(this.getNodeParameter('title', itemIndex, ''), 'Title', { required: true }).trim(),
		description: requireText(this.getNodeParameter('description', itemIndex, ''), 'Description', { required: true }).trim(),
	};
	if (generateAlert !== undefined) body.generateAlert = generateAlert;
	if (fields.severity !== undefined && fields.severity !== '') body.severity = requireEnumValue(fields.severity, INDICATOR_SEVERITIES, 'Severity');
	if (fields.expirationTime !== undefined && fields.expirationTime !== '') {
		const expiration = requireDateTime(fields.expirationTime, 'Expiration Time', this.getTimezone());
		if (Date.parse(expiration) <= Date.now()) {
			throw new InvalidInputError(`"Expiration Time" ${expiration} is in the past; an indicator must expire in the future (or leave it empty: no expiry)`, 'expirationTime');
		}
		body.expirationTime = expiration;
	}
	const recommended = requireText(fields.recommendedActions, 'Recommended Actions').trim();
	if (recommended !== '') body.recommendedActions = recommended;
	const groups = requireText(fields.rbacGroupNames, 'Device Groups')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (groups.length > 0) body.rbacGroupNames = groups;

	const indicator = await mdeApiRequest.call(this, 'POST', INDICATORS_PATH, {
		body,
		itemIndex,
		hints: { permission: permissionHint('indicators') },
	});
	return [withoutODataContext(indicator)];
}
