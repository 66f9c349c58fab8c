// The installed plugin, driven as Pulumi drives it: the Node.js language host requires the plugin directory (its
// package.json `main`, pulumi/pulumi sdk/nodejs/cmd/run-plugin/run.ts), the entry starts the component provider and
// prints its port, and the engine asks for the schema over gRPC (ResourceProvider.GetSchema). The analyzer must infer
// the five components from the installed package alone (its shipped src/ and plugin/tsconfig.json).
"use strict";
/* global setTimeout, clearTimeout */
const { spawn } = require("node:child_process");
const path = require("node:path");

const pluginDir = path.join(path.dirname(require.resolve("@gcp-mtls/components/package.json")), "plugin");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const proto = path.join(pulumiDir, "proto");
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [proto] }));
const { ResourceProviderClient } = require(path.join(proto, "provider_grpc_pb.js"));
const { GetSchemaRequest } = require(path.join(proto, "provider_pb.js"));

const host = spawn(process.execPath, ["-e", "require(process.argv[1])", pluginDir], {
  stdio: ["ignore", "pipe", "inherit"],
});
const fail = (message) => {
  console.error(`plugin: ${message}`);
  host.kill();
  process.exit(1);
};
const timer = setTimeout(() => fail("no schema within 120 s"), 120_000);
let out = "";
host.stdout.on("data", (chunk) => {
  out += chunk;
  const port = /^(\d+)\n/.exec(out)?.[1];
  if (port === undefined || host.asked) return;
  host.asked = true;
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  client.getSchema(new GetSchemaRequest(), (err, response) => {
    if (err) return fail(`GetSchema failed: ${err.message}`);
    const schema = JSON.parse(response.getSchema());
    const resources = Object.keys(schema.resources).sort();
    const expected = [
      "BackendTlsPolicy",
      "CaServiceChain",
      "CertificateChain",
      "GatewayFrontendMtls",
      "SecureWebProxyMtls",
    ].map((n) => `gcp-mtls:index:${n}`);
    if (schema.name !== "gcp-mtls" || JSON.stringify(resources) !== JSON.stringify(expected)) {
      return fail(`unexpected schema: name ${schema.name}, resources ${resources.join(", ")}`);
    }
    clearTimeout(timer);
    console.log(
      `plugin: schema ${schema.name} ${schema.version}, ${resources.length} components, ${Object.keys(schema.types).length} types`,
    );
    host.kill();
    process.exit(0);
  });
});
host.on("exit", (code) => fail(`the plugin exited (${code}) before serving its schema`));
