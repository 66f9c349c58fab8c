export { autoName, type ComputedResource, type OutputContext } from "./common";
export {
  gcpInvoke,
  gcpOutputs,
  KNOWN_GCP_TYPES,
  projectNumber,
  provisionPrivateCertificate,
  requestCaServiceCertificate,
  resetCaServiceState,
  servedCertificate,
  workloadIdentityPoolOf,
} from "./gcp";
export type { CaServiceCertificate, CaServiceRequest } from "./gcp";
export { kubernetesOutputs, KNOWN_KUBERNETES_TYPES } from "./kubernetes";
