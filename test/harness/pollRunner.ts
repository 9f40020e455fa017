/*
 * Polls a trigger the way n8n 2.40.7 does, and keeps what n8n would have persisted.
 *
 * Mirrored (compiled sources under /work/n8n-cache-probe/node_modules):
 * - n8n-core dist/execution-engine/active-workflow-triggers.js 165-201 (activatePollTrigger): ONE
 *   PollContext per activation (so getActivationMode() is the activation's mode, e.g. 'init', on every
 *   poll of it); the activation poll is `executePollTrigger(true)`, later ones `executePollTrigger()`.
 * - n8n-core dist/execution-engine/poll-trigger-executor.js (used as is, through DI): items ->
 *   `__emit`; null -> nothing; an error throws on the activation poll and goes to `__emitError` later.
 * - n8n dist/workflows/triggers/trigger-execution-context.factory.js 194-270: `__emit` calls
 *   `workflowStaticDataService.saveStaticData(workflow)` before the workflow runs; `__emitError`
 *   only records a failed execution.
 * - n8n dist/active-workflow-manager.js 433: after a successful activation (activation poll
 *   included) `saveStaticData(workflow)`. A failed activation saves nothing. At startup ('init',
 *   lines 271-320) n8n queues a retry (addQueuedWorkflowActivation, 540-580) with the SAME workflow
 *   object, whose static data the failed attempt changed in place (n8n-workflow's ObservableObject
 *   wraps the object it is given), unless the error message contains "Authorization" (then no retry
 *   until restart). A user activation ('activate') that fails is refused, not retried.
 * - n8n dist/workflows/workflow-static-data.service.js 31-44: saves only when
 *   `staticData.__dataChanged` (set by n8n-workflow's ObservableObject on any change).
 * - n8n-core dist/execution-engine/workflow-execute.js 676-682 (executePollNode, manual): "Fetch Test
 *   Event" runs poll() in a PollContext with mode and activation 'manual'; manual executions never
 *   save static data (n8n dist/execution-lifecycle/execution-lifecycle-hooks.js 420-423).
 */
import { Container } from '@n8n/di';
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import {
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type Workflow,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import type { CredentialStore } from './credentialStore';
import {
	buildAdditionalData,
	buildNode,
	buildWorkflow,
	ensureExpressionEngine,
	withIsolate,
	type NodeSetup,
} from './runtime';

export interface PollRunnerOptions extends NodeSetup {
	store: CredentialStore;
	/** how the workflow gets activated: 'init' (n8n start, the default) or 'activate' (user toggles it on) */
	activation?: WorkflowActivateMode;
	/** workflow static data already in the database (whole workflow object, e.g. `{ 'node:Name': {...} }`) */
	persistedStaticData?: IDataObject;
}

export interface PollResult {
	/** what poll() returned (null = nothing new) */
	items: INodeExecutionData[][] | null;
	/** what poll() threw */
	error?: Error;
	/** true when this poll was the activation poll */
	activation: boolean;
	/** true when this poll made n8n write the static data to the database */
	saved: boolean;
	/** failed activation only: whether n8n queues a retry (the next poll() is that retry) */
	willRetryActivation?: boolean;
}

type PollFunctions = PollContext & { __emit: unknown; __emitError: unknown };

interface ActiveTrigger {
	workflow: Workflow;
	node: INode;
	/** the plain object given to `new Workflow` as static data (n8n's `dbWorkflow.staticData`) */
	rawStaticData: IDataObject;
	poll: (testing?: boolean) => Promise<void>;
}

const clone = (data: IDataObject): IDataObject => {
	const copy = JSON.parse(JSON.stringify(data)) as IDataObject;
	delete copy.__dataChanged;
	return copy;
};

export class PollRunner {
	/** every static data write, oldest first (copies) */
	readonly saves: IDataObject[] = [];

	private persisted: IDataObject;

	private active?: ActiveTrigger;

	/** static data object of a failed 'init' activation that n8n retries (changed in place by it) */
	private retryStaticData?: IDataObject;

	/** why n8n would not poll any more (failed activation without retry) */
	private stopped?: string;

	private outcome?: { items: INodeExecutionData[][] | null; error?: Error };

	constructor(
		private readonly nodeType: INodeType,
		private readonly options: PollRunnerOptions,
	) {
		if (typeof nodeType.poll !== 'function') {
			throw new Error(`Node "${nodeType.description.name}" has no poll method`);
		}
		this.persisted = clone(options.persistedStaticData ?? {});
	}

	/** What the database holds: the workflow's whole static data. */
	get persistedStaticData(): IDataObject {
		return clone(this.persisted);
	}

	/** The trigger node's part of what the database holds (`getWorkflowStaticData('node')`). */
	get persistedNodeStaticData(): IDataObject {
		return clone((this.persisted[`node:${this.nodeName}`] as IDataObject) ?? {});
	}

	/**
	 * The trigger node's static data in n8n's memory now: the active workflow's, or the one a queued
	 * activation retry will start from; undefined when there is none.
	 */
	get nodeStaticData(): IDataObject | undefined {
		const staticData = this.active?.workflow.staticData ?? this.retryStaticData;
		if (staticData === undefined) return undefined;
		return clone((staticData[`node:${this.nodeName}`] as IDataObject) ?? {});
	}

	get isActive(): boolean {
		return this.active !== undefined;
	}

	/**
	 * First call: activation (mode 'trigger', activation 'init'/'activate'), saved even when it returns
	 * null. If it throws, the workflow is not active: for 'init' n8n retries (the next call, starting
	 * from the failed attempt's in-memory static data) unless the message contains "Authorization";
	 * otherwise the next call throws (use restart()). Later calls: the scheduled polls.
	 */
	async poll(): Promise<PollResult> {
		if (this.stopped) throw new Error(this.stopped);
		const activation = this.active === undefined;
		const active = this.active ?? this.activate(this.retryStaticData ?? clone(this.persisted));
		const savesBefore = this.saves.length;
		this.outcome = undefined;
		try {
			if (activation) {
				// ActiveWorkflowManager.add holds the isolate around the activation (lines 403-422)
				await withIsolate(active.workflow, async () => await active.poll(true));
			} else {
				// the executor acquires its own isolate for scheduled polls
				await ensureExpressionEngine();
				await active.poll(false);
			}
		} catch (error) {
			// only the activation poll throws: the activation fails, nothing is saved
			this.active = undefined;
			const message = (error as Error).message ?? '';
			const willRetryActivation =
				(this.options.activation ?? 'init') === 'init' && !message.includes('Authorization');
			if (willRetryActivation) {
				this.retryStaticData = active.rawStaticData;
			} else {
				this.retryStaticData = undefined;
				this.stopped =
					'n8n does not poll this trigger any more: its activation failed and is not retried ' +
					`(${(this.options.activation ?? 'init') === 'init' ? 'the error mentions "Authorization"' : "a failed 'activate' is refused"}). Use restart().`;
			}
			return { items: null, error: error as Error, activation, saved: false, willRetryActivation };
		}
		if (activation) {
			this.retryStaticData = undefined;
			this.active = active;
			this.saveStaticData(active.workflow);
		}
		// __emit saves asynchronously in n8n (`void saveStaticData`); here it has already run
		// (set by __emit / __emitError; TypeScript cannot see the callbacks ran)
		const outcome = this.outcome as PollRunner['outcome'];
		const items = outcome?.items ?? null;
		const error = outcome?.error;
		return { items, error, activation, saved: this.saves.length > savesBefore };
	}

	/** "Fetch Test Event": manual mode on a copy of the stored static data; nothing is saved. */
	async fetchTestEvent(): Promise<PollResult> {
		const node = buildNode(this.nodeType, this.options);
		const workflow = buildWorkflow(this.nodeType, node, clone(this.persisted));
		const context = new PollContext(
			workflow,
			node,
			buildAdditionalData(this.options.store),
			'manual',
			'manual',
		);
		try {
			const items = await withIsolate(workflow, async () => await this.nodeType.poll!.call(context));
			return { items, activation: false, saved: false };
		} catch (error) {
			return { items: null, error: error as Error, activation: false, saved: false };
		}
	}

	/**
	 * n8n restarts: a new runner, not yet activated (its first poll activates with 'init'), whose
	 * static data is only what was persisted.
	 */
	restart(): PollRunner {
		return new PollRunner(this.nodeType, {
			...this.options,
			activation: 'init',
			persistedStaticData: this.persisted,
		});
	}

	/** n8n is stopped: the in-memory state is discarded (persistedStaticData stays). */
	deactivate(): void {
		this.active = undefined;
	}

	private get nodeName(): string {
		return buildNode(this.nodeType, this.options).name;
	}

	private activate(rawStaticData: IDataObject): ActiveTrigger {
		const node = buildNode(this.nodeType, this.options);
		const workflow = buildWorkflow(this.nodeType, node, rawStaticData);
		const __emit = (data: INodeExecutionData[][]) => {
			this.outcome = { items: data };
			this.saveStaticData(workflow);
		};
		const __emitError = (error: Error) => {
			this.outcome = { items: null, error };
		};
		const pollFunctions = new PollContext(
			workflow,
			node,
			buildAdditionalData(this.options.store),
			'trigger',
			this.options.activation ?? 'init',
			__emit,
			__emitError,
		) as PollFunctions;
		const executor = Container.get(PollTriggerExecutor);
		const poll = executor.create(workflow, node, pollFunctions, () => true);
		return { workflow, node, rawStaticData, poll };
	}

	/** workflow-static-data.service.js saveStaticData */
	private saveStaticData(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged === true) {
			this.persisted = clone(workflow.staticData);
			this.saves.push(clone(workflow.staticData));
			workflow.staticData.__dataChanged = false;
		}
	}
}

export function createPollRunner(nodeType: INodeType, options: PollRunnerOptions): PollRunner {
	return new PollRunner(nodeType, options);
}
