import { gcpResourceSchema } from "@gcp-mtls/rules";

/**
 * What a deployment does with a resource registered with the `import` option (rule pulumi-gcp.import, pulumi/pulumi#19339,
 * engine step_generator.go and step.go): it reads the live resource by id, then diffs the program's goal against what
 * it read. Here the live resources are the ones a test declares in `MockOptions.existing`.
 */
export interface ImportOutcome {
  /** Why the deployment fails on this resource, when it does (the engine's wording). */
  readonly failure?: { readonly message: string; readonly rules: readonly string[] };
  /** Input keys the deployment updates in place after the import. */
  readonly updates: readonly string[];
  /** Input keys whose change replaces the imported resource (the deployment deletes what it adopted). */
  readonly replaces: readonly string[];
  /** Input keys the program leaves out and the API computes: they keep their live values. */
  readonly kept: readonly string[];
}

const equal = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Judges an import of `id` (type `type`) whose goal inputs are `goal`, against `live` (undefined: no such resource).
 * `project` is the provider's default project, which an absent `project` input means.
 */
export function judgeImport(
  type: string,
  urn: string,
  id: string,
  live: Record<string, unknown> | undefined,
  goal: Record<string, unknown>,
  protect: boolean,
  project: string,
): ImportOutcome {
  if (live === undefined) {
    return {
      failure: { message: `resource '${id}' does not exist`, rules: ["pulumi-gcp.import"] },
      updates: [],
      replaces: [],
      kept: [],
    };
  }
  const schema = gcpResourceSchema(type);
  const fields = new Map((schema?.fields ?? []).filter((f) => !f.path.includes(".")).map((f) => [f.path, f]));
  const effective = (key: string, value: unknown) => (key === "project" && value === undefined ? project : value);
  const replaces: string[] = [];
  const updates: string[] = [];
  const kept: string[] = [];
  for (const key of new Set([...Object.keys(live), ...Object.keys(goal)])) {
    const field = fields.get(key);
    const want = effective(key, goal[key]);
    // An absent input the API computes keeps the live value (Optional+Computed); any other difference is a change.
    if (want === undefined && field?.fromApi) {
      kept.push(key);
      continue;
    }
    const have = effective(key, live[key]);
    if (equal(want ?? null, have ?? null)) continue;
    if (schema?.immutable || field?.immutable) replaces.push(key);
    else updates.push(key);
  }
  updates.sort();
  replaces.sort();
  if (replaces.length > 0 && protect) {
    const diff = replaces.map((k) => `${k}: ${JSON.stringify(live[k] ?? null)} => ${JSON.stringify(goal[k] ?? null)}`);
    return {
      failure: {
        message:
          `unable to replace resource "${urn}" as it is currently marked for protection ` +
          `(the program differs from the imported resource in immutable fields: ${diff.join(", ")})`,
        rules: ["pulumi-gcp.import", "pulumi-gcp.replacement", ...(schema ? [schema.rule] : [])],
      },
      updates,
      replaces,
      kept,
    };
  }
  return { updates, replaces, kept };
}
