import type { RuleDefinition } from "./types";

const BRIDGE = "https://github.com/pulumi/pulumi-terraform-bridge/blob/master/pkg/tfbridge";
const TLS = "https://github.com/hashicorp/terraform-provider-tls/blob/main/internal/provider";
const EMULATOR = ["emulator"] as const;

/** How the bridged Google Cloud and TLS providers turn an input change into an update or a replacement. */
export const PROVIDER_RULES = {
  "pulumi-gcp.replacement": {
    kind: "provider",
    summary:
      "A change to an immutable field (magic-modules `immutable: true`, ForceNew in handwritten resources) or to a `replaceOnChanges` path replaces the resource; others update it in place. A replaced resource whose auto-nameable `name` was set explicitly is deleted before its replacement is created (the name cannot exist twice).",
    sources: [
      "https://github.com/GoogleCloudPlatform/magic-modules/tree/main/mmv1/products",
      `${BRIDGE}/provider.go`,
      `${BRIDGE}/schema.go`,
      "https://www.pulumi.com/docs/iac/concepts/options/replaceonchanges/",
    ],
    enforcedBy: EMULATOR,
  },
  "pulumi-gcp.import": {
    kind: "provider",
    summary:
      "A resource with the `import` option is read from the provider by its id (one that does not exist fails: `resource '<id>' does not exist`) and, from Pulumi CLI 3.174, the program's inputs are then diffed against what was read: differences update the resource in place or replace it in the same deployment, and a protected resource cannot be replaced. An id already in the state is no import: later deployments update as usual.",
    sources: [
      "https://github.com/pulumi/pulumi/pull/19339",
      "https://github.com/pulumi/pulumi/blob/master/pkg/resource/deploy/step_generator.go",
      "https://github.com/pulumi/pulumi/blob/master/pkg/resource/deploy/step.go",
      "https://www.pulumi.com/docs/iac/concepts/options/import/",
    ],
    enforcedBy: EMULATOR,
    caveat:
      "Before CLI 3.174 the engine refused an import whose inputs differed from the read state; the program cannot see the CLI version.",
  },
  "pulumi-tls.replacement": {
    kind: "provider",
    summary:
      "Every input of tls PrivateKey, SelfSignedCert, CertRequest and LocallySignedCert forces a replacement (PEM inputs only when the PEM differs) except earlyRenewalHours; a certificate is replaced on the first update at or after validity end minus earlyRenewalHours (ready_for_renewal).",
    sources: [
      `${TLS}/resource_locally_signed_cert.go`,
      `${TLS}/resource_self_signed_cert.go`,
      `${TLS}/resource_private_key.go`,
      `${TLS}/resource_cert_request.go`,
      `${TLS}/common_cert.go`,
    ],
    enforcedBy: EMULATOR,
  },
  "pulumi-tls.validity-range": {
    kind: "provider",
    summary:
      "validityPeriodHours and earlyRenewalHours are at most 2,562,047 hours: the provider multiplies them into a Go time.Duration (int64 nanoseconds), which overflows silently beyond that and gives the certificate another expiry.",
    sources: [`${TLS}/common_cert.go`, "https://pkg.go.dev/time#Duration"],
    enforcedBy: ["components", "emulator", "policy"],
  },
} as const satisfies Record<string, RuleDefinition>;
