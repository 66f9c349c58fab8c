// The policy pack's entry point: `pulumi preview --policy-pack <this directory>` runs it, and it serves the pack over
// gRPC (@pulumi/policy). Import `@gcp-mtls/policy/policies` for the policies and `@gcp-mtls/policy/testing` to run them
// in jest: importing this module starts the server.
import { PolicyPack } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT, POLICIES, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { enforcementLevel: DEFAULT_ENFORCEMENT, policies: POLICIES });
