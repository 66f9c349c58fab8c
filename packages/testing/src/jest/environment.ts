/**
 * A jest test environment for Pulumi programs under `setupMocks`: `node`'s, plus deferred errors.
 *
 * The Pulumi runtime reports a resource whose input failed (an `apply` that threw, such as a component's check of a
 * value known only at deploy time) by leaving a rejected promise unhandled on purpose (`runAsyncResourceOp` in
 * `@pulumi/pulumi/runtime/resource.js`: "so that it triggers unhandled rejection logic"); `pulumi up` turns that into
 * a failed deployment. jest-circus fails whatever test is running on an unhandled rejection, and listeners a test
 * adds to `process` inside the sandbox never fire (jest-circus `globalErrorHandlers.ts`), so a test could not expect
 * the error. With this environment the rejections of a program under `setupMocks` go to its `MockEnvironment`
 * (`deferredErrors`; `settled()` and `awaitOutput` reject with them); every other rejection still fails the test.
 *
 * `testEnvironment: "@gcp-mtls/testing/jest-environment"` in the jest config.
 */
import { TestEnvironment } from "jest-environment-node";

/** Set by `setupMocks` on the sandbox's global: takes a rejection reason, returns whether it was recorded. */
export const DEFERRED_ERROR_SINK = Symbol.for("@gcp-mtls/testing.deferred-error-sink");

type Listener = (...args: unknown[]) => void;

export default class PulumiTestEnvironment extends TestEnvironment {
  private listener?: Listener;

  // jest-circus installs its handler at `setup` (our hook runs after it) and, at `teardown`, removes that handler and
  // puts back the ones it found; ours wraps its handler in between and is removed at `teardown`.
  async handleTestEvent(event: { name: string }): Promise<void> {
    if (event.name === "setup") {
      const jestListeners = process.listeners("unhandledRejection") as Listener[];
      process.removeAllListeners("unhandledRejection");
      this.listener = (reason: unknown, promise: unknown) => {
        const sink = (this.global as Record<symbol, unknown>)[DEFERRED_ERROR_SINK];
        if (typeof sink === "function" && sink(reason) === true) return;
        for (const listener of jestListeners) listener(reason, promise);
      };
      process.on("unhandledRejection", this.listener);
    } else if (event.name === "teardown" && this.listener) {
      process.removeListener("unhandledRejection", this.listener);
      this.listener = undefined;
    }
  }
}
