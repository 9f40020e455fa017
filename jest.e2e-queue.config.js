/** Queue-mode suite: n8n main + two workers on PostgreSQL and Redis (npm run test:e2e:queue, README.md, "Queue mode"). */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e/queue'],
	// *.queue.test.ts: neither npm test (ignores test/e2e/) nor npm run test:e2e (*.e2e.test.ts) picks these up
	testMatch: ['<rootDir>/test/e2e/queue/**/*.queue.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
	// the same preparation as the e2e suite: run folder, n8n runtime, packed package, nodes template
	globalSetup: '<rootDir>/e2e/jest/globalSetup.js',
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
};
