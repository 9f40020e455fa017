import { CredentialTestContext, LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestFunction,
	type INode,
	type INodeCredentialTestResult,
	type INodeListSearchResult,
	type INodePropertyOptions,
	type INodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import type { CredentialsHelper } from './credentialsHelper';
import type { CredentialRef, CredentialStore } from './credentialStore';
import { buildAdditionalData, buildNode, SingleNodeTypes, withIsolate, ensureExpressionEngine, type NodeSetup } from './runtime';

export interface LoadOptionsOptions extends NodeSetup {
	store: CredentialStore;
	/** the parameter path the editor asks for, e.g. 'parameters.incidentId' */
	path?: string;
}

/*
 * n8n 2.40.7 dist/services/dynamic-node-parameters.service.js 150-160 and 205-230: a workflow with
 * one node 'Temp-Node' (no id) built from the editor's current parameters and credentials, and a
 * LoadOptionsContext (mode 'internal'); the controller puts the same parameters in
 * additionalData.currentNodeParameters.
 */
function buildLoadOptionsContext(
	nodeType: INodeType,
	options: LoadOptionsOptions,
): { context: LoadOptionsContext; workflow: Workflow } {
	const node: INode = { ...buildNode(nodeType, options), id: 'uuid-1234', name: 'Temp-Node' };
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new SingleNodeTypes(nodeType),
	});
	const additionalData = buildAdditionalData(options.store);
	additionalData.currentNodeParameters = workflow.nodes['Temp-Node'].parameters;
	return {
		context: new LoadOptionsContext(workflow, workflow.nodes['Temp-Node'], additionalData, options.path ?? ''), workflow };
}

function getMethod<T>(nodeType: INodeType, kind: 'listSearch' | 'loadOptions', name: string): T {
	const method = (nodeType.methods?.[kind] as Record<string, unknown> | undefined)?.[name];
	if (typeof method !== 'function') {
		throw new Error(`Node type "${nodeType.description.name}" has no ${kind} method named "${name}"`);
	}
	return method as T;
}

/** Runs `methods.listSearch[methodName]` (a resource locator's "From list" search). */
export async function searchList(
	nodeType: INodeType,
	methodName: string,
	options: LoadOptionsOptions & { filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const method = getMethod<(...args: unknown[]) => Promise<INodeListSearchResult>>(
		nodeType,
		'listSearch',
		methodName,
	);
	const { context, workflow } = buildLoadOptionsContext(nodeType, options);
	const result = await withIsolate(
		workflow,
		async () => await method.call(context, options.filter, options.paginationToken),
	);
	// dynamic-node-parameters.service.js 157-158
	const token = result?.paginationToken;
	return typeof token === 'number' ? { ...result, paginationToken: String(token) } : result;
}

/** Runs `methods.loadOptions[methodName]` (an options list). */
export async function loadOptions(
	nodeType: INodeType,
	methodName: string,
	options: LoadOptionsOptions,
): Promise<INodePropertyOptions[]> {
	const method = getMethod<(...args: unknown[]) => Promise<INodePropertyOptions[]>>(
		nodeType,
		'loadOptions',
		methodName,
	);
	const { context, workflow } = buildLoadOptionsContext(nodeType, options);
	return await withIsolate(workflow, async () => await method.call(context));
}

export interface CredentialTestOptions {
	store: CredentialStore;
	/** the credential form's data; or `ref` to test a stored credential with what the database holds */
	data?: ICredentialDataDecryptedObject;
	ref?: CredentialRef;
}

/**
 * The credential editor's "Test" button, as n8n 2.40.7's CredentialsTester.testCredentials does it
 * (dist/services/credentials-tester.service.js 79-140 and 155-223): the function named by the node's
 * `credentials[].testedBy`, called on a CredentialTestContext (only `helpers.request`, the legacy
 * helper) with the form data after the type's defaults are applied. Nothing is persisted.
 */
export async function testCredential(
	nodeType: INodeType,
	credentialType: string,
	options: CredentialTestOptions,
): Promise<INodeCredentialTestResult> {
	const testedBy = nodeType.description.credentials?.find((c) => c.name === credentialType)?.testedBy;
	if (testedBy === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}
	if (typeof testedBy !== 'string') {
		throw new Error('Declarative credential test requests are not supported by the test harness');
	}
	const testFunction = nodeType.methods?.credentialTest?.[testedBy] as ICredentialTestFunction | undefined;
	if (typeof testFunction !== 'function') {
		throw new Error(`Node type "${nodeType.description.name}" has no credentialTest method "${testedBy}"`);
	}
	const { store } = options;
	const data = options.data ?? (options.ref ? store.get(options.ref.id) : {});
	const additionalData: IWorkflowExecuteAdditionalData = buildAdditionalData(store);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: options.ref?.id ?? '',
		name: options.ref?.name ?? `${credentialType} (testing)`,
		type: credentialType,
		data,
	};
	await ensureExpressionEngine();
	try {
		credentialsDecrypted.data = await (
			additionalData.credentialsHelper as CredentialsHelper
		).applyDefaultsAndOverwrites(additionalData, data, credentialType, 'internal');
	} catch (error) {
		return { status: 'Error', message: (error as Error).message.toString() };
	}
	const context = new CredentialTestContext(additionalData);
	return await testFunction.call(context as never, credentialsDecrypted);
}
