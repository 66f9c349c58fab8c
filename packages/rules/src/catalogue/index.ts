import { CERTIFICATE_RULES } from "./certificates";
import { GCP_RULES } from "./gcp";
import { KUBERNETES_RULES } from "./kubernetes";
import { PROVIDER_RULES } from "./providers";
import type { Rule, RuleDefinition } from "./types";

export type { Enforcer, Rule, RuleDefinition, RuleKind } from "./types";

const DEFINITIONS = {
  ...CERTIFICATE_RULES,
  ...GCP_RULES,
  ...KUBERNETES_RULES,
  ...PROVIDER_RULES,
} as const satisfies Record<string, RuleDefinition>;

/** The id of a catalogue entry. */
export type RuleId = keyof typeof DEFINITIONS;

/** Every entry, by id. */
export const CATALOGUE: Readonly<Record<RuleId, Rule>> = Object.freeze(
  Object.fromEntries(
    Object.entries(DEFINITIONS).map(([id, def]) => [id, Object.freeze({ id, ...def })]),
  ) as unknown as Record<RuleId, Rule>,
);

/** The entry of `id`. */
export function rule(id: RuleId): Rule {
  return CATALOGUE[id];
}

/** Every entry, sorted by id. */
export function allRules(): Rule[] {
  return Object.values<Rule>(CATALOGUE).sort((a, b) => a.id.localeCompare(b.id));
}
