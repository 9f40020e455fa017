/**
 * Runs the selected operation once per input item. Each operation module exports
 * `execute(this: IExecuteFunctions, itemIndex) -> IDataObject[]`; the router pairs its output with the
 * input item, and on failure either outputs `{ error }` (Continue On Fail) or throws with the item index.
 * Device Code Sign-In operations act on the credential, not on items: they run once, for the first item.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import { toNodeOperationError } from '../helpers';
import { RESOURCES, resourceModule, type ResourceModule } from './resources';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

const ONCE_PER_EXECUTION = ['deviceSignIn'];

/** What n8n's editor puts in Resource when a user picks "Custom API Call" in the node panel's Resource list. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

function findOperation(ctx: IExecuteFunctions, resource: string, operation: string): OperationExecute {
	if (resource === CUSTOM_API_CALL || operation === CUSTOM_API_CALL) {
		throw new NodeOperationError(ctx.getNode(), 'Custom API Call is made with the HTTP Request node, not with this node', {
			description:
				'Add an HTTP Request node, set Authentication to "Predefined Credential Type" and pick one of the Microsoft 365 Defender credential types: it attaches a token for Graph or Defender for Endpoint URLs. On this node, choose a Resource and an Operation.',
		});
	}
	const module = resourceModule(resource);
	if (!module) {
		throw new NodeOperationError(ctx.getNode(), `Resource "${resource}" is not known`, {
			description: `Resource is one of: ${RESOURCES.map((known) => known.resource.value).join(', ')}.`,
		});
	}
	const execute = (module[operation] as { execute?: OperationExecute } | undefined)?.execute;
	if (typeof execute !== 'function') {
		throw new NodeOperationError(ctx.getNode(), `Operation "${operation}" is not known for resource "${resource}"`, {
			description: `Operation is one of: ${operationsOf(module).join(', ')}.`,
		});
	}
	return execute;
}

/** The values of a resource's Operation parameter (its description's `operation` options). */
function operationsOf(module: ResourceModule): string[] {
	const property = module.description.find((p) => p.name === 'operation');
	return ((property?.options ?? []) as INodePropertyOptions[]).map((o) => String(o.value));
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	// n8n has no Operation parameter to give for a resource it does not know: findOperation names the resource
	const operation = this.getNodeParameter('operation', 0, '') as string;
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
