import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "@gcp-mtls/rules";
import type { ProxyOnlySubnetArgs } from "../vocabulary";
import { show } from "./format";

/** At least 64 addresses: a /26 or a shorter prefix (rule gcp.compute.proxy-only-subnet). */
export const PROXY_ONLY_MAX_PREFIX = 26;

/**
 * The problems of a proxy-only subnet to create (rule gcp.compute.proxy-only-subnet): an IPv4 CIDR range (Subnetwork
 * `ipCidrRange`: "Only IPv4 is supported") of at least 64 addresses, in a component whose load balancer is regional.
 */
export function proxyOnlySubnetProblems(path: string, args: ProxyOnlySubnetArgs): Problem[] {
  const rule = "gcp.compute.proxy-only-subnet" as const;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(args.ipCidrRange);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : NaN;
  if (!match || octets.some((o) => o > 255) || prefix > 32) {
    return [
      {
        path: `${path}.ipCidrRange`,
        rule,
        message: `${show(args.ipCidrRange)} is not an IPv4 CIDR range; use one such as \`10.129.0.0/23\``,
      },
    ];
  }
  if (prefix > PROXY_ONLY_MAX_PREFIX) {
    return [
      {
        path: `${path}.ipCidrRange`,
        rule,
        message: `${show(args.ipCidrRange)} has ${2 ** (32 - prefix)} addresses, but a proxy-only subnet needs at least 64 (a /26 or shorter prefix; /23 leaves room to grow)`,
      },
    ];
  }
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  if (address % 2 ** (32 - prefix) !== 0) {
    return [
      {
        path: `${path}.ipCidrRange`,
        rule,
        message: `${show(args.ipCidrRange)} has host bits set; use the range's network address (e.g. \`${networkAddress(address, prefix)}/${prefix}\`)`,
      },
    ];
  }
  return [];
}

function networkAddress(address: number, prefix: number): string {
  const base = address - (address % 2 ** (32 - prefix));
  return [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".");
}

/**
 * The proxy-only subnet of a regional Envoy-based load balancer: `REGIONAL_MANAGED_PROXY`, `ACTIVE`, in `region`
 * (magic-modules compute/Subnetwork.yaml). One per VPC network and region may be active: create it in one component
 * and pass its name to the others (or let the platform team own it).
 */
export function createProxyOnlySubnet(
  parent: pulumi.ComponentResource,
  name: string,
  project: pulumi.Input<string> | undefined,
  region: string,
  args: ProxyOnlySubnetArgs,
): gcp.compute.Subnetwork {
  return new gcp.compute.Subnetwork(
    `${name}-proxy-only-subnet`,
    {
      project,
      region,
      network: args.network,
      ipCidrRange: args.ipCidrRange,
      purpose: "REGIONAL_MANAGED_PROXY",
      role: "ACTIVE",
      description: `Proxy-only subnet for the Envoy-based load balancers of ${region}`,
    },
    { parent },
  );
}
