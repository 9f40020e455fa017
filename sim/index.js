// @ts-check
'use strict';

// Public entry of the simulated cloud; the implementation is in cloud.js, types in index.d.ts.
// testServers.js: redirect target, hanging, trickling and CONNECT-proxy servers for tests.
module.exports = { ...require('./cloud'), ...require('./testServers') };
