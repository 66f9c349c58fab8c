import {
  autoName,
  cloneInputs,
  type ComputedResource,
  CREATED_AT,
  Digest,
  isAbsent,
  type OutputContext,
  rfc3339,
} from "./common";

/** API groups served by Kubernetes itself; anything else is a CRD group. `core` is how Pulumi spells the "" group. */
const BUILTIN_GROUPS = new Set([
  "core",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "auditregistration.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "extensions",
  "flowcontrol.apiserver.k8s.io",
  "lifecycle.k8s.io",
  "meta",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "settings.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

/** Token "groups" of @pulumi/kubernetes that are components or Helm releases, not API objects. */
const NON_OBJECT_GROUPS = new Set(["helm.sh", "kustomize", "yaml"]);

/** `group/Kind` of cluster-scoped kinds; every other kind is namespaced. */
const CLUSTER_SCOPED = new Set([
  "core/Namespace",
  "core/Node",
  "core/PersistentVolume",
  "core/ComponentStatus",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/MutatingAdmissionPolicy",
  "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "certificates.k8s.io/CertificateSigningRequest",
  "certificates.k8s.io/ClusterTrustBundle",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "networking.k8s.io/IngressClass",
  "networking.k8s.io/IPAddress",
  "networking.k8s.io/ServiceCIDR",
  "node.k8s.io/RuntimeClass",
  "policy/PodSecurityPolicy",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "resource.k8s.io/DeviceClass",
  "resource.k8s.io/ResourceSlice",
  "scheduling.k8s.io/PriorityClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/VolumeAttachment",
  "storage.k8s.io/VolumeAttributesClass",
  "storagemigration.k8s.io/StorageVersionMigration",
  // Well-known CRDs
  "gateway.networking.k8s.io/GatewayClass",
  "cert-manager.io/ClusterIssuer",
]);

interface K8sDraft {
  readonly digest: Digest;
  readonly state: Record<string, any>;
}

/** Server-side defaults the API server applies per kind (`group/Kind`). */
const KIND_DEFAULTS: Readonly<Record<string, (d: K8sDraft) => void>> = {
  "core/Namespace": namespaceDefaults,
  "core/Secret": ({ state }) => void (state.type ??= "Opaque"),
  "core/Service": serviceDefaults,
};

export const KNOWN_KUBERNETES_TYPES: readonly string[] = Object.freeze([
  "kubernetes:core/v1:ConfigMap",
  "kubernetes:core/v1:Secret",
  "kubernetes:core/v1:Service",
  "kubernetes:core/v1:Namespace",
  "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
  "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  "kubernetes:gateway.networking.k8s.io/v1:BackendTLSPolicy",
  "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant",
  "kubernetes:networking.gke.io/v1:GCPGatewayPolicy",
  "kubernetes:networking.gke.io/v1:GCPBackendPolicy",
  "kubernetes:networking.gke.io/v1:HealthCheckPolicy",
]);

/**
 * Any `kubernetes:<group>/<version>:<Kind>` token is an API object (typed classes and `CustomResource` alike);
 * returns undefined for components (`yaml`, `helm.sh`, `kustomize`), built-in `List`/`Patch` pseudo-kinds and
 * tokens of other providers.
 */
export function kubernetesOutputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  ctx: OutputContext,
): ComputedResource | undefined {
  const token = /^kubernetes:([^:]+):([A-Za-z][A-Za-z0-9]*)$/.exec(type);
  if (!token) return undefined;
  const apiPath = token[1] ?? "";
  const tokenKind = token[2] ?? "";
  const slash = apiPath.lastIndexOf("/");
  const tokenGroup = slash < 0 ? "core" : apiPath.slice(0, slash);
  const version = apiPath.slice(slash + 1);
  if (NON_OBJECT_GROUPS.has(tokenGroup) || !/^v\d+((alpha|beta)\d+)?$/.test(version)) return undefined;
  if (BUILTIN_GROUPS.has(tokenGroup) && /(List|Patch)$/.test(tokenKind)) return undefined;

  const state = cloneInputs(inputs);
  // CustomResource inputs carry apiVersion/kind themselves; typed classes set them to the token's values.
  state.apiVersion ??= tokenGroup === "core" ? version : `${tokenGroup}/${version}`;
  state.kind ??= tokenKind;
  const apiVersion = String(state.apiVersion);
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "core";
  const groupKind = `${group}/${String(state.kind)}`;
  const namespaced = !CLUSTER_SCOPED.has(groupKind);
  const digest = new Digest(ctx.seed, type, name);

  const metadata: Record<string, any> = { ...(state.metadata ?? {}) };
  if (isAbsent(metadata.name)) {
    if (!isAbsent(metadata.generateName)) {
      // The API server appends 5 characters from its consonant-and-digit alphabet.
      const alphabet = "bcdfghjklmnpqrstvwxz2456789";
      const bytes = digest.bytes("generateName", 5);
      metadata.name = String(metadata.generateName) + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
    } else {
      // pulumi-k8s.autoname: `<name>-<8 hex>` (metadata/naming.go, NewUniqueName with its default 8 random characters).
      metadata.name = autoName(name, type, ctx.seed, 8).toLowerCase();
      // pulumi-kubernetes marks the objects it named, so a later update may rename them.
      metadata.annotations = { ...(metadata.annotations ?? {}), "pulumi.com/autonamed": "true" };
    }
  }
  if (namespaced) {
    if (isAbsent(metadata.namespace)) metadata.namespace = "default";
  } else {
    delete metadata.namespace;
  }
  metadata.uid = digest.uuid("uid");
  metadata.resourceVersion = digest.digits("resourceVersion", 7);
  // Built-in core/v1 kinds (ConfigMap, Secret, Service, Namespace...) carry no generation; CRs and apps kinds do.
  if (group !== "core") metadata.generation = 1;
  metadata.creationTimestamp = rfc3339(CREATED_AT);
  state.metadata = metadata;

  KIND_DEFAULTS[groupKind]?.({ digest, state });
  const id = namespaced ? `${metadata.namespace}/${metadata.name}` : String(metadata.name);
  if (!ctx.cluster) return { id, state };
  // The API server: served versions, CEL rules, pruning, defaults; the live object (with status) is the output.
  // Every mocked registration is a create under a new URN (pulumi-k8s.fixed-name-create).
  const applied = ctx.cluster.apply(state, { create: true });
  return { id, state: applied.state, problems: applied.problems };
}

function namespaceDefaults({ state }: K8sDraft): void {
  // Since Kubernetes 1.21 the API server labels each namespace with its own name.
  state.metadata.labels = { ...(state.metadata.labels ?? {}), "kubernetes.io/metadata.name": state.metadata.name };
  state.spec = { finalizers: ["kubernetes"], ...(state.spec ?? {}) };
  state.status = { phase: "Active" };
}

function serviceDefaults({ state, digest }: K8sDraft): void {
  const spec: Record<string, any> = { ...(state.spec ?? {}) };
  spec.type ??= "ClusterIP";
  const exposesNodePorts = spec.type === "NodePort" || spec.type === "LoadBalancer";
  if (spec.type !== "ExternalName") {
    // Allocated from kubeadm's default service CIDR 10.96.0.0/12; headless services keep "None".
    const ip = digest.bytes("clusterIP", 3);
    spec.clusterIP ??= `10.${96 + (ip[0] % 16)}.${ip[1]}.${1 + (ip[2] % 254)}`;
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ["IPv4"];
    spec.ipFamilyPolicy ??= "SingleStack";
    spec.internalTrafficPolicy ??= "Cluster";
  }
  spec.sessionAffinity ??= "None";
  if (Array.isArray(spec.ports)) {
    spec.ports = spec.ports.map((port: any, i: number) => ({
      protocol: "TCP",
      targetPort: port?.port,
      ...(exposesNodePorts ? { nodePort: 30000 + digest.uint(`nodePort${i}`, 2768) } : {}),
      ...port,
    }));
  }
  if (exposesNodePorts) spec.externalTrafficPolicy ??= "Cluster";
  if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
  state.spec = spec;

  if (spec.type === "LoadBalancer") {
    const ip = digest.bytes("loadBalancerIP", 2);
    state.status = { loadBalancer: { ingress: [{ ip: `34.120.${ip[0]}.${1 + (ip[1] % 254)}`, ipMode: "VIP" }] } };
  } else {
    state.status = { loadBalancer: {} };
  }
}
