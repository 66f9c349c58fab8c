import { describeGatewayExample } from "./support/gke-gateway-mtls";

describeGatewayExample("prod", {
  project: "shop-prod",
  namespace: "store",
  mode: "AllowValidOnly",
  minTlsVersion: "TLS_1_3",
});
