import * as path from "node:path";
import { loadStackConfig, projectName, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";

/**
 * Runs an example program for one stack under the mocks, with its Pulumi.yaml / Pulumi.<stack>.yaml config, the way
 * `pulumi up -s <stack>` would hand it over. One program per test file: the runtime's mocks are process-wide.
 */
export async function runExample<T>(example: string, stack: string): Promise<{ env: MockEnvironment; program: T }> {
  const dir = path.join(__dirname, "..", "..", "examples", example);
  const project = projectName(dir);
  const { config, secretKeys } = loadStackConfig(dir, project, stack);
  const env = await setupMocks({ project, stack, config, secretConfigKeys: secretKeys });
  // Required after setupMocks: a program evaluated earlier would bypass the mocks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(path.join(dir, "index.ts")) as T;
  return { env, program };
}
