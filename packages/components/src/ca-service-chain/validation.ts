import type { Problem } from "@gcp-mtls/rules";
import { ArgumentError, show } from "../internal/format";
import { AUTONAME_SUFFIX_LENGTH, checkComponentName, checkRegion, GCP_NAME_MAX } from "../internal/gcp";
import {
  CaKeyAlgorithm,
  CaPoolTier,
  CaRotationPhase,
  CaState,
  type CaServiceCaArgs,
  type CaServiceChainArgs,
} from "./types";

export const ROOT_LIFETIME = "315360000s";
export const ISSUING_LIFETIME = "94608000s";
export const MAX_ISSUED_LIFETIME = "2592000s";
const DURATION = /^[1-9]\d*s$/;

/** What validation resolved. */
export interface ResolvedCaServiceChain {
  readonly root: Required<Omit<CaServiceCaArgs, "subject">> & Pick<CaServiceCaArgs, "subject">;
  readonly issuing: Required<Omit<CaServiceCaArgs, "subject">> & Pick<CaServiceCaArgs, "subject">;
  /** The next generation during a rotation. */
  readonly next?: {
    readonly root: Required<Omit<CaServiceCaArgs, "subject">> & Pick<CaServiceCaArgs, "subject">;
    readonly issuing: Required<Omit<CaServiceCaArgs, "subject">> & Pick<CaServiceCaArgs, "subject">;
  };
  readonly maximumLifetime: string;
  /** The issuing pool's CEL identity constraint. */
  readonly celExpression: string;
  readonly uriPrefixes: readonly string[];
  readonly dnsSuffixes: readonly string[];
}

/**
 * The issuing pool's identity constraint (CA Service CEL: `subject_alt_names` with `.type` and `.value`; rule
 * gcp.privateca.issuance-policy): every SAN of a request must be a URI under one of the prefixes or a DNS name under
 * one of the suffixes, and a request must carry at least one.
 */
export function issuanceCel(uriPrefixes: readonly string[], dnsSuffixes: readonly string[]): string {
  const q = (s: string) => JSON.stringify(s);
  const allowed = [
    ...uriPrefixes.map((p) => `(san.type == URI && san.value.startsWith(${q(p)}))`),
    ...dnsSuffixes.map((d) => `(san.type == DNS && san.value.endsWith(${q(d)}))`),
  ].join(" || ");
  return `subject_alt_names.size() > 0 && subject_alt_names.all(san, ${allowed})`;
}

function caProblems(path: string, ca: CaServiceCaArgs, defaultLifetime: string): Problem[] {
  const out: Problem[] = [];
  if (typeof ca.subject?.commonName !== "string" || ca.subject.commonName.trim() === "") {
    out.push({
      path: `${path}.subject.commonName`,
      message: `must be a non-empty name, got ${show(ca.subject?.commonName)}`,
    });
  }
  const lifetime = ca.lifetime ?? defaultLifetime;
  if (!DURATION.test(lifetime)) {
    out.push({
      path: `${path}.lifetime`,
      message: `must be a whole number of seconds such as \`${defaultLifetime}\`, got ${show(lifetime)}`,
    });
  }
  const algorithms = Object.values(CaKeyAlgorithm) as string[];
  if (ca.keyAlgorithm !== undefined && !algorithms.includes(ca.keyAlgorithm)) {
    out.push({
      path: `${path}.keyAlgorithm`,
      message: `must be one of ${algorithms.join(", ")}, got ${show(ca.keyAlgorithm)}`,
      rule: "gcp.privateca.authority",
    });
  }
  const tiers = Object.values(CaPoolTier) as string[];
  if (ca.tier !== undefined && !tiers.includes(ca.tier)) {
    out.push({
      path: `${path}.tier`,
      message: `must be \`ENTERPRISE\` or \`DEVOPS\`, got ${show(ca.tier)}`,
      rule: "gcp.privateca.ca-pool",
    });
  }
  return out;
}

/** Checks a CA Service chain's arguments before any resource exists; every problem at once. */
export function validateCaServiceChainArgs(name: string, args: CaServiceChainArgs): ResolvedCaServiceChain {
  const problems: Problem[] = [];
  try {
    checkRegion("location", args.location);
  } catch (e) {
    if (e instanceof ArgumentError) problems.push(...e.problems);
    else throw e;
  }
  problems.push(
    ...caProblems("root", args.root, ROOT_LIFETIME),
    ...caProblems("issuing", args.issuing, ISSUING_LIFETIME),
  );
  const rootLifetime = args.root.lifetime ?? ROOT_LIFETIME;
  const issuingLifetime = args.issuing.lifetime ?? ISSUING_LIFETIME;
  if (args.issuing.tier === "DEVOPS") {
    problems.push({
      path: "issuing.tier",
      message:
        "is `DEVOPS`, which stores no certificates: they cannot be listed or revoked, and the `certificateauthority.Certificate` resource needs an ENTERPRISE CA; use `ENTERPRISE`",
      rule: "gcp.privateca.certificate-tier",
    });
  }
  const policy = args.issuancePolicy ?? {};
  const uris = policy.uriPrefixes ?? [];
  const dns = policy.dnsSuffixes ?? [];
  if (
    uris.length + dns.length === 0 &&
    args.computeWorkloadIdentities === undefined &&
    args.gkeWorkloadIdentities === undefined
  ) {
    problems.push({
      path: "issuancePolicy",
      message:
        "pins no SAN: give `uriPrefixes` (e.g. `spiffe://bank.example/`) or `dnsSuffixes` (e.g. `.bank.internal`); an unconstrained issuing pool would issue any identity to anyone allowed to request",
      rule: "gcp.privateca.issuance-policy",
    });
  }
  uris.forEach((p, i) => {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s"\\]+\/$/.test(p)) {
      problems.push({
        path: `issuancePolicy.uriPrefixes[${i}]`,
        message: `must be a URI prefix ending in \`/\` such as \`spiffe://bank.example/\`, got ${show(p)} (without the slash, \`spiffe://bank.example.evil/\` would match too)`,
      });
    }
  });
  dns.forEach((d, i) => {
    if (!/^\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(d)) {
      problems.push({
        path: `issuancePolicy.dnsSuffixes[${i}]`,
        message: `must be a DNS suffix starting with \`.\` such as \`.bank.internal\`, got ${show(d)} (without the dot, \`evilbank.internal\` would match too)`,
      });
    }
  });
  const maximumLifetime = policy.maximumLifetime ?? MAX_ISSUED_LIFETIME;
  if (!DURATION.test(maximumLifetime)) {
    problems.push({
      path: "issuancePolicy.maximumLifetime",
      message: `must be a whole number of seconds such as \`${MAX_ISSUED_LIFETIME}\`, got ${show(maximumLifetime)}`,
    });
  }
  const wi = args.computeWorkloadIdentities;
  if (wi !== undefined) {
    // iambeta/WorkloadIdentityPool.yaml: the id, the certificate lifetime (86400s-2592000s) and the rotation window
    // (50-80) (rule gcp.iam.workload-identity-pool).
    const rule = "gcp.iam.workload-identity-pool";
    if (!/^[a-z0-9-]{4,32}$/.test(wi.poolId) || wi.poolId.startsWith("gcp-")) {
      problems.push({
        path: "computeWorkloadIdentities.poolId",
        message: `must be 4-32 lowercase letters, digits and \`-\`, not starting with \`gcp-\`, got ${show(wi.poolId)}`,
        rule,
      });
    }
    if (wi.projectNumber !== undefined && !/^[1-9]\d{5,18}$/.test(wi.projectNumber)) {
      problems.push({
        path: "computeWorkloadIdentities.projectNumber",
        message: `must be the project's number (digits, e.g. \`123456789012\`), got ${show(wi.projectNumber)}`,
      });
    }
    const life = wi.lifetime ?? "86400s";
    const s = DURATION.test(life) ? Number(life.slice(0, -1)) : NaN;
    if (!(s >= 86400 && s <= 2592000)) {
      problems.push({
        path: "computeWorkloadIdentities.lifetime",
        message: `must be \`86400s\` (1 day) to \`2592000s\` (30 days), got ${show(life)}`,
        rule,
      });
    }
    const window = wi.rotationWindowPercentage ?? 50;
    if (!Number.isInteger(window) || window < 50 || window > 80) {
      problems.push({
        path: "computeWorkloadIdentities.rotationWindowPercentage",
        message: `must be a whole number from 50 to 80, got ${show(window)}`,
        rule,
      });
    }
  }
  for (const [key, requester] of Object.entries(args.certificateRequesters ?? {})) {
    if (!/^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/.test(key)) {
      problems.push({
        path: `certificateRequesters.${key}`,
        message: "is no stable key: use lowercase letters, digits and `-` (at most 30); it names the grant",
      });
    }
    const identities = requester.identities ?? [];
    if (identities.length === 0) {
      problems.push({
        path: `certificateRequesters.${key}.identities`,
        message:
          "is empty: list the SANs this principal may request (an unconfined requester could ask for any identity the pool issues)",
        rule: "gcp.privateca.requester-confinement",
      });
    }
    identities.forEach((id, i) => {
      const isUri = /^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(id);
      const allowed = isUri
        ? [
            ...uris,
            ...(args.gkeWorkloadIdentities ? [`spiffe://${args.gkeWorkloadIdentities.projectId}.svc.id.goog/`] : []),
          ].some((p) => id.startsWith(p))
        : dns.some((d) => id.endsWith(d) && id.length > d.length);
      if (!allowed) {
        problems.push({
          path: `certificateRequesters.${key}.identities[${i}]`,
          message: `${show(id)} is outside the issuance policy (${[...uris, ...dns].map((x) => `\`${x}\``).join(", ") || "nothing"}): the pool would refuse it`,
          rule: "gcp.privateca.issuance-policy",
        });
      }
    });
  }
  if (args.deletionProtection !== undefined && typeof args.deletionProtection !== "boolean") {
    problems.push({
      path: "deletionProtection",
      message: `must be true or false, got ${show(args.deletionProtection)}`,
    });
  }
  const states = Object.values(CaState) as string[];
  if (args.desiredState !== undefined && !states.includes(args.desiredState)) {
    problems.push({
      path: "desiredState",
      message: `must be one of ${states.join(", ")}, got ${show(args.desiredState)}`,
      rule: "gcp.privateca.authority.desired-state",
    });
  }
  const gke = args.gkeWorkloadIdentities;
  if (gke !== undefined) {
    // A project id: 6-30 lowercase letters, digits and `-`, starting with a letter (Resource Manager).
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(gke.projectId)) {
      problems.push({
        path: "gkeWorkloadIdentities.projectId",
        message: `must be a project id (6-30 lowercase letters, digits and \`-\`), got ${show(gke.projectId)}`,
      });
    }
    if (gke.projectNumber !== undefined && !/^[1-9]\d{5,18}$/.test(gke.projectNumber)) {
      problems.push({
        path: "gkeWorkloadIdentities.projectNumber",
        message: `must be the project's number (digits, e.g. \`123456789012\`), got ${show(gke.projectNumber)}`,
      });
    }
  }
  const cm = args.certificateManagerIssuance;
  if (cm !== undefined) {
    const rule = "gcp.certificatemanager.certificate-issuance-config";
    (cm.locations ?? ["global"]).forEach((l, i) => {
      if (l !== "global" && l !== args.location) {
        problems.push({
          path: `certificateManagerIssuance.locations[${i}]`,
          message: `is ${show(l)}; a regional issuance config needs a CA pool of its own region: use \`global\` or ${show(args.location)}`,
          rule,
        });
      }
    });
    const life = cm.lifetime ?? "2592000s";
    const seconds = DURATION.test(life) ? Number(life.slice(0, -1)) : NaN;
    if (!(seconds >= 1814400 && seconds <= 2592000)) {
      problems.push({
        path: "certificateManagerIssuance.lifetime",
        message: `must be \`1814400s\` (21 days) to \`2592000s\` (30 days), got ${show(life)}`,
        rule,
      });
    }
    const w = cm.rotationWindowPercentage ?? 66;
    const week = 7 * 86400;
    if (!Number.isInteger(w) || w < 1 || w > 99) {
      problems.push({
        path: "certificateManagerIssuance.rotationWindowPercentage",
        message: `must be 1 to 99, got ${show(w)}`,
        rule,
      });
    } else if (seconds * (w / 100) < week || seconds * (1 - w / 100) < week) {
      problems.push({
        path: "certificateManagerIssuance.rotationWindowPercentage",
        message: `${w} renews a ${life} certificate less than 7 days after issuance or before expiry; Certificate Manager needs 7 days on each side`,
        rule,
      });
    }
    if (cm.keyAlgorithm !== undefined && !["ECDSA_P256", "RSA_2048"].includes(cm.keyAlgorithm)) {
      problems.push({
        path: "certificateManagerIssuance.keyAlgorithm",
        message: `must be \`ECDSA_P256\` or \`RSA_2048\`, got ${show(cm.keyAlgorithm)}`,
        rule,
      });
    }
  }
  const GENERATION = /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/;
  if (args.generation !== undefined && !GENERATION.test(args.generation)) {
    problems.push({
      path: "generation",
      message: `must be 1-20 lowercase letters, digits and \`-\`, got ${show(args.generation)}`,
    });
  }
  const rotation = args.rotation;
  if (rotation !== undefined) {
    if (!GENERATION.test(rotation.generation) || rotation.generation === "root") {
      problems.push({
        path: "rotation.generation",
        message: `must be 1-20 lowercase letters, digits and \`-\` (not \`root\`, the chain's own anchor key), got ${show(rotation.generation)}`,
      });
    } else if (rotation.generation === args.generation) {
      problems.push({
        path: "rotation.generation",
        message: `${show(rotation.generation)} is the current generation; give the next one a new key`,
      });
    }
    problems.push(
      ...caProblems("rotation.root", rotation.root, ROOT_LIFETIME),
      ...caProblems("rotation.issuing", rotation.issuing, ISSUING_LIFETIME),
    );
    for (const role of ["root", "issuing"] as const) {
      const tier = rotation[role].tier;
      const pool = args[role].tier ?? CaPoolTier.Enterprise;
      if (tier !== undefined && tier !== pool) {
        problems.push({
          path: `rotation.${role}.tier`,
          message: `is ${show(tier)} but the next CA joins the ${role} pool, which is ${show(pool)}: leave it out`,
          rule: "gcp.privateca.ca-pool",
        });
      }
    }
    const phases = Object.values(CaRotationPhase) as string[];
    if (!phases.includes(rotation.phase)) {
      problems.push({
        path: "rotation.phase",
        message: `must be one of ${phases.join(", ")}, got ${show(rotation.phase)}`,
      });
    }
    if (args.desiredState !== undefined && args.desiredState !== "ENABLED") {
      problems.push({
        path: "desiredState",
        message: `is ${show(args.desiredState)} during a rotation, where \`rotation.phase\` sets every CA's state: leave it out`,
      });
    }
  }
  // Auto-named children (Pulumi adds an 8-character suffix) whose ids Google Cloud caps at 63 characters.
  const long = (role: string) => `${name}-${role}`.length + AUTONAME_SUFFIX_LENGTH > GCP_NAME_MAX;
  for (const key of Object.keys(args.certificateRequesters ?? {})) {
    if (long(`template-${key}`)) {
      problems.push({
        path: `certificateRequesters.${key}`,
        message: `names the template \`${name}-template-${key}\`, which with Pulumi's 8-character suffix exceeds Google Cloud's ${GCP_NAME_MAX} characters; use a shorter key or component name`,
      });
    }
  }
  for (const location of cm?.locations ?? []) {
    if (long(`issuance-${location}`)) {
      problems.push({
        path: "certificateManagerIssuance.locations",
        message: `names the issuance config \`${name}-issuance-${location}\`, which with Pulumi's 8-character suffix exceeds Google Cloud's ${GCP_NAME_MAX} characters; use a shorter component name`,
      });
    }
  }
  if (problems.length > 0) throw new ArgumentError(problems);
  checkComponentName(name, "issuing-pool");
  const full = (ca: CaServiceCaArgs, lifetime: string) => ({
    subject: ca.subject,
    lifetime,
    keyAlgorithm: ca.keyAlgorithm ?? CaKeyAlgorithm.EcP256,
    tier: ca.tier ?? CaPoolTier.Enterprise,
  });
  return {
    root: full(args.root, rootLifetime),
    issuing: full(args.issuing, issuingLifetime),
    ...(rotation !== undefined
      ? {
          next: {
            root: full({ ...rotation.root, tier: args.root.tier }, rotation.root.lifetime ?? ROOT_LIFETIME),
            issuing: full(
              { ...rotation.issuing, tier: args.issuing.tier },
              rotation.issuing.lifetime ?? ISSUING_LIFETIME,
            ),
          },
        }
      : {}),
    maximumLifetime,
    celExpression: issuanceCel(uris, dns),
    uriPrefixes: uris,
    dnsSuffixes: dns,
  };
}
