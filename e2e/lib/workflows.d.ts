// Types for workflows.js.
import type { WorkflowImport } from './n8n';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = Record<string, any>;
export interface CredentialRef {
	type: string;
	id: string;
	name: string;
}

export const DEFENDER_NODE_TYPE: string;
export const DEFENDER_TRIGGER_TYPE: string;
export function codeNode(name: string, items: Record<string, unknown>[]): Node;
export function defenderNode(
	name: string,
	parameters: Record<string, unknown>,
	credential: CredentialRef,
	options?: { continueOnFail?: boolean },
): Node;
export function defenderTriggerNode(name: string, parameters: Record<string, unknown>, credential: CredentialRef): Node;
export function httpPostNode(name: string, url: string, jsonBody?: string): Node;
export function manualWorkflow(options: {
	id: string;
	name: string;
	items?: Record<string, unknown>[];
	nodes: Node[];
}): WorkflowImport;
export function linkedWorkflow(options: {
	id: string;
	name: string;
	chain: Node[];
	active?: boolean;
	settings?: Record<string, unknown>;
}): WorkflowImport;
