'use strict';
// The bench cases, one file each, in the order they run. A case file exports:
//   id            its number (the table is sorted by it; --cases picks by it)
//   describe(opts)  the progress line "case <id>: …"
//   run(opts, cloud)  → its result ({ id, title, targets, … }, see bench/run.js printTable); `cloud` is the
//                 shared simulated cloud when the case declares sharedCloud, else it starts its own
//   sharedCloud?(opts)  incidents it needs in the cloud it shares with the other cases that declare it
//                 (those run first, while that cloud is up)
//   options?      its own command-line options: { flag, key, help, full, quick?, kind?: 'rate' | 'off' }
//   worker?       what a bench/worker.js process measures: { variants: { node, baseline, … }, warmUp? }
//                 (see bench/worker.js); jobs name the case file: runWorker(cloud, { worker: '<file>', … })
module.exports = [
	require('./listIncidents'),
	require('./listThrottled'),
	require('./hunting'),
	require('./updateThrottled'),
	require('./trigger'),
	require('./n8n'),
	require('./listAlerts'),
	require('./isolateThrottled'),
];
