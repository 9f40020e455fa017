'use strict';
// Runs the e2e suites in a fixed order (by file name) with the secrets scan last: it reads what the
// others left in the run folder.
const Sequencer = require('@jest/test-sequencer').default;

const runsLast = (test) => (/secrets\.e2e\.test\.ts$/.test(test.path) ? 1 : 0);

class E2eSequencer extends Sequencer {
	sort(tests) {
		return [...tests].sort((a, b) => runsLast(a) - runsLast(b) || a.path.localeCompare(b.path));
	}
}

module.exports = E2eSequencer;
