// Types for templates.js.
import type { WorkflowImport } from '../lib/n8n';

export const EXAMPLES_DIR: string;
export function templateFiles(): string[];
export function readTemplate(file: string): WorkflowImport;
export function configureTemplate(
	template: WorkflowImport,
	credentials: Array<{ type: string; id: string; name: string }>,
	urls?: Record<string, string>,
): WorkflowImport;
