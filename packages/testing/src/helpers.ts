import * as pulumi from "@pulumi/pulumi";
import { currentEnvironment, type MockEnvironment, type RecordedResource } from "./mocks";

/**
 * The value of an output. Rejects (instead of hanging like an `apply`-based await) when the value is unknown,
 * which is what a preview gives for anything a mock did not return. When the program has raised a deferred error
 * (see `MockEnvironment.deferredErrors`) and the output still has no value once the program is idle, it rejects with
 * that error: the output depends on a registration that failed and will never be answered.
 */
export async function awaitOutput<T>(output: pulumi.Input<T>, timeoutMs = 30_000): Promise<T> {
  const o = pulumi.output(output) as any;
  let timer: NodeJS.Timeout | undefined;
  const env = currentEnvironment();
  const failed = env
    ? env.deferredFailure.catch(async (error: unknown) => {
        await env.idle();
        throw error;
      })
    : new Promise<never>(() => undefined);
  const timeout = Promise.race([
    failed,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`output did not resolve within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]);
  try {
    const known: boolean = await Promise.race([o.isKnown as Promise<boolean>, timeout]);
    if (!known) throw new Error("output is unknown (preview): its value comes from a resource that is not yet created");
    return (await Promise.race([o.promise() as Promise<T>, timeout])) as T;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether an output is marked secret. */
export async function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/** Resources of a type token, in registration order. */
export function findResources(env: MockEnvironment, type: string): RecordedResource[] {
  return env.byType(type);
}

/** Short type for display: `gcp:certificatemanager/trustConfig:TrustConfig` → `gcp:certificatemanager:TrustConfig`. */
export function displayType(type: string): string {
  const [pkg, mod, name] = type.split(":");
  if (!mod || !name) return type;
  return `${pkg}:${mod.split("/")[0]}:${name}`;
}

export interface TreeOptions {
  /** Input keys shown on each resource's line, when present; the default shows a few identifying ones. */
  readonly keys?: readonly string[];
}

const DEFAULT_KEYS = [
  "name",
  "location",
  "action",
  "description",
  "algorithm",
  "ecdsaCurve",
  "subject",
  "dnsNames",
  "uris",
  "validityPeriodHours",
  "isCaCertificate",
  "metadata",
];

/** A preview-like tree: `+ type name` with parents indented and secrets shown as `[secret]`. */
export function printTree(env: MockEnvironment, opts: TreeOptions = {}): string {
  const keys = opts.keys ?? DEFAULT_KEYS;
  const lines: string[] = [];
  const visit = (r: RecordedResource, depth: number) => {
    const shown = keys
      .filter((k) => r.inputs[k] !== undefined)
      .map((k) => `${k}=${r.secretInputs.includes(k) ? "[secret]" : summarize(r.inputs[k])}`);
    lines.push(
      `${"    ".repeat(depth)}+ ${displayType(r.type)} ${r.name}${shown.length ? "  " + shown.join(" ") : ""}`,
    );
    // Registrations arrive in an order that depends on input resolution: sort for a stable tree.
    for (const c of env.children(r.urn).sort(byName)) visit(c, depth + 1);
  };
  for (const r of env.resources.filter((r) => !r.parent || !env.byUrn(r.parent)).sort(byName)) visit(r, 0);
  return lines.join("\n");
}

function byName(a: RecordedResource, b: RecordedResource): number {
  return a.name.localeCompare(b.name);
}

function summarize(v: unknown): string {
  if (typeof v === "string") return v.length > 60 ? JSON.stringify(v.slice(0, 57) + "...") : JSON.stringify(v);
  const json = JSON.stringify(v);
  return json.length > 80 ? json.slice(0, 77) + "..." : json;
}
