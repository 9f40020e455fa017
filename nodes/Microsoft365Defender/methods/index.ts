export * as listSearch from './listSearch';
// TODO(auth): export credentialTest from './credentialTest' once the auth engineer adds it
// (an object holding microsoft365DefenderCredentialTest).
