export { CredentialStore, type CredentialRef, type CredentialUpdate } from './credentialStore';
export { CredentialsHelper } from './credentialsHelper';
export { executeNode, type ExecuteOptions, type ExecuteResult } from './executeNode';
export { trustCa, untrustAllCas, WORKFLOW_ID } from './runtime';
export { createPollRunner, PollRunner, type PollResult, type PollRunnerOptions } from './pollRunner';
export { loadOptions, searchList, testCredential, type CredentialTestOptions, type LoadOptionsOptions } from './loadOptions';
