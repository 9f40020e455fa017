/**
 * What the device operations share: the Device locator (list / id / name), the action parameters (Comment,
 * Options) and runDeviceAction, which every response action is: check all input, resolve the device, POST
 * the action, handle Defender's "Action is already in progress", optionally wait for completion.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	IF_ACTION_PENDING,
	InvalidInputError,
	odataString,
	pendingActionFilter,
	permissionHint,
	requireBoolean,
	requireComment,
	requireDeviceName,
	requireEnumValue,
	requireMachineId,
	requirePositiveInteger,
	requireText,
	waitForMachineAction,
	type MdePermissionKey,
} from '../../helpers';
import { mdeApiRequest, mdeApiRequestAllItems, microsoftErrorOf, RequestCancelledError, waitClockOf } from '../../transport';
import { withoutODataContext } from '../shared';

export const MACHINES_PATH = '/api/machines';
export const MACHINE_ACTIONS_PATH = '/api/machineactions';
/** api/get-machines: $top up to 10,000 */
export const MACHINES_PAGE_SIZE = 10_000;

export const machinePath = (id: string) => `${MACHINES_PATH}/${encodeURIComponent(id)}`;
export const machineActionPath = (id: string) => `${MACHINE_ACTIONS_PATH}/${encodeURIComponent(id)}`;

export const WAIT_TIMEOUT_MAX_MINUTES = 120;

export const deviceIdLocator: INodeProperties = {
	displayName: 'Device',
	name: 'deviceId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		"The Defender for Endpoint device: pick one, enter its ID (40 hexadecimal characters, the mdeDeviceId of an alert's device evidence), or its DNS name",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a device...',
			typeOptions: { searchListMethod: 'searchDevices', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[0-9a-fA-F]{40}\\s*$',
						errorMessage: 'Device: not a Defender for Endpoint device ID (40 hexadecimal characters)',
					},
				},
			],
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. ws-finance-01.contoso.com',
			hint: 'The DNS name must match exactly one device',
		},
	],
};

interface DeviceReference {
	mode: 'id' | 'name';
	value: string;
}

/** The Device parameter, checked (no request). A plain string from an expression is an id. */
export function deviceReference(ctx: IExecuteFunctions, itemIndex: number): DeviceReference {
	const raw = ctx.getNodeParameter('deviceId', itemIndex) as unknown;
	const locator = raw !== null && typeof raw === 'object' ? (raw as { mode?: unknown; value?: unknown }) : { mode: 'id', value: raw };
	if (locator.mode === 'name') return { mode: 'name', value: requireDeviceName(locator.value) };
	return { mode: 'id', value: requireMachineId(locator.value) };
}

/**
 * The one device whose DNS name is `name`: exact (case-insensitive) first; a short name without dots also
 * matches "<name>.<domain>". None or several -> refused, naming the candidates.
 */
export async function deviceByName(this: IExecuteFunctions, name: string, itemIndex: number): Promise<IDataObject> {
	const hints = { permission: permissionHint('readMachines') };
	const find = async (filter: string) =>
		await mdeApiRequestAllItems.call(this, MACHINES_PATH, { $filter: filter }, { limit: 2, itemIndex, hints, emptyOn404: true });
	let found = await find(`computerDnsName eq ${odataString(name)}`);
	if (found.length === 0 && !name.includes('.')) found = await find(`startswith(computerDnsName,${odataString(`${name}.`)})`);
	if (found.length === 1) return withoutODataContext(found[0]);
	if (found.length === 0) {
		throw new NodeOperationError(this.getNode(), `Device "${name}" not found: no Defender for Endpoint device has that DNS name`, {
			itemIndex,
			description: 'Check the name (List Devices shows computerDnsName), or use the device ID',
		});
	}
	throw new NodeOperationError(this.getNode(), `Device name "${name}" matches several Defender for Endpoint devices`, {
		itemIndex,
		description: `Devices: ${found.map((device) => `${String(device.computerDnsName)} (${String(device.id)})`).join(', ')} and maybe more; use the device ID`,
	});
}

export async function resolveMachineId(this: IExecuteFunctions, reference: DeviceReference, itemIndex: number): Promise<string> {
	if (reference.mode === 'id') return reference.value;
	return String((await deviceByName.call(this, reference.value, itemIndex)).id);
}

export const commentField: INodeProperties = {
	displayName: 'Comment',
	name: 'comment',
	type: 'string',
	typeOptions: { rows: 2 },
	required: true,
	default: '={{ "Requested by n8n, workflow \\"" + $workflow.name + "\\" (ID " + $workflow.id + "), execution " + $execution.id }}',
	description: "Why the action is taken; Defender requires it and shows it in the Action center and the device's timeline",
};

export function actionOptions(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...extra,
			{
				displayName: 'If Action Pending',
				name: 'ifActionPending',
				type: 'options',
				options: [
					{
						name: 'Fail',
						value: 'fail',
						description: 'Stop with an error that names the pending action',
					},
					{
						name: 'Return Pending Action',
						value: 'returnPending',
						description: 'Output the action already pending (and wait for it, with Wait For Completion)',
					},
				],
				default: 'fail',
				description: 'What to do when Defender answers that the same action is already in progress on the device',
			},
			{
				displayName: 'Wait For Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until Defender reports the action Succeeded, Failed, TimeOut or Cancelled (checking after 5, 10, 20 s, then every 30 s, well within Defender\'s 100 calls a minute). Failed, TimeOut and Cancelled are errors.',
			},
			{
				displayName: 'Wait Timeout (Minutes)',
				name: 'waitTimeoutMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: WAIT_TIMEOUT_MAX_MINUTES },
				default: 10,
				description: 'How long to wait for completion before stopping with an error (Defender carries on with the action)',
				displayOptions: { show: { waitForCompletion: [true] } },
			},
		],
	};
}

interface ActionSettings {
	waitForCompletion: boolean;
	timeoutMs: number;
	ifActionPending: string;
}

function actionSettings(options: IDataObject): ActionSettings {
	const waitForCompletion = options.waitForCompletion === undefined ? false : requireBoolean(options.waitForCompletion, 'Wait For Completion');
	const minutes = options.waitTimeoutMinutes === undefined ? 10 : requirePositiveInteger(options.waitTimeoutMinutes, 'Wait Timeout (Minutes)');
	if (minutes > WAIT_TIMEOUT_MAX_MINUTES) {
		throw new InvalidInputError(`"Wait Timeout (Minutes)" must be at most ${WAIT_TIMEOUT_MAX_MINUTES}, not ${minutes}`, 'waitTimeoutMinutes');
	}
	const ifActionPending = options.ifActionPending === undefined ? 'fail' : requireEnumValue(options.ifActionPending, IF_ACTION_PENDING, 'If Action Pending');
	return { waitForCompletion, timeoutMs: minutes * 60_000, ifActionPending };
}

export interface DeviceActionSpec {
	/** the path segment after /api/machines/{id}/ */
	segment: string;
	/** Defender's MachineAction type */
	type: string;
	permission: MdePermissionKey;
}

/** Defender's 400 "Action is already in progress" (api/unisolate-machine, api/run-av-scan, ...). */
export function isPendingConflict(error: unknown): boolean {
	const microsoft = microsoftErrorOf(error);
	return (
		microsoft?.status === 400 &&
		(microsoft.code === 'ActiveRequestAlreadyExists' || /already in progress|pending machine action/i.test(microsoft.message ?? ''))
	);
}

async function pendingAction(this: IExecuteFunctions, machineId: string, type: string, itemIndex: number): Promise<IDataObject | undefined> {
	const [found] = await mdeApiRequestAllItems.call(
		this,
		MACHINE_ACTIONS_PATH,
		{ $filter: pendingActionFilter(machineId, type) },
		{ limit: 1, itemIndex, hints: { permission: permissionHint('readActions') } },
	);
	return found;
}

/** The machine action as Defender reports it now. */
export async function getMachineAction(this: IExecuteFunctions, id: string, itemIndex: number): Promise<IDataObject> {
	return withoutODataContext(
		await mdeApiRequest.call(this, 'GET', machineActionPath(id), {
			itemIndex,
			hints: { permission: permissionHint('readActions'), notFound: `Machine action ${id} not found` },
		}),
	);
}

/** GetPackageUri's link, undefined while Defender answers 404 (the package is not ready). */
async function packageUri(this: IExecuteFunctions, id: string, itemIndex: number): Promise<string | undefined> {
	try {
		const answer = await mdeApiRequest.call(this, 'GET', `${machineActionPath(id)}/GetPackageUri`, {
			itemIndex,
			hints: { permission: permissionHint('getPackageUri') },
		});
		return typeof answer.value === 'string' && answer.value !== '' ? answer.value : undefined;
	} catch (error) {
		if (microsoftErrorOf(error)?.status === 404) return undefined;
		throw error;
	}
}

/**
 * One response action for one item. `body` holds the action's own parameters (IsolationType, ScanType,
 * Sha1), already checked by the caller; every other input is checked here before the first request.
 */
export async function runDeviceAction(
	this: IExecuteFunctions,
	itemIndex: number,
	spec: DeviceActionSpec,
	body: IDataObject = {},
): Promise<IDataObject[]> {
	const reference = deviceReference(this, itemIndex);
	const comment = requireComment(this.getNodeParameter('comment', itemIndex, ''));
	const settings = actionSettings(this.getNodeParameter('options', itemIndex, {}) as IDataObject);

	const machineId = await resolveMachineId.call(this, reference, itemIndex);
	let action: IDataObject;
	try {
		action = await mdeApiRequest.call(this, 'POST', `${machinePath(machineId)}/${spec.segment}`, {
			body: { Comment: comment, ...body },
			itemIndex,
			hints: { permission: permissionHint(spec.permission), notFound: `Device ${machineId} not found` },
		});
	} catch (error) {
		if (!isPendingConflict(error)) throw error;
		const pending = await pendingAction.call(this, machineId, spec.type, itemIndex);
		if (pending === undefined || settings.ifActionPending === 'fail') {
			const what = pending
				? `machine action ${String(pending.id)} (${String(pending.status)}, requested by ${String(pending.requestor)} at ${String(pending.creationDateTimeUtc)})`
				: 'an action that has finished since (run the node again)';
			throw new NodeOperationError(this.getNode(), `Defender is already running a ${spec.type} action on device ${machineId}: ${what}`, {
				itemIndex,
				description: pending
					? 'Wait for it with Get Action, or set the option "If Action Pending" to "Return Pending Action" to output it instead of this error'
					: undefined,
			});
		}
		action = pending;
	}
	action = withoutODataContext(action);
	if (!settings.waitForCompletion) return [action];

	const actionId = requireText(action.id, 'id');
	const signal = this.getExecutionCancelSignal?.();
	const clock = waitClockOf(this);
	const result = await waitForMachineAction(action, {
		timeoutMs: settings.timeoutMs,
		now: () => clock.now(),
		sleep: async (ms) =>
			await clock.sleep(ms, signal).catch((error: unknown) => {
				if (error instanceof RequestCancelledError) throw new Error('The execution was cancelled while waiting for the device action');
				throw error;
			}),
		getAction: async () => await getMachineAction.call(this, actionId, itemIndex),
		getPackageUri: async () => await packageUri.call(this, actionId, itemIndex),
	});
	return [result.packageUri === undefined ? result.action : { ...result.action, packageUri: result.packageUri }];
}

/** The fields of a response action: Device, Comment, the action's own fields, Options. */
export function deviceActionProperties(own: INodeProperties[] = [], extraOptions: INodeProperties[] = []): INodeProperties[] {
	return [deviceIdLocator, commentField, ...own, actionOptions(extraOptions)];
}
