/**
 * The compatibility subset of the e2e suite (npm run test:e2e:compat, e2e/run-compat.sh), run on the newest
 * n8n 1.x and 2.x: the Community Nodes install (smoke), every credential type signing in and its credential
 * test, one run of each operation, the trigger across a restart, and the secrets scan over all of it.
 */
const e2e = require('./jest.e2e.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...e2e,
	testMatch: ['smoke', 'credentials', 'credential-test', 'device-code', 'operations', 'trigger', 'secrets'].map(
		(suite) => `<rootDir>/test/e2e/${suite}.e2e.test.ts`,
	),
};
