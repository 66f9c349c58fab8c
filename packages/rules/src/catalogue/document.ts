import { allRules } from "./index";

/**
 * The catalogue as a markdown document (packages/rules/RULES.md): one row per entry with its kind, who enforces it,
 * the rule, its sources and what they leave open. Generated, so the document never drifts from the code.
 */
export function catalogueMarkdown(): string {
  const rules = allRules();
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    "# The gcp-mtls rule catalogue",
    "",
    "Every constraint the components enforce before any resource exists, and every behaviour the offline emulator",
    "reproduces, with its upstream source. Generated from `packages/rules/src/catalogue` by `corepack pnpm rules:doc`;",
    "a test fails when this file and the code disagree.",
    "",
    `${rules.length} entries: ${(["api", "certificate", "controller", "provider", "security"] as const)
      .map((k) => `${rules.filter((r) => r.kind === k).length} ${k}`)
      .join(", ")}.`,
    "",
    "| id | kind | enforced by | rule | sources | open |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rules.map(
      (r) =>
        `| \`${r.id}\` | ${r.kind} | ${r.enforcedBy.join(", ")} | ${cell(r.summary)} | ${r.sources
          .map((s, i) => `[${i + 1}](${s})`)
          .join(" ")} | ${r.caveat ? cell(r.caveat) : ""} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
