// @ts-check
'use strict';

// Public entry of the simulated cloud; the implementation is in cloud.js, types in index.d.ts.
module.exports = require('./cloud');
