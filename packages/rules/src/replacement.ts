import type { RuleId } from "./catalogue";
import { gcpResourceSchema } from "./gcp/resources";
import { replacementPaths } from "./gcp/schema";

/**
 * How a provider treats a change to a resource's inputs: which input paths force a replacement, and whether the
 * replacement deletes the old resource first. Paths are dotted input paths; `[]` stands for any array index.
 */
export interface ReplacementRule {
  /** The catalogue entry that holds the upstream source. */
  readonly rule: RuleId;
  /** Every input forces a replacement (except `except`). */
  readonly all: boolean;
  /** Input paths whose change forces a replacement (a change inside or around one counts). */
  readonly paths: readonly string[];
  /** Paths that never force a replacement, even when `all`. */
  readonly except: readonly string[];
}

// pulumi-kubernetes provider/pkg/provider/diff.go `forceNewProperties` (the kinds this library emits).
const K8S_FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  ConfigMap: ["data", "binaryData"],
  Secret: ["type", "data", "stringData"],
  Service: ["spec.clusterIP"],
};

/**
 * The replacement rule for a resource type, from upstream definitions: Google Cloud schemas (magic-modules
 * `immutable`), pulumi-kubernetes' force-new properties, terraform-provider-tls' plan modifiers. Unknown custom types
 * update in place (undefined).
 */
export function replacementRule(type: string, inputs: Record<string, any> = {}): ReplacementRule | undefined {
  if (type.startsWith("gcp:")) {
    const schema = gcpResourceSchema(type);
    if (!schema) return undefined;
    return { rule: "pulumi-gcp.replacement", all: !!schema.immutable, paths: replacementPaths(schema), except: [] };
  }
  if (type.startsWith("tls:")) {
    // Every attribute has RequiresReplace except early_renewal_hours, which only changes the renewal point.
    return { rule: "pulumi-tls.replacement", all: true, paths: [], except: ["earlyRenewalHours"] };
  }
  if (type.startsWith("kubernetes:")) {
    const kind = String(inputs.kind ?? type.split(":").pop());
    // ConfigMaps and Secrets are immutable unless the provider enables enableConfigMapMutable / enableSecretMutable
    // (off by default); an `immutable: true` object is immutable either way.
    return {
      rule: "pulumi-k8s.replacement",
      all: false,
      paths: ["metadata.name", "metadata.namespace", ...(K8S_FORCE_NEW[kind] ?? [])],
      except: [],
    };
  }
  return undefined;
}

const normal = (p: string) => p.replace(/\[\d+\]/g, "[]");

/** Whether changing `changed` (a concrete path such as `httpRules[0].to`) forces a replacement under `rule`. */
export function forcesReplacement(rule: ReplacementRule, changed: string): boolean {
  const c = normal(changed);
  const within = (q: string) => c === q || c.startsWith(`${q}.`) || c.startsWith(`${q}[`) || q.startsWith(`${c}.`);
  if (rule.except.some(within)) return false;
  return rule.all || rule.paths.some(within);
}

/** Whether a `replaceOnChanges` option path (`location`, `spec.*`, `*`) covers a changed input path. */
export function replaceOnChangesCovers(option: string, changed: string): boolean {
  if (option === "*" || option === "**") return true;
  const o = normal(option.replace(/\[\*\]/g, "[]").replace(/\.\*$/, ""));
  const c = normal(changed);
  return c === o || c.startsWith(`${o}.`) || c.startsWith(`${o}[`) || o.startsWith(`${c}.`);
}
