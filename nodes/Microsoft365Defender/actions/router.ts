/**
 * Runs the selected operation once per input item. Each operation module exports
 * `execute(this: IExecuteFunctions, itemIndex) -> IDataObject[]`; the router pairs its output with the
 * input item, and on failure either outputs `{ error }` (Continue On Fail) or throws with the item index.
 * Device Code Sign-In operations act on the credential, not on items: they run once, for the first item.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeOperationError } from '../helpers';
import * as alert from './alert';
import * as device from './device';
import * as deviceSignIn from './deviceSignIn';
import * as huntingQuery from './huntingQuery';
import * as incident from './incident';
import * as indicator from './indicator';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

const resources: Record<string, Record<string, unknown>> = { incident, alert, huntingQuery, deviceSignIn, device, indicator };
const ONCE_PER_EXECUTION = ['deviceSignIn'];

function findOperation(ctx: IExecuteFunctions, resource: string, operation: string): OperationExecute {
	const module = resources[resource]?.[operation] as { execute?: OperationExecute } | undefined;
	if (typeof module?.execute !== 'function') {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" of resource "${resource}" is not known`,
		);
	}
	return module.execute;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = findOperation(this, resource, operation);

	const itemCount = ONCE_PER_EXECUTION.includes(resource) ? Math.min(items.length, 1) : items.length;
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const results = await execute.call(this, itemIndex);
			returnData.push(
				...results.map((json) => ({ json, pairedItem: { item: itemIndex } })),
			);
		} catch (caught) {
			const error = toNodeOperationError(this.getNode(), caught as Error, itemIndex);
			if (this.continueOnFail()) {
				returnData.push({ json: { error: error.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			const context = (error as { context?: IDataObject }).context;
			if (context && context.itemIndex === undefined) context.itemIndex = itemIndex;
			throw error;
		}
	}
	return [returnData];
}
