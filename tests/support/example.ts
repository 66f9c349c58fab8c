import * as path from "node:path";
import { loadStackConfig, programEntry, projectName, setupMocks, type MockEnvironment } from "@gcp-mtls/testing";

/** The repository root, where the root program's Pulumi.yaml lives. */
export const REPO_ROOT = path.join(__dirname, "..", "..");

/**
 * Runs a Pulumi program for one stack under the mocks, with its Pulumi.yaml / Pulumi.<stack>.yaml config, the way
 * `pulumi up -s <stack>` would hand it over. One program per test file: the runtime's mocks are process-wide.
 * `program` is an example name (`examples/<name>`) or a directory.
 */
export async function runExample<T>(program: string, stack: string): Promise<{ env: MockEnvironment; program: T }> {
  const dir = path.isAbsolute(program) ? program : path.join(REPO_ROOT, "examples", program);
  const project = projectName(dir);
  const { config, secretKeys } = loadStackConfig(dir, project, stack);
  const env = await setupMocks({ project, stack, config, secretConfigKeys: secretKeys });
  // Required after setupMocks: a program evaluated earlier would bypass the mocks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(programEntry(dir)) as T;
  return { env, program: exported };
}
