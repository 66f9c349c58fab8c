import type { AllowedRoutes, GatewayManifest, HttpRouteManifest, ObjectReference } from "../internal/gateway-api";
import type { ClientValidationMode } from "../vocabulary";
import type { ResolvedRoute } from "./validation";

/** Gateway API `FrontendValidationModeType` (gateway.networking.k8s.io_gateways.yaml, v1.5: `AllowValidOnly` default). */
export type FrontendValidationMode = "AllowValidOnly" | "AllowInsecureFallback";

/** The Gateway API spelling of a client validation mode (`DISABLED` has none: validation refuses it first). */
export function gatewayApiMode(mode: ClientValidationMode | undefined): FrontendValidationMode {
  return mode === "ALLOW_INVALID_OR_MISSING_CLIENT_CERT" ? "AllowInsecureFallback" : "AllowValidOnly";
}

/** A ConfigMap holding one CA certificate, by name and (when not the Gateway's) namespace. */
export interface CaConfigMapRef {
  readonly name: string;
  readonly namespace?: string;
}

export interface RenderedListener {
  readonly name: string;
  /** @default "HTTPS" */
  readonly protocol?: "HTTPS" | "HTTP";
  readonly port: number;
  readonly hostname?: string;
  readonly allowedRoutes?: AllowedRoutes;
  /** Absent when the certificate map annotation provides the certificates and no option is needed. */
  readonly tls?: { readonly certificateRefs?: { name: string }[]; readonly options?: Record<string, string> };
}

export interface RenderGatewayInput {
  readonly name: string;
  readonly namespace: string;
  readonly className: string;
  readonly annotations: Record<string, string>;
  readonly listeners: readonly RenderedListener[];
  readonly frontend?: {
    readonly defaultRefs: readonly CaConfigMapRef[];
    readonly mode: FrontendValidationMode;
    readonly perPort: readonly { port: number; refs: readonly CaConfigMapRef[]; mode: FrontendValidationMode }[];
  };
}

function caRef(ref: CaConfigMapRef): ObjectReference {
  // `group` and `kind` have no defaults on ObjectReference: both are required.
  return { group: "", kind: "ConfigMap", name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) };
}

/**
 * The Gateway manifest, in the upstream Gateway API v1.5 shape (`spec.tls.frontend.default.validation`,
 * `perPort[].tls.validation`).
 */
export function renderGateway(input: RenderGatewayInput): GatewayManifest {
  const gateway: GatewayManifest = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: input.name, namespace: input.namespace, annotations: input.annotations },
    spec: {
      gatewayClassName: input.className,
      listeners: input.listeners.map((l) => ({
        name: l.name,
        protocol: l.protocol ?? "HTTPS",
        port: l.port,
        ...(l.hostname !== undefined ? { hostname: l.hostname } : {}),
        ...(l.tls
          ? {
              tls: {
                mode: "Terminate" as const,
                ...(l.tls.certificateRefs
                  ? { certificateRefs: l.tls.certificateRefs.map((r) => ({ group: "", kind: "Secret", name: r.name })) }
                  : {}),
                ...(l.tls.options && Object.keys(l.tls.options).length > 0 ? { options: l.tls.options } : {}),
              },
            }
          : {}),
        allowedRoutes: l.allowedRoutes ?? { namespaces: { from: "Same" } },
      })),
    },
  };
  const f = input.frontend;
  if (f) {
    gateway.spec.tls = {
      frontend: {
        default: { validation: { caCertificateRefs: f.defaultRefs.map(caRef), mode: f.mode } },
        ...(f.perPort.length > 0
          ? {
              perPort: f.perPort.map((p) => ({
                port: p.port,
                tls: { validation: { caCertificateRefs: p.refs.map(caRef), mode: p.mode } },
              })),
            }
          : {}),
      },
    };
  }
  return gateway;
}

/**
 * An HTTPRoute of the Gateway (upstream `gateway.networking.k8s.io/v1`): one parentRef per listener it attaches to
 * (or one for the whole Gateway), one rule matching the path prefix, the Service backends; with `timeoutSeconds`, a
 * wait until the Gateway has accepted it.
 */
export function renderRoute(
  route: ResolvedRoute,
  gateway: { readonly gatewayName: string; readonly namespace: string },
  timeoutSeconds: string | undefined,
): HttpRouteManifest {
  const parent = { group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway.gatewayName };
  const parentRefs = route.listeners ? route.listeners.map((l) => ({ ...parent, sectionName: l })) : [parent];
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: {
      name: route.name,
      namespace: gateway.namespace,
      ...(timeoutSeconds !== undefined
        ? {
            annotations: {
              "pulumi.com/waitFor": JSON.stringify(
                parentRefs.map(
                  (p) =>
                    `jsonpath={.status.parents[?(@.parentRef.name=="${p.name}"${"sectionName" in p ? ` && @.parentRef.sectionName=="${p.sectionName}"` : ""})].conditions[?(@.type=="Accepted")].status}=True`,
                ),
              ),
              "pulumi.com/timeoutSeconds": timeoutSeconds,
            },
          }
        : {}),
    },
    spec: {
      parentRefs,
      ...(route.hostnames.length > 0 ? { hostnames: route.hostnames } : {}),
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: route.pathPrefix } }],
          backendRefs: route.backends.map((b) => ({
            group: "",
            kind: "Service",
            name: b.service,
            port: b.port,
            ...(b.weight !== undefined ? { weight: b.weight } : {}),
          })),
        },
      ],
    },
  };
}
