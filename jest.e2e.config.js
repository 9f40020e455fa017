/** End-to-end suite: the packed package inside a real n8n 2.40.7 (npm run test:e2e, e2e/README.md). */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
	globalSetup: '<rootDir>/e2e/jest/globalSetup.js',
	// The secrets scan reads what every other suite produced, so it runs last.
	testSequencer: '<rootDir>/e2e/jest/sequencer.js',
	testTimeout: 5 * 60 * 1000,
	maxWorkers: 1,
};
