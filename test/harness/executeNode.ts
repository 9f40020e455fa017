import { ExecuteContext, WorkflowHasIssuesError } from 'n8n-core';
import {
	createRunExecutionData,
	NodeHelpers,
	type IExecuteData,
	type INodeExecutionData,
	type INodeType,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import type { CredentialStore } from './credentialStore';
import { buildAdditionalData, buildNode, buildWorkflow, withIsolate, type NodeSetup } from './runtime';

export interface ExecuteOptions extends NodeSetup {
	store: CredentialStore;
	/** input items (first input); default one empty item */
	items?: INodeExecutionData[];
	/** shorthand for `onError: 'continueRegularOutput'` */
	continueOnFail?: boolean;
	/** default 'manual' (editor run); 'trigger' / 'webhook' / 'cli' behave the same for a node */
	mode?: WorkflowExecuteMode;
	/**
	 * default true: like every n8n run, refuse to start when the node has parameter issues (a required
	 * parameter empty): `error` is n8n-core's WorkflowHasIssuesError and the node does not run
	 */
	checkIssues?: boolean;
	/** the workflow's time zone setting (what `this.getTimezone()` returns) */
	timezone?: string;
	/** the execution's cancel signal (what `this.getExecutionCancelSignal()` returns; n8n fires it on Stop) */
	abortSignal?: AbortSignal;
}

export interface ExecuteResult {
	/** first output */
	items: INodeExecutionData[];
	/** every output, as the node returned it (null when the node returned null) */
	outputs: INodeExecutionData[][] | null;
	/** the error the node threw (with continueOnFail the input items pass through, as in n8n) */
	error?: Error;
}

/**
 * Runs `nodeType.execute` through n8n-core's real ExecuteContext, as n8n-core's
 * WorkflowExecute.executeNode does (n8n-core dist/execution-engine/workflow-execute.js 592-611):
 * parameters get their defaults from `new Workflow`, `={{ }}` expressions are resolved per item by
 * n8n-workflow's expression engine, credentials go through the harness CredentialsHelper.
 */
export async function executeNode(nodeType: INodeType, options: ExecuteOptions): Promise<ExecuteResult> {
	if (typeof nodeType.execute !== 'function') {
		throw new Error(`Node "${nodeType.description.name}" has no execute method`);
	}
	const node = buildNode(nodeType, {
		...options,
		onError: options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined),
	});
	const workflow = buildWorkflow(nodeType, node, undefined, options.timezone);
	const items = options.items ?? [{ json: {} }];
	// workflow-execute.js 459-497 and 780-796 (checkForWorkflowIssues, at the start of every run)
	if (options.checkIssues !== false) {
		const issues = NodeHelpers.getNodeParametersIssues(
			nodeType.description.properties,
			workflow.nodes[node.name],
			nodeType.description,
		);
		if (issues !== null) {
			return { items: [], outputs: null, error: new WorkflowHasIssuesError({ [node.name]: issues }, workflow.nodes) };
		}
	}
	const additionalData = buildAdditionalData(options.store);
	const inputData = { main: [items] };
	const executeData: IExecuteData = { node, data: inputData, source: { main: [null] } };
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [executeData] },
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'manual',
		runExecutionData,
		0,
		items,
		inputData,
		executeData,
		[],
		options.abortSignal,
	);
	try {
		// WorkflowExecute holds an expression isolate for the whole run
		const outputs = (await withIsolate(
			workflow,
			async () => await nodeType.execute!.call(context),
		)) as INodeExecutionData[][] | null;
		return { items: outputs?.[0] ?? [], outputs };
	} catch (error) {
		// workflow-execute.js 1053-1081 (handleNodeExecutionError): a node that throws while
		// continuing on error passes its input items on unchanged
		if (context.continueOnFail()) {
			return { items, outputs: [items], error: error as Error };
		}
		return { items: [], outputs: null, error: error as Error };
	}
}
