import { describeBackendTlsExample } from "./support/backend-tls";

describeBackendTlsExample("prod", {
  namespace: "store",
  region: "europe-west4",
  iapClientId: "2222-prod.apps.googleusercontent.com",
  iapClientSecretName: "iap-oauth",
});
