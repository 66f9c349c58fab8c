import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ArgumentError, show } from "../internal/format";

/**
 * The `ports[].appProtocol` values the GKE Gateway's load balancer supports towards backend Pods (GKE Gateway
 * security guide, "Secure load balancer to application traffic using TLS"; rule gke.backend.app-protocol).
 */
export const AppProtocol = {
  /** Plain HTTP/1.1 to the Pods. */
  HTTP: "HTTP",
  /** TLS to the Pods: encryption only, the certificate is not verified (pair it with a BackendTlsPolicy). */
  HTTPS: "HTTPS",
  /** HTTP/2 over TLS to the Pods (not verified either). */
  HTTP2: "HTTP2",
  /** HTTP/2 in cleartext. */
  H2C: "kubernetes.io/h2c",
} as const;
export type AppProtocol = (typeof AppProtocol)[keyof typeof AppProtocol];

const APP_PROTOCOLS: readonly string[] = Object.values(AppProtocol);

/** A Service port, as `@pulumi/kubernetes` types it. */
export type ServicePortInput = k8s.types.input.core.v1.ServicePort;

/**
 * Sets `appProtocol` on Service ports: how the GKE Gateway's load balancer speaks to the backend Pods. Only the
 * values GKE supports are taken (an ArgumentError names any other). `portNames` restricts it to named ports.
 * @returns new port specs
 */
export function withAppProtocol(
  ports: readonly ServicePortInput[],
  appProtocol: AppProtocol,
  portNames?: readonly string[],
): ServicePortInput[] {
  if (!APP_PROTOCOLS.includes(appProtocol)) {
    throw new ArgumentError(
      `\`appProtocol\` must be one of ${APP_PROTOCOLS.join(", ")} (the values the GKE Gateway supports), got ${show(appProtocol)}`,
      "gke.backend.app-protocol",
    );
  }
  return ports.map((p) =>
    portNames === undefined || (typeof p.name === "string" && portNames.includes(p.name))
      ? { ...p, appProtocol }
      : { ...p },
  );
}

/**
 * Sets `appProtocol: HTTPS` on Service ports so the GKE Gateway's load balancer speaks TLS to the backend Pods.
 * Encryption only: the load balancer does not verify the backend's certificate (GKE Gateway security guide); pair it
 * with a `BackendTlsPolicy` for verified TLS. `portNames` restricts it to named ports. @returns new port specs
 */
export function withHttpsAppProtocol(
  ports: readonly ServicePortInput[],
  portNames?: readonly string[],
): ServicePortInput[] {
  return withAppProtocol(ports, AppProtocol.HTTPS, portNames);
}

export interface HttpsAppProtocolPatchArgs {
  readonly namespace: pulumi.Input<string>;
  /** The existing Service. */
  readonly serviceName: pulumi.Input<string>;
  /** Ports to switch to HTTPS, by number (and protocol, default TCP: the Service ports' merge key). */
  readonly ports: readonly { readonly port: number; readonly protocol?: string }[];
}

/**
 * Patches `appProtocol: HTTPS` onto ports of an existing Service with server-side apply (a `ServicePatch` that owns only
 * those fields). Encryption only, no verification — see {@link withHttpsAppProtocol}.
 */
export function patchServiceHttpsAppProtocol(
  name: string,
  args: HttpsAppProtocolPatchArgs,
  opts?: pulumi.CustomResourceOptions,
): k8s.core.v1.ServicePatch {
  return new k8s.core.v1.ServicePatch(
    name,
    {
      metadata: { name: args.serviceName, namespace: args.namespace },
      spec: { ports: args.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP", appProtocol: "HTTPS" })) },
    },
    opts,
  );
}
