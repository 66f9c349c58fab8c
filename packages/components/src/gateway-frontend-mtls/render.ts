import type { IGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway" with {
  "resolution-mode": "import",
};
import type { IObjectReference } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ObjectReference" with {
  "resolution-mode": "import",
};
import type { IAllowedRoutes } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/AllowedRoutes" with {
  "resolution-mode": "import",
};
import type { FrontendValidationMode } from "./types";

/** A ConfigMap holding one CA certificate, by name and (when not the Gateway's) namespace. */
export interface CaConfigMapRef {
  readonly name: string;
  readonly namespace?: string;
}

export interface RenderedListener {
  readonly name: string;
  readonly port: number;
  readonly hostname?: string;
  readonly allowedRoutes?: IAllowedRoutes;
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
    readonly schema: "upstream" | "gkeGuide";
  };
}

function caRef(ref: CaConfigMapRef): IObjectReference {
  // `group` and `kind` have no defaults on ObjectReference: both are required.
  return { group: "", kind: "ConfigMap", name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) };
}

/**
 * The Gateway manifest, in the upstream Gateway API v1.5 shape (`spec.tls.frontend.default.validation`,
 * `perPort[].tls.validation`), or with `schema: "gkeGuide"` the GKE guide's `spec.tls.frontendValidation` shape.
 */
export function renderGateway(input: RenderGatewayInput): IGateway {
  const gateway: IGateway = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: input.name, namespace: input.namespace, annotations: input.annotations },
    spec: {
      gatewayClassName: input.className,
      listeners: input.listeners.map((l) => ({
        name: l.name,
        protocol: "HTTPS",
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
    if (f.schema === "upstream") {
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
    } else {
      // The GKE guide's shape, outside every upstream release: typed loosely on purpose.
      (gateway.spec as unknown as Record<string, unknown>).tls = {
        frontendValidation: {
          default: { caCertificateRefs: f.defaultRefs.map(caRef), mode: f.mode },
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
  }
  return gateway;
}
