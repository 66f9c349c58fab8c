import { describeGatewayExample } from "./support/gke-gateway-mtls";

describeGatewayExample("dev", {
  project: "shop-dev",
  namespace: "store-dev",
  mode: "AllowInsecureFallback",
  minTlsVersion: "TLS_1_2",
});
