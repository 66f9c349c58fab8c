"use strict";
// jest.config.js resolves the real path: a `require("@npmcli/arborist")` here would be mapped back to this file.
module.exports = require("./lazy-module")(process.env.GCP_MTLS_JEST_REAL_ARBORIST);
