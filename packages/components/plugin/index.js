// The entry the Node.js language host runs for this plugin (a require of this directory, so package.json `main`): the
// component provider of @gcp-mtls/components, named `gcp-mtls` as its type tokens are. Needs the built package
// (`dist/`), as published; in a clone, run `corepack pnpm build` first.
"use strict";
const { componentProviderHost } = require("@pulumi/pulumi/provider/experimental");
const { componentProviderOptions } = require("../dist/plugin.js");

componentProviderHost(componentProviderOptions()).catch((err) => {
  console.error(err);
  process.exit(1);
});
