import { describeBackendTlsExample } from "./support/backend-tls";

describeBackendTlsExample("dev", {
  namespace: "store-dev",
  region: "us-central1",
  iapClientId: "1111-dev.apps.googleusercontent.com",
  iapClientSecretName: "iap-oauth-dev",
});
