import { describeSwpExample } from "./support/swp-mtls-agents";

describeSwpExample("prod", {
  project: "bank-egress-prod",
  region: "europe-west4",
  mode: "REJECT_INVALID",
  trustDomain: "prod.bank.example",
});
