import { evaluateWaitFor } from "./waitfor";

/**
 * Deploy-time waits as pulumi-kubernetes runs them (catalogue pulumi-k8s.wait-for and pulumi-k8s.timeout): a create
 * with a `pulumi.com/waitFor` annotation answers only once every expression holds against the live object, re-read
 * as the cluster changes. In a mocked run nothing else happens while every registration is waiting, so the queue
 * re-checks its waits whenever the program's promises have settled (one macrotask later); when a whole round brings
 * neither a satisfied wait nor a new registration, no later event can satisfy the rest and they time out, as the
 * provider would after `pulumi.com/timeoutSeconds`.
 */
export interface Wait {
  /** The annotation's value. */
  readonly annotation: string;
  /** The live object now (status included). */
  readonly read: () => unknown;
  /** Called once the wait holds, with the live object. */
  readonly done: (live: unknown) => void;
  /** Called once it can no longer hold, with the expressions that did not. */
  readonly timedOut: (live: unknown, unmet: string[]) => void;
}

export class WaitQueue {
  private readonly waits: Wait[] = [];
  private scheduled = false;
  private activity = 0;
  private seen = -1;

  /** Something happened that could satisfy a wait (a registration). */
  touch(): void {
    this.activity++;
  }

  add(wait: Wait): void {
    this.waits.push(wait);
    this.touch();
    this.schedule();
  }

  get pending(): number {
    return this.waits.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.tick());
  }

  private tick(): void {
    this.scheduled = false;
    let progressed = false;
    for (const wait of [...this.waits]) {
      const live = wait.read();
      if (evaluate(wait.annotation, live).satisfied) {
        this.waits.splice(this.waits.indexOf(wait), 1);
        wait.done(live);
        progressed = true;
      }
    }
    if (this.waits.length === 0) return;
    if (progressed || this.activity !== this.seen) {
      this.seen = this.activity;
      this.schedule();
      return;
    }
    for (const wait of this.waits.splice(0)) {
      const live = wait.read();
      wait.timedOut(live, evaluate(wait.annotation, live).unmet);
    }
  }
}

function evaluate(annotation: string, live: unknown): { satisfied: boolean; unmet: string[] } {
  try {
    const result = evaluateWaitFor(annotation, live);
    return { satisfied: result.satisfied, unmet: result.checks.filter((c) => !c.satisfied).map((c) => c.expression) };
  } catch (e) {
    // An expression the provider cannot parse fails the create before any wait.
    return { satisfied: false, unmet: [`${annotation} (${(e as Error).message})`] };
  }
}
