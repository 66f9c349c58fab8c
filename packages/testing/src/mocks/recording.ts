import * as pulumi from "@pulumi/pulumi";
import { formatProblem, type Problem } from "@gcp-mtls/rules";
import type { GatewayApiBundle } from "@gcp-mtls/rules";
import { Cluster, type ClusterOptions } from "../kubernetes/cluster";
import { WaitQueue } from "../kubernetes/waits";
import {
  gcpInvoke,
  gcpOutputs,
  kubernetesOutputs,
  projectNumber,
  provisionPrivateCertificate,
  requestCaServiceCertificate,
  resetCaServiceState,
  type OutputContext,
} from "../outputs";

const CA_CERTIFICATE = "gcp:certificateauthority/certificate:Certificate";
const CM_CERTIFICATE = "gcp:certificatemanager/certificate:Certificate";

import { judgeImport } from "./import";
import { TlsEmulator } from "./tls-emulator";
import { isSecretValue, secretValue, unwrapSecrets } from "./values";

// Internal runtime modules: the public API has no hook for the RegisterResource request (dependencies, parent).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state");

/** One registered resource, as the engine would have seen it. */
export interface RecordedResource {
  readonly urn: string;
  /** Type token, e.g. `gcp:certificatemanager/trustConfig:TrustConfig`. */
  readonly type: string;
  /** The logical (Pulumi) name. */
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  /** Inputs with secrets unwrapped; `secretInputs` says which top-level keys were secret. */
  readonly inputs: Record<string, any>;
  readonly secretInputs: readonly string[];
  /** What the mock returned (id and state, secrets unwrapped); `secretOutputs` lists the secret keys. */
  id?: string;
  outputs: Record<string, any>;
  secretOutputs: readonly string[];
  /** URNs this resource waits on: explicit `dependsOn` and every resource whose outputs it consumed. */
  readonly dependencies: readonly string[];
  /** Per input property, the URNs its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The `replaceOnChanges` resource option: input paths whose change replaces the resource. */
  readonly replaceOnChanges: readonly string[];
  /** The `deleteBeforeReplace` resource option. */
  readonly deleteBeforeReplace: boolean;
  /** The `protect` resource option. */
  readonly protect: boolean;
  /** The `retainOnDelete` resource option: a delete leaves the cloud resource in place. @default false */
  readonly retainOnDelete?: boolean;
  /** The `import` resource option: the id of the live resource this registration adopts. */
  readonly importId?: string;
  /** What the deployment does after reading the imported resource (see {@link MockOptions.existing}). */
  imported?: { readonly updates: readonly string[]; readonly replaces: readonly string[] };
  /** Outputs a component registered with `registerOutputs`. */
  componentOutputs?: Record<string, any>;
  /** Set when recording this resource's answer failed (the registration itself still completed). */
  recordingError?: string;
  /** Set when a real `pulumi up` would fail on this resource (see {@link DeploymentFailure}). */
  failure?: DeploymentFailure;
}

/**
 * Something a real `pulumi up` would fail on: the provider or API refusing a resource (`create`), or a deploy-time
 * wait that the emulated controller never satisfies (`wait`). The mocks record it instead of failing the registration,
 * so that a program's remaining resources still register and tests can assert it.
 */
export interface DeploymentFailure {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly phase: "create" | "wait" | "import";
  /** What the provider or API says: `` `path` problem `` per problem. */
  readonly message: string;
  /** The catalogue rules behind it. */
  readonly rules: readonly string[];
}

export interface RecordedInvoke {
  readonly token: string;
  readonly inputs: Record<string, any>;
  readonly result?: Record<string, unknown>;
}

export interface ResourceMockArgs {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly id?: string;
  readonly custom: boolean;
}

export interface MockOptions {
  /** Pulumi project name. @default "gcp-mtls" */
  readonly project?: string;
  /** Stack name. @default "test" */
  readonly stack?: string;
  /** Run as a preview: outputs not returned by mocks are unknown and `apply` callbacks do not run. @default false */
  readonly preview?: boolean;
  /** GCP project used when a resource has none (`gcp:project`). @default "mock-project" */
  readonly gcpProject?: string;
  /** Region used when a regional resource has none (`gcp:region`). @default "us-central1" */
  readonly gcpRegion?: string;
  /** Clock for certificate validity and renewal. @default () => new Date() */
  readonly now?: () => Date;
  /** Stack configuration, keyed `namespace:key` (e.g. `gcp:project`), set before the program runs. */
  readonly config?: Record<string, string>;
  /** Keys of `config` that are secrets (`config.requireSecret` then returns a secret output). */
  readonly secretConfigKeys?: readonly string[];
  /** Extra invoke handlers, by token. Unhandled invokes throw. */
  readonly invokes?: Record<string, (inputs: Record<string, any>) => Record<string, unknown>>;
  /**
   * Cloud resources that exist before the program, by type token and then id, each as its provider inputs: what a
   * resource with the `import` option reads. An import of an id not listed fails as the engine does; a goal that
   * differs in an immutable field replaces the live resource, or fails when it is protected. @default {}
   */
  readonly existing?: Record<string, Record<string, Record<string, unknown>>>;
  /**
   * URNs of resources the stack already holds (the previous deployment): for them this run is an update, so rules
   * that hold only when a resource is created are not judged (a CA's `desiredState` `DISABLED` is valid on an update:
   * rule gcp.privateca.authority.desired-state). The plan CLI passes the `--diff` snapshot's URNs. @default []
   */
  readonly deployed?: readonly string[];
  /** The Gateway API CRD bundle installed in the emulated cluster. @default v1.5.1, standard channel */
  readonly gatewayApi?: GatewayApiBundle;
  /** Whether the emulated controller writes a local Gateway's `ancestorRef.namespace` (see {@link ClusterOptions}). */
  readonly ancestorNamespace?: ClusterOptions["ancestorNamespace"];
  /** Extra resource handlers, by type token; return undefined to fall through to the built-in ones. */
  readonly resources?: Record<
    string,
    (args: ResourceMockArgs) => { id?: string; state: Record<string, unknown> } | undefined
  >;
}

/**
 * Everything a program registered and invoked under {@link setupMocks}, in registration order.
 * Queries are by type token, name or URN; the parent chain is in the URN (`…$parentType$type::name`).
 */
export class MockEnvironment {
  readonly resources: RecordedResource[] = [];
  readonly invokes: RecordedInvoke[] = [];
  readonly duplicates: string[] = [];
  /** What a real `pulumi up` would fail on, in the order found. */
  readonly failures: DeploymentFailure[] = [];
  /** The registration the mock monitor is answering right now (newResource runs synchronously inside it). */
  registering?: RecordedResource;
  /** The emulated cluster the program's Kubernetes objects were applied to. */
  cluster?: Cluster;
  /** Registration events, for deploy-time waits that need to know when nothing more will happen. */
  private readonly listeners: (() => void)[] = [];

  /** A registration happened. */
  touch(): void {
    for (const l of this.listeners) l();
  }

  /** Calls `listener` on every registration; returns a function that stops it. */
  onActivity(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
  // First registration per URN: lookups stay O(1) however large the program (a bench registers thousands).
  private readonly urnIndex = new Map<string, RecordedResource>();

  constructor(readonly options: Required<Pick<MockOptions, "project" | "stack" | "preview">>) {}

  byType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource with this name (and type, when names repeat across types). */
  byName(name: string, type?: string): RecordedResource {
    const found = this.resources.filter((r) => r.name === name && (type === undefined || r.type === type));
    if (found.length !== 1) {
      throw new Error(
        `expected exactly one resource named ${name}${type ? ` of type ${type}` : ""}, found ${found.length}: ${this.names().join(", ")}`,
      );
    }
    return found[0]!;
  }

  byUrn(urn: string): RecordedResource | undefined {
    return this.urnIndex.get(urn);
  }

  /** Records a registration; a second one with the same URN is recorded too, and listed in `duplicates`. */
  record(resource: RecordedResource): void {
    if (this.urnIndex.has(resource.urn)) this.duplicates.push(resource.urn);
    else this.urnIndex.set(resource.urn, resource);
    this.resources.push(resource);
  }

  children(parentUrn: string): RecordedResource[] {
    return this.resources.filter((r) => r.parent === parentUrn);
  }

  /** Records what a real deployment would fail on for `resource`. */
  fail(resource: RecordedResource, phase: DeploymentFailure["phase"], message: string, rules: readonly string[]): void {
    const failure = { urn: resource.urn, type: resource.type, name: resource.name, phase, message, rules };
    resource.failure = failure;
    this.failures.push(failure);
  }

  /** Throws, listing every failure, when a real `pulumi up` of what was registered would fail. */
  assertDeployable(): void {
    if (this.failures.length === 0) return;
    throw new Error(
      `a real \`pulumi up\` would fail:\n${this.failures.map((f) => `  ${f.type} ${f.name} (${f.phase}): ${f.message}`).join("\n")}`,
    );
  }

  /** Throws when two registrations shared a URN (the engine would refuse the deployment). */
  assertNoDuplicates(): void {
    if (this.duplicates.length > 0) {
      throw new Error(`duplicate resource URNs (the engine refuses these): ${this.duplicates.join(", ")}`);
    }
  }

  names(): string[] {
    return this.resources.map((r) => r.name);
  }

  /** Count of custom resources by type token, sorted by token. */
  countByType(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * Errors the program raised after construction (an `apply` that threw, such as a component's check of a value known
   * only at deploy time), in the order they happened. Under `pulumi up` each fails the deployment; here they are
   * collected instead of surfacing as unhandled rejections, and {@link settled} rejects with the first.
   */
  readonly deferredErrors: Error[] = [];
  private failDeferred?: (error: Error) => void;
  /** Rejects with the first deferred error (never resolves otherwise). */
  readonly deferredFailure: Promise<never> = new Promise<never>((_, reject) => (this.failDeferred = reject));

  /** Records an error raised after construction (see {@link deferredErrors}). */
  deferredError(error: Error): void {
    // The runtime leaves one failure unhandled on several promises: record each error once.
    if (this.deferredErrors.includes(error)) return;
    this.deferredErrors.push(error);
    this.failDeferred?.(error);
  }

  /**
   * Waits until every registration and invoke the program started has been answered (the runtime's RPC queue), and
   * rejects with the first deferred error instead when the program raised one: a registration whose input failed is
   * never answered, so the queue alone would never drain.
   */
  async settled(): Promise<void> {
    await Promise.race([settings.waitForRPCs(), this.deferredFailure]);
    // An error raised by the last answers reaches `unhandledRejection` once the microtask queue has drained.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.deferredErrors.length > 0) throw this.deferredErrors[0];
  }

  /** Resolves once no registration has happened for `ticks` turns of the event loop. */
  async idle(ticks = 20): Promise<void> {
    let quiet = 0;
    const stop = this.onActivity(() => (quiet = 0));
    try {
      while (quiet < ticks) {
        await new Promise((resolve) => setImmediate(resolve));
        quiet++;
      }
    } finally {
      stop();
    }
  }
}

let current: MockEnvironment | undefined;

/** The environment of the last {@link setupMocks} (what `awaitOutput` checks for deferred errors). */
export function currentEnvironment(): MockEnvironment | undefined {
  return current;
}

let listening = false;

/**
 * Routes the program's unhandled rejections to the current environment's deferred errors. A rejection that is no
 * Error (or arrives with no environment) is re-thrown, so it still fails the test run as Node would.
 */
function listenForDeferredErrors(): void {
  // Under jest a sandbox's `process` listeners never fire: the jest environment reads the sink set in setupMocks.
  if (listening || process.env.JEST_WORKER_ID !== undefined) return;
  listening = true;
  process.on("unhandledRejection", (reason) => {
    if (current && reason instanceof Error) current.deferredError(reason);
    else throw reason;
  });
}

const URN_PREFIX = "urn:pulumi:";

/**
 * Installs recording mocks: `pulumi.runtime.setMocks` with real tls artefacts, provider-format GCP and Kubernetes
 * outputs, and a monitor wrapper that records every registration with its parent and dependencies.
 * Call it before constructing any resource (a resource constructed earlier silently bypasses the mocks).
 */
export async function setupMocks(options: MockOptions = {}): Promise<MockEnvironment> {
  const project = options.project ?? "gcp-mtls";
  const stack = options.stack ?? "test";
  const preview = options.preview ?? false;
  const env = new MockEnvironment({ project, stack, preview });
  // Nobody may be waiting on it: keep its own rejection from being unhandled.
  env.deferredFailure.catch(() => undefined);
  current = env;
  listenForDeferredErrors();
  // Read by the jest environment `@gcp-mtls/testing/jest-environment` (jest never emits to a sandbox's listeners).
  (globalThis as Record<symbol, unknown>)[Symbol.for("@gcp-mtls/testing.deferred-error-sink")] = (reason: unknown) => {
    if (current !== env || !(reason instanceof Error)) return false;
    env.deferredError(reason);
    return true;
  };
  const config = { ...(options.config ?? {}) };
  const gcpProject = options.gcpProject ?? config["gcp:project"] ?? "mock-project";
  const cluster = new Cluster({
    ...(options.gatewayApi ? { gatewayApi: options.gatewayApi } : {}),
    ...(options.ancestorNamespace ? { ancestorNamespace: options.ancestorNamespace } : {}),
    projectNumber: projectNumber(gcpProject),
    region: options.gcpRegion ?? config["gcp:region"] ?? "us-central1",
  });
  env.cluster = cluster;
  const waits = new WaitQueue();
  env.onActivity(() => waits.touch());
  const ctx: OutputContext = {
    project: gcpProject,
    region: options.gcpRegion ?? config["gcp:region"] ?? "us-central1",
    seed: stack,
    cluster,
  };
  const tls = new TlsEmulator(options.now, preview);
  resetCaServiceState();
  const deployed = new Set(options.deployed ?? []);

  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const { plain, secretKeys } = unwrapSecrets(args.inputs);
      const custom = args.custom ?? true;
      if (!custom) return { id: undefined, state: {} };
      const user = options.resources?.[args.type]?.({
        type: args.type,
        name: args.name,
        inputs: plain,
        id: args.id,
        custom,
      });
      const record = env.registering;
      env.registering = undefined;
      const updated = record !== undefined && deployed.has(record.urn);
      const computed = user ??
        (tls.handles(args.type) ? tls.create(args.type, args.name, plain) : undefined) ??
        gcpOutputs(args.type, args.name, plain, updated ? { ...ctx, updating: true } : ctx) ??
        kubernetesOutputs(args.type, args.name, plain, ctx) ?? { id: `${args.name}-id`, state: plain };
      const problems: readonly Problem[] = (computed as { problems?: readonly Problem[] }).problems ?? [];
      if (problems.length > 0 && record) {
        env.fail(record, "create", problems.map((p) => formatProblem(p)).join("; "), [
          ...new Set(problems.flatMap((p) => (p.rule ? [p.rule] : []))),
        ]);
      }
      // Inputs that arrived secret stay secret in the state, as the engine keeps them.
      const secure = (raw: Record<string, unknown>) => {
        const state: Record<string, unknown> = { ...raw };
        for (const k of secretKeys) if (k in state && !isSecretValue(state[k])) state[k] = secretValue(state[k]);
        if (args.type.startsWith("kubernetes:core/v1:Secret") && "data" in state) state.data = secretValue(state.data);
        return state;
      };
      let id = computed.id || (preview ? undefined : `${args.name}-id`);
      if (record?.importId !== undefined) {
        // The engine reads the live resource, then updates (or replaces) it to the goal (rule pulumi-gcp.import).
        const live = options.existing?.[args.type]?.[record.importId];
        const outcome = judgeImport(args.type, record.urn, record.importId, live, plain, record.protect, ctx.project);
        record.imported = { updates: outcome.updates, replaces: outcome.replaces };
        if (outcome.failure) env.fail(record, "import", outcome.failure.message, outcome.failure.rules);
        if (live !== undefined && outcome.replaces.length === 0) {
          id = record.importId;
          // Inputs the API computes and the program left out keep their live values.
          for (const k of outcome.kept) (computed.state as Record<string, unknown>)[k] = live[k];
        }
      }
      const annotations = (computed.state as any)?.metadata?.annotations ?? {};
      const waitFor = annotations["pulumi.com/waitFor"];
      if (
        !preview &&
        record &&
        typeof waitFor === "string" &&
        annotations["pulumi.com/skipAwait"] !== "true" &&
        problems.length === 0
      ) {
        // The create answers only when the live object satisfies the annotation (or the wait times out).
        const live = computed.state as any;
        const group = String(live.apiVersion).includes("/") ? String(live.apiVersion).replace(/\/[^/]*$/, "") : "";
        const read = () => {
          const stored = cluster.get(group, live.kind, live.metadata?.namespace, live.metadata?.name);
          return stored ? cluster.read(stored) : live;
        };
        return new Promise((resolve) =>
          waits.add({
            annotation: waitFor,
            read,
            done: (object) => resolve({ id, state: secure(object as Record<string, unknown>) }),
            timedOut: (object, unmet) => {
              const seconds = annotations["pulumi.com/timeoutSeconds"] ?? "600";
              // The rules behind what the controller reports on the object (why the wait never held).
              const stored = cluster.get(group, live.kind, live.metadata?.namespace, live.metadata?.name);
              const behind = stored ? cluster.diagnose(stored).flatMap((p) => (p.rule ? [p.rule] : [])) : [];
              env.fail(
                record,
                "wait",
                `resource ${live.metadata?.namespace ? `${live.metadata.namespace}/` : ""}${live.metadata?.name} was successfully created, but the Kubernetes API server reported that it failed to fully initialize or become live: timed out after ${seconds}s waiting for ${unmet.join(", ")}`,
                [...new Set(["pulumi-k8s.timeout", "pulumi-k8s.wait-for", ...behind])],
              );
              resolve({ id, state: secure(object as Record<string, unknown>) });
            },
          }),
        );
      }
      if (
        args.type === CM_CERTIFICATE &&
        !preview &&
        record &&
        problems.length === 0 &&
        typeof (computed.state as any).managed?.issuanceConfig === "string"
      ) {
        // A private Google-managed certificate: its CA pool issues it after the create (rule
        // gcp.certificatemanager.private-issuance).
        const st = computed.state as Record<string, any>;
        const certId = id ?? `${args.name}-id`;
        return provisionPrivateCertificate(st, certId).then(() => ({ id: certId, state: secure(st) }));
      }
      if (args.type === CA_CERTIFICATE && !preview && record && problems.length === 0) {
        // CreateCertificate: a real leaf from the pool's CA under its issuance policy, or the API's refusal.
        const st = computed.state as Record<string, any>;
        return requestCaServiceCertificate({
          pool: `projects/${st.project}/locations/${st.location}/caPools/${st.pool}`,
          pemCsr: String(st.pemCsr ?? ""),
          ...(typeof st.certificateAuthority === "string" ? { certificateAuthority: st.certificateAuthority } : {}),
          ...(typeof st.lifetime === "string" ? { lifetime: st.lifetime } : {}),
          viaResource: true,
        }).then(
          (issued) => ({
            id,
            state: secure({
              ...st,
              pemCertificate: issued.pemCertificate,
              pemCertificateChains: issued.pemCertificateChain,
            }),
          }),
          (e: Error) => {
            const rule = /ENTERPRISE/.test(e.message)
              ? "gcp.privateca.certificate-tier"
              : "gcp.privateca.issuance-policy";
            env.fail(record, "create", e.message, [rule]);
            return { id, state: secure(st) };
          },
        );
      }
      return { id, state: secure(computed.state) };
    },
    call(args) {
      const { plain } = unwrapSecrets(args.inputs);
      const handler = options.invokes?.[args.token];
      const result = handler ? handler(plain) : (tls.invoke(args.token, plain) ?? gcpInvoke(args.token, plain, ctx));
      if (!result) {
        throw new Error(
          `no mock for invoke ${args.token}: the program calls a data source that @gcp-mtls/testing does not emulate; ` +
            `pass \`invokes: { "${args.token}": (inputs) => ({...}) }\` to setupMocks`,
        );
      }
      return result;
    },
  };

  if (Object.keys(config).length > 0) pulumi.runtime.setAllConfig(config, [...(options.secretConfigKeys ?? [])]);
  await pulumi.runtime.setMocks(mocks, project, stack, preview);
  // Swap the monitor in place: setMockOptions would reset the feature flags (secrets, resource references) that
  // setMocks has just enabled, and secret inputs would then reach the monitor as plain values.
  const store = state.getStore();
  store.settings.monitor = new RecordingMonitor(store.settings.monitor, env);
  return env;
}

/** Wraps the SDK's MockMonitor to see the RegisterResource requests (parent, dependencies) and the answers. */
class RecordingMonitor {
  constructor(
    private readonly inner: any,
    private readonly env: MockEnvironment,
  ) {}

  registerResource(req: any, callback: (err: any, resp?: any) => void): void {
    const type: string = req.getType();
    const name: string = req.getName();
    const parent: string | undefined = req.getParent() || undefined;
    const urn = urnFor(this.env, parent, type, name);
    // The engine fails a deployment on a duplicate URN; the SDK's mock monitor accepts it. Record it (failing the
    // registration here would surface as an unhandled rejection that kills a test worker): `planProgram` and
    // `MockEnvironment.assertNoDuplicates` turn it into an error (see `MockEnvironment.record`).
    const { plain, secretKeys } = unwrapSecrets(rpc.deserializeProperties(req.getObject(), true));
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const dependencies = [
      ...new Set<string>([...req.getDependenciesList(), ...Object.values(propertyDependencies).flat()]),
    ];
    const record: RecordedResource = {
      urn,
      type,
      name,
      custom: req.getCustom(),
      parent,
      inputs: plain,
      secretInputs: secretKeys,
      outputs: {},
      secretOutputs: [],
      dependencies,
      propertyDependencies,
      replaceOnChanges: req.getReplaceonchangesList?.() ?? [],
      deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
      protect: req.getProtect?.() ?? false,
      ...(req.getRetainondelete?.() === true ? { retainOnDelete: true } : {}),
      ...(req.getImportid?.() ? { importId: req.getImportid() as string } : {}),
    };
    this.env.record(record);
    this.env.registering = record;
    this.env.touch();
    this.inner.registerResource(req, (err: any, resp: any) => {
      // The registration completes whatever recording does: a callback never called leaves the RPC pending forever.
      try {
        if (!err && resp) {
          const outputs = unwrapSecrets(rpc.deserializeProperties(resp.getObject(), true));
          record.outputs = outputs.plain;
          record.secretOutputs = outputs.secretKeys;
          record.id = resp.getId() || undefined;
        }
      } catch (recordingError) {
        record.recordingError = String(recordingError);
      } finally {
        callback(err, resp);
      }
    });
  }

  registerResourceOutputs(req: any, callback: (err: any, resp?: any) => void): void {
    const record = this.env.byUrn(req.getUrn());
    if (record) record.componentOutputs = unwrapSecrets(rpc.deserializeProperties(req.getOutputs(), true)).plain;
    this.inner.registerResourceOutputs(req, callback);
  }

  invoke(req: any, callback: (err: any, resp?: any) => void): void {
    const token: string = req.getTok();
    const inputs = unwrapSecrets(rpc.deserializeProperties(req.getArgs(), true)).plain;
    this.inner.invoke(req, (err: any, resp: any) => {
      const result = !err && resp ? (resp.getReturn()?.toJavaScript() as Record<string, unknown>) : undefined;
      if (token !== "pulumi:pulumi:getResource") this.env.invokes.push({ token, inputs, result });
      // The SDK surfaces a failed invoke with the gRPC error's `details`, which a plain Error lacks.
      if (err && err.details === undefined) err.details = err.message;
      callback(err, resp);
    });
  }

  readResource(req: any, callback: (err: any, resp?: any) => void): void {
    this.inner.readResource(req, callback);
  }

  supportsFeature(req: any, callback: (err: any, resp?: any) => void): void {
    this.inner.supportsFeature(req, callback);
  }

  registerPackage(req: any, callback: (err: any, resp?: any) => void): void {
    this.inner.registerPackage(req, callback);
  }
}

/** The URN the mock monitor assigns: the parent's type chain is folded into the type (`parentType$type`). */
function urnFor(env: MockEnvironment, parent: string | undefined, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2]!.split("$").pop()!;
    qualified = `${parentType}$${type}`;
  }
  return `${URN_PREFIX}${env.options.stack}::${env.options.project}::${qualified}::${name}`;
}
