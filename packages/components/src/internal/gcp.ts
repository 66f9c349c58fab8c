import { ArgumentError, show } from "./format";

/** Pulumi appends `-` and 7 hex characters to auto-named resources. */
export const AUTONAME_SUFFIX_LENGTH = 8;
/** RFC 1035 label: what Network Security, Network Services and Certificate Manager accept as a resource name. */
export const GCP_NAME_MAX = 63;
const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks that a component name can prefix auto-named GCP resources: `${name}-<role>` plus Pulumi's suffix must be a
 * valid name of at most 63 characters. `longestRole` is the longest role suffix the component will use.
 */
export function checkComponentName(name: string, longestRole: string): void {
  if (!NAME.test(name)) {
    throw new ArgumentError(
      `component name ${show(name)} must start with a lowercase letter and contain only lowercase letters, digits and ` +
        "`-` (it prefixes Google Cloud resource names)",
    );
  }
  const length = `${name}-${longestRole}`.length + AUTONAME_SUFFIX_LENGTH;
  if (length > GCP_NAME_MAX) {
    throw new ArgumentError(
      `component name ${show(name)} is too long: the child \`${name}-${longestRole}\` plus Pulumi's 8-character ` +
        `suffix would be ${length} characters, over Google Cloud's ${GCP_NAME_MAX}; use a name of at most ` +
        `${Math.max(1, GCP_NAME_MAX - AUTONAME_SUFFIX_LENGTH - longestRole.length - 1)} characters`,
    );
  }
}

/** Google Cloud regions look like `us-central1`, `europe-west4`, `northamerica-northeast2`. */
export const REGION = /^[a-z]+(-[a-z]+)+\d+$/;

export function checkRegion(path: string, region: string): void {
  if (!REGION.test(region)) {
    throw new ArgumentError(
      `\`${path}\` must be a Google Cloud region such as \`us-central1\`, got ${show(region)}` +
        (region === "global" ? "; this resource is regional" : ""),
    );
  }
}

/**
 * The location segment of a resource id or URL (`…/locations/<l>/…`, `…/regions/<r>/…`, `…/global/…`), or undefined
 * when the id has none (a short name).
 */
export function locationOf(id: string): string | undefined {
  const m = /\/(?:locations|regions)\/([^/]+)\//.exec(id);
  if (m) return m[1];
  if (/(^|\/)global\//.test(id)) return "global";
  return undefined;
}

/** Refuses a known resource id whose location differs from `expected`. Unknown (Output) ids are not checked. */
export function checkLocation(path: string, id: unknown, expected: string, what: string): void {
  if (typeof id !== "string") return;
  const location = locationOf(id);
  if (location !== undefined && location !== expected) {
    throw new ArgumentError(
      `${what} \`${path}\` location ${show(location)} must equal the proxy region ${show(expected)}; ` +
        `use one in ${expected} (got ${show(id)})`,
      "gcp.swp.location-alignment",
    );
  }
}
