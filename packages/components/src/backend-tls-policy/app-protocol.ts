import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** A Service port, as `@pulumi/kubernetes` types it. */
export type ServicePortInput = k8s.types.input.core.v1.ServicePort;

/**
 * Sets `appProtocol: HTTPS` on Service ports so the GKE Gateway's load balancer speaks TLS to the backend Pods.
 * Encryption only: the load balancer does not verify the backend's certificate (GKE Gateway security guide); pair it
 * with a `BackendTlsPolicy` for verified TLS. `portNames` restricts it to named ports. @returns new port specs
 */
export function withHttpsAppProtocol(
  ports: readonly ServicePortInput[],
  portNames?: readonly string[],
): ServicePortInput[] {
  return ports.map((p) =>
    portNames === undefined || (typeof p.name === "string" && portNames.includes(p.name))
      ? { ...p, appProtocol: "HTTPS" }
      : { ...p },
  );
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
