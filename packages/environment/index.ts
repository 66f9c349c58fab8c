// The root program (Pulumi.yaml `main`): `pulumi up -s dev` deploys one environment from Pulumi.dev.yaml.
import { loadEnvironmentConfig } from "./src/config";
import { deployEnvironment } from "./src/environment";

const outputs = deployEnvironment(loadEnvironmentConfig());

export const proxyGatewayId = outputs.proxyGatewayId;
export const proxyAddresses = outputs.proxyAddresses;
export const proxyPrincipals = outputs.proxyPrincipals;
export const edgeGatewayName = outputs.edgeGatewayName;
export const edgeNamespace = outputs.edgeNamespace;
export const edgeListeners = outputs.edgeListeners;
export const backendPolicy = outputs.backendPolicy;
export const trustStore = outputs.trustStore;
export const workloadCertificates = outputs.workloadCertificates;
export const workloadPrivateKeys = outputs.workloadPrivateKeys;
export const issuingPool = outputs.issuingPool;
