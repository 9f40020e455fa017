import tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import {
	Expression,
	Workflow,
	type IDataObject,
	type INode,
	type INodeCredentials,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { CredentialsHelper } from './credentialsHelper';
import type { CredentialRef, CredentialStore } from './credentialStore';

export const WORKFLOW_ID = 'harnessWorkflow1';

/*
 * Expression engine. n8n 2.40.7 evaluates `={{ }}` with N8N_EXPRESSION_ENGINE, default 'vm'
 * (isolated-vm; @n8n/config expression-engine.config.js), also 'quickjs' (wasm) and 'legacy'
 * (in-process, deprecated). On Node 20 here isolated-vm is not built ("IsolatePool failed to create
 * any bridges"); quickjs and legacy work. The harness uses quickjs (same sandboxed runtime and
 * bridge as 'vm') unless HARNESS_EXPRESSION_ENGINE=legacy. Both are n8n-workflow's real code.
 */
export type HarnessExpressionEngine = 'quickjs' | 'legacy';

let engineReady: Promise<void> | undefined;

export function expressionEngine(): HarnessExpressionEngine {
	return process.env.HARNESS_EXPRESSION_ENGINE === 'quickjs' ? 'quickjs' : 'legacy';
}

/** Initializes the expression engine once per module registry (jest: once per test file). */
export async function ensureExpressionEngine(): Promise<void> {
	engineReady ??= (async () => {
		const engine = expressionEngine();
		if (engine === 'legacy') {
			Expression.setExpressionEngine('legacy');
			return;
		}
		// the values n8n 2.40.7 uses by default (expression-engine.config.js)
		await Expression.initExpressionEngine({
			engine,
			poolSize: 1,
			maxCodeCacheSize: 1024,
			bridgeTimeout: 5000,
			bridgeMemoryLimit: 128,
		});
	})();
	await engineReady;
}

/** Runs fn holding an expression isolate, as n8n does around executions, polls and list searches. */
export async function withIsolate<T>(workflow: Workflow, fn: () => Promise<T>): Promise<T> {
	await ensureExpressionEngine();
	return await workflow.expression.withIsolate(fn);
}

/** n8n's NodeTypes for the one node under test (the node's type name is `description.name`). */
export class SingleNodeTypes implements INodeTypes {
	constructor(private readonly nodeType: INodeType) {}

	getByName(): INodeType | IVersionedNodeType {
		return this.nodeType;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		if (nodeType !== this.nodeType.description.name) return undefined as never;
		return this.nodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export interface NodeSetup {
	parameters?: INodeParameters;
	/** credential type -> reference from `store.add` */
	credentials?: Record<string, CredentialRef>;
	/** node setting "On Error": `continueRegularOutput` is what users call Continue On Fail */
	onError?: INode['onError'];
	typeVersion?: number;
	name?: string;
}

export function buildNode(nodeType: INodeType, setup: NodeSetup): INode {
	const { description } = nodeType;
	const versions = Array.isArray(description.version) ? description.version : [description.version];
	const node: INode = {
		id: 'node-under-test',
		name: setup.name ?? description.defaults.name ?? description.displayName,
		type: description.name,
		typeVersion: setup.typeVersion ?? versions[versions.length - 1],
		position: [0, 0],
		// deep copy: n8n's Workflow writes defaults into node.parameters
		parameters: structuredClone(setup.parameters ?? {}),
	};
	if (setup.credentials) {
		node.credentials = Object.fromEntries(
			Object.entries(setup.credentials).map(([type, ref]) => [type, { id: ref.id, name: ref.name }]),
		) as INodeCredentials;
	}
	if (setup.onError) node.onError = setup.onError;
	return node;
}

/** `new Workflow(...)` as n8n builds it: node parameter defaults applied, static data observed. */
/** `timezone`: the workflow setting (IANA name) `getTimezone()` returns; default n8n's GENERIC_TIMEZONE. */
export function buildWorkflow(nodeType: INodeType, node: INode, staticData?: IDataObject, timezone?: string): Workflow {
	return new Workflow({
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new SingleNodeTypes(nodeType),
		staticData,
		settings: { executionOrder: 'v1', ...(timezone ? { timezone } : {}) },
	});
}

/** The parts of n8n's `WorkflowExecuteAdditionalData.getBase()` a node can reach. */
export function buildAdditionalData(store: CredentialStore): IWorkflowExecuteAdditionalData {
	const notAvailable = (what: string) => async () => {
		throw new Error(`${what} is not available in the test harness`);
	};
	return {
		credentialsHelper: new CredentialsHelper(store),
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executionId: randomUUID(),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: notAvailable('startRunnerTask'),
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/*
 * Trusting the simulated cloud's CA. n8n's httpRequest builds a new https.Agent per request from
 * Node's default trust store, which NODE_EXTRA_CA_CERTS extends (only read at process start, so not
 * settable from a jest test). trustCa adds the PEM to every TLS context created without an explicit
 * `ca`, which is what NODE_EXTRA_CA_CERTS does; @azure/identity/msal requests trust it too.
 * The state lives on globalThis: jest gives each test file its own copy of this module, but `tls` is
 * shared by the whole worker process.
 */
interface TrustState {
	cas: Set<string>;
	original?: typeof tls.createSecureContext;
}
const trustStateKey = Symbol.for('n8n-nodes-microsoft-365-defender.harness.trustCa');
const trustState = ((globalThis as Record<symbol, TrustState>)[trustStateKey] ??= { cas: new Set() });

export function trustCa(caPem: string): void {
	trustState.cas.add(caPem);
	if (trustState.original) return;
	const original = tls.createSecureContext;
	trustState.original = original;
	tls.createSecureContext = (options?: tls.SecureContextOptions) => {
		const context = original(options);
		if (options?.ca === undefined) {
			for (const pem of trustState.cas) {
				(context.context as { addCACert(pem: string): void }).addCACert(pem);
			}
		}
		return context;
	};
}

/** Undo every trustCa (for tests that check an untrusted certificate is refused). */
export function untrustAllCas(): void {
	trustState.cas.clear();
	if (trustState.original) {
		tls.createSecureContext = trustState.original;
		trustState.original = undefined;
	}
}
