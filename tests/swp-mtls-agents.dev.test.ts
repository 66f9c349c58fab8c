import { describeSwpExample } from "./support/swp-mtls-agents";

describeSwpExample("dev", {
  project: "bank-egress-dev",
  region: "us-central1",
  mode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT",
  trustDomain: "bank.example",
});
