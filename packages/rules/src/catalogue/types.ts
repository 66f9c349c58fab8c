/**
 * What kind of fact a catalogue entry records:
 * - `api`: the Google Cloud or Kubernetes API refuses a request that breaks it (a real `pulumi up` fails there).
 * - `certificate`: Google Cloud's rules for certificates in mTLS trust stores, client chains and server certificates.
 * - `controller`: how the GKE Gateway controller behaves (what it accepts, which status it reports, when).
 * - `provider`: semantics of a Pulumi provider or of the Pulumi engine (defaults, ids, replacement, await).
 * - `security`: a secure default of this library, stricter than upstream; the source says why.
 */
export type RuleKind = "api" | "certificate" | "controller" | "provider" | "security";

/**
 * Where a rule is applied: by the components before any resource is registered, by the offline emulator, and/or by
 * the policy pack (`@gcp-mtls/policy`) over raw resources.
 */
export type Enforcer = "components" | "emulator" | "policy";

export interface RuleDefinition {
  readonly kind: RuleKind;
  /** One sentence: the rule as it holds upstream. */
  readonly summary: string;
  /** Upstream sources: documentation URLs, or `github.com/<owner>/<repo>/blob/<ref>/<path>` URLs. At least one. */
  readonly sources: readonly string[];
  readonly enforcedBy: readonly Enforcer[];
  /**
   * What the sources leave open, or what only a real project can confirm (the closing notes list these): present when
   * the rule rests on an analogy, a stored copy of a page, or a reading of ambiguous wording.
   */
  readonly caveat?: string;
}

export interface Rule extends RuleDefinition {
  readonly id: string;
}
