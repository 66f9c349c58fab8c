import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT, POLICIES } from "./policies";

/**
 * Runs the pack's policies over the resources a program registered under the mocks, in jest, as `pulumi preview
 * --policy-pack` would: resource policies once per custom resource, stack policies once over all of them. Shaped on
 * @pulumi/policy's server (`server.js`): enforcement from the pack, the policy and the config (`all`, then the
 * policy's name); `disabled` policies do not run; a policy's config is its schema's defaults with the config's values
 * over them; props are plain values (the policy SDK unwraps secrets before validation, as here).
 */
export interface PolicyInputResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  readonly parent?: string;
  /** The registered inputs (secrets unwrapped). */
  readonly inputs: Record<string, any>;
  /** What the provider answered; fills what the provider's Check would (auto-names) before a policy sees the inputs. */
  readonly outputs?: Record<string, any>;
  readonly protect?: boolean;
}

/** `--policy-pack-config` as a JSON object: `{ "all": "advisory", "<policy>": { "enforcementLevel": …, … } }`. */
export type PolicyPackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  /** The resource the violation is about. */
  readonly urn: string;
  /** As the engine prints it: the policy's description, a newline, then {@link detail} (server.js). */
  readonly message: string;
  /** What the policy reported: `` `path` problem (rule id) ``. */
  readonly detail: string;
}

export interface RunPolicyPackOptions {
  /** The stack's policy config (what `--policy-pack-config <file>` passes). @default {} */
  readonly config?: PolicyPackConfig;
  /** @default POLICIES */
  readonly policies?: readonly (ResourceValidationPolicy | StackValidationPolicy)[];
}

class NotApplicable extends Error {}

/** The enforcement level and config of one policy under `config` (server.js `getEnforcementLevel`, `makeGetConfigFun`). */
function resolve(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  config: PolicyPackConfig,
): { level: EnforcementLevel; values: Record<string, unknown> } {
  let level: EnforcementLevel = policy.enforcementLevel ?? DEFAULT_ENFORCEMENT;
  const levelOf = (entry: PolicyPackConfig[string] | undefined) =>
    typeof entry === "string" ? entry : entry?.enforcementLevel;
  level = levelOf(config.all) ?? level;
  level = levelOf(config[policy.name]) ?? level;
  const values: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema && typeof schema === "object" && "default" in schema) values[key] = schema.default;
  }
  const own = config[policy.name];
  if (own !== undefined && typeof own === "object") {
    for (const [key, value] of Object.entries(own)) if (key !== "enforcementLevel") values[key] = value;
  }
  return { level, values };
}

/**
 * The properties a policy sees for a recorded resource: its inputs, with what the provider's Check fills before the
 * analyzer runs (an auto-name the mocks answer in the outputs).
 */
export function policyProps(r: PolicyInputResource): Record<string, any> {
  const props: Record<string, any> = { ...r.inputs };
  // Auto-names are filled by the provider's Check, before the analyzer sees the inputs.
  if (props.name === undefined && r.outputs?.name !== undefined && !r.type.startsWith("kubernetes:")) {
    props.name = r.outputs.name;
  }
  if (r.type.startsWith("kubernetes:") && props.metadata?.name === undefined && r.outputs?.metadata?.name) {
    props.metadata = { ...props.metadata, name: r.outputs.metadata.name };
  }
  return props;
}

/** Every violation of the pack over `resources` (e.g. `env.resources` of `@gcp-mtls/testing`'s `setupMocks`). */
export async function runPolicyPack(
  resources: readonly PolicyInputResource[],
  options: RunPolicyPackOptions = {},
): Promise<PolicyViolation[]> {
  const config = options.config ?? {};
  const out: PolicyViolation[] = [];
  const opts = (r: PolicyInputResource) => ({
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  });
  const byUrn = new Map<string, PolicyResource>();
  const stackResources: PolicyResource[] = resources.map((r) => {
    const resource = {
      type: r.type,
      props: policyProps(r),
      urn: r.urn,
      name: r.name,
      opts: opts(r),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource;
    byUrn.set(r.urn, resource);
    return resource;
  });
  resources.forEach((r, i) => {
    if (r.parent && byUrn.has(r.parent))
      (stackResources[i] as { parent?: PolicyResource }).parent = byUrn.get(r.parent);
  });
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  for (const policy of options.policies ?? POLICIES) {
    const { level, values } = resolve(policy, config);
    if (level === "disabled") continue;
    const record = (fallbackUrn: string) => (detail: string, urn?: string) =>
      out.push({
        policy: policy.name,
        enforcementLevel: level,
        urn: urn ?? fallbackUrn,
        message: detail ? `${policy.description}\n${detail}` : policy.description,
        detail,
      });
    if ("validateResource" in policy && policy.validateResource !== undefined) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const [i, r] of resources.entries()) {
        if (!r.custom) continue;
        const resource = stackResources[i]!;
        const args = {
          type: r.type,
          props: resource.props,
          urn: r.urn,
          name: r.name,
          opts: resource.opts,
          stackTags: new Map<string, string>(),
          isType: () => false,
          asType: () => undefined,
          getConfig: () => values,
          notApplicable,
        } as unknown as ResourceValidationArgs;
        for (const validate of validations) {
          try {
            await validate(args, record(r.urn));
          } catch (e) {
            if (!(e instanceof NotApplicable)) throw e;
          }
        }
      }
    } else if ("validateStack" in policy) {
      const args = {
        resources: stackResources,
        stackTags: new Map<string, string>(),
        getConfig: () => values,
        notApplicable,
      } as unknown as StackValidationArgs;
      try {
        await policy.validateStack(args, record(""));
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
      }
    }
  }
  return out;
}

/** Violations that would fail `pulumi preview` (mandatory ones). */
export function mandatory(violations: readonly PolicyViolation[]): PolicyViolation[] {
  return violations.filter((v) => v.enforcementLevel === "mandatory");
}
