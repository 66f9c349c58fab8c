import * as pulumi from "@pulumi/pulumi";
import { awaitOutput, setupMocks, type MockEnvironment, type RecordedResource } from "@gcp-mtls/testing";
import { rule, type RuleId } from "@gcp-mtls/rules";
import { CertificateChain } from "../certificate-chain";
import { thrownBy } from "../internal/__fixtures__/thrown";
import { GatewayFrontendMtls, type FrontendMtlsGatewayClass, type GatewayFrontendMtlsArgs } from "./index";

// The load balancer's client-certificate verdicts for a Gateway, as a metric and an alert like the proxy's (rules
// gcp.logging.mtls-request-logs, gke.gateway.lb-annotations).
const T = {
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  metric: "gcp:logging/metric:Metric",
  alert: "gcp:monitoring/alertPolicy:AlertPolicy",
};

let env: MockEnvironment;
let pki: CertificateChain;
beforeAll(async () => {
  env = await setupMocks({ gcpProject: "shop-prod", gcpRegion: "europe-west1" });
  pki = new CertificateChain("shop", {
    root: { subject: { commonName: "Shop Root" } },
    leaves: {
      store: { usages: ["server"], dnsNames: ["store.example.com"] },
      partner: { uris: ["spiffe://shop.example/partner/acme"] },
    },
  });
  jest.spyOn(pulumi.log, "warn").mockImplementation(async () => undefined);
});

async function childrenOf(component: pulumi.ComponentResource): Promise<RecordedResource[]> {
  await env.settled();
  return env.children(await awaitOutput(component.urn));
}

const base = (namespace: string, overrides: Partial<GatewayFrontendMtlsArgs> = {}): GatewayFrontendMtlsArgs => ({
  namespace,
  gatewayClassName: "gke-l7-global-external-managed",
  listeners: [{ name: "https", hostname: "store.example.com" }],
  tlsSecret: { material: { chain: pki, leaf: "store" } },
  clientValidation: { trust: { chain: pki } },
  rejectedCertificateAlert: { threshold: 2 },
  ...overrides,
});

describe("a Gateway's rejected client certificates, by class", () => {
  it.each([
    ["gke-l7-global-external-managed", undefined, "http_load_balancer", ""],
    [
      "gke-l7-regional-external-managed",
      "europe-west1",
      "http_external_regional_lb_rule",
      ' AND resource.labels.region="europe-west1"',
    ],
    ["gke-l7-rilb", "europe-west1", "internal_http_lb_rule", ' AND resource.labels.region="europe-west1"'],
  ])("%s: the log entries of its URL map, refused for a client_cert_* reason", async (...row) => {
    const [className, region, resourceType, regionFilter] = row;
    const namespace = `alert-${className.replace("gke-l7-", "")}`;
    const gfm = new GatewayFrontendMtls(
      namespace,
      base(namespace, { gatewayClassName: className as FrontendMtlsGatewayClass, ...(region ? { region } : {}) }),
    );
    const children = await childrenOf(gfm);
    const gateway = children.find((c) => c.type === T.gateway)!;
    // The create waits for the annotation the filter reads, after Programmed and the listeners' references.
    const waitFor = JSON.parse(gateway.inputs.metadata.annotations["pulumi.com/waitFor"]);
    expect(waitFor[0]).toBe("condition=Programmed");
    expect(waitFor[waitFor.length - 1]).toBe("jsonpath={.metadata.annotations['networking.gke.io/url-maps']}");
    const urlMapPath: string = gateway.outputs.metadata.annotations["networking.gke.io/url-maps"];
    expect(urlMapPath).toMatch(
      region
        ? /^\/projects\/\d+\/regions\/europe-west1\/urlMaps\/gkegw1-/
        : /^\/projects\/\d+\/global\/urlMaps\/gkegw1-/,
    );
    const urlMap = urlMapPath.split("/").pop()!;
    const metrics = children.filter((c) => c.type === T.metric);
    expect(metrics.map((m) => m.name)).toEqual([`${namespace}-rejected-client-certs`]);
    expect(metrics[0]!.inputs.filter).toBe(
      `resource.type="${resourceType}" AND resource.labels.url_map_name="${urlMap}"${regionFilter} AND ` +
        'jsonPayload.statusDetails=~"^client_cert_" AND jsonPayload.statusDetails!="client_cert_validation_not_performed"',
    );
    expect(metrics[0]!.inputs.labelExtractors).toEqual({ reason: "EXTRACT(jsonPayload.statusDetails)" });
    expect(metrics[0]!.inputs.project).toBeUndefined();
    const alerts = children.filter((c) => c.type === T.alert);
    expect(alerts.map((a) => a.name)).toEqual([`${namespace}-rejected-client-certs-alert`]);
    const condition = alerts[0]!.inputs.conditions[0].conditionThreshold;
    expect(condition).toMatchObject({ comparison: "COMPARISON_GT", thresholdValue: 2 });
    expect(condition.filter).toBe(
      `resource.type="${resourceType}" AND metric.type="logging.googleapis.com/user/${metrics[0]!.outputs.name}"`,
    );
    expect(gfm.rejectedCertificatesMetric).toBeDefined();
    expect(env.failures).toEqual([]);
  });

  it("permissive: counts what was admitted without a verified certificate, under its own name", async () => {
    const gfm = new GatewayFrontendMtls(
      "onboarding",
      base("onboarding", {
        clientValidation: { trust: { chain: pki }, mode: "ALLOW_INVALID_OR_MISSING_CLIENT_CERT" },
      }),
    );
    const children = await childrenOf(gfm);
    const metric = children.find((c) => c.type === T.metric)!;
    expect(metric.name).toBe("onboarding-unverified-client-certs");
    expect(metric.inputs.filter).toMatch(
      /^resource\.type="http_load_balancer" AND resource\.labels\.url_map_name="gkegw1-[a-z0-9]{4}-onboarding-onboarding-[a-z0-9]{12}" AND jsonPayload\.mtls\.clientCertChainVerified=false$/,
    );
    expect(metric.inputs.labelExtractors).toEqual({ reason: "EXTRACT(jsonPayload.mtls.clientCertError)" });
    const alert = children.find((c) => c.type === T.alert)!;
    expect(alert.inputs.documentation.content).toContain("permissive mode: nothing is refused");
  });

  it("a reasonField override is used for refused connections", async () => {
    const gfm = new GatewayFrontendMtls(
      "custom-field",
      base("custom-field", { rejectedCertificateAlert: { reasonField: "jsonPayload.mtls.clientCertError" } }),
    );
    const metric = (await childrenOf(gfm)).find((c) => c.type === T.metric)!;
    expect(metric.inputs.labelExtractors).toEqual({ reason: "EXTRACT(jsonPayload.mtls.clientCertError)" });
  });
});

describe("the sources behind the filters", () => {
  it("cite the load balancer logging reference, the monitored resources and the GCPBackendPolicy default", () => {
    expect(rule("gcp.logging.mtls-request-logs").sources).toEqual(
      expect.arrayContaining([
        "https://cloud.google.com/load-balancing/docs/https/https-logging-monitoring#log-fields",
        "https://cloud.google.com/monitoring/api/resources",
        "https://github.com/GoogleCloudPlatform/gke-gateway-api/blob/main/apis/networking/v1/gcpbackendpolicy_types.go",
      ]),
    );
    // Seen on live Gateways, not a documented contract: the catalogue says so.
    expect(rule("gke.gateway.lb-annotations").caveat).toContain("not a documented contract");
  });
});

describe("alert arguments, before any resource", () => {
  const cases: [string, Partial<GatewayFrontendMtlsArgs>, string, RuleId?][] = [
    [
      "server TLS only",
      { clientValidation: { mode: "DISABLED" } },
      "`rejectedCertificateAlert` needs client certificates to judge, but client validation is `DISABLED`; remove it or validate clients",
    ],
    [
      "no deploy-time wait",
      { deployTimeVerification: { enabled: false } },
      "`rejectedCertificateAlert` needs `deployTimeVerification`: the metric counts the log entries of this Gateway's URL map, which the GKE controller names on the Gateway once it is programmed; remove `deployTimeVerification.enabled: false`",
      "gke.gateway.lb-annotations",
    ],
    [
      "a negative threshold",
      { rejectedCertificateAlert: { threshold: -1 } },
      "`rejectedCertificateAlert.threshold` must be a number ≥ 0, got `-1`",
    ],
    [
      "a reason field that is no log field",
      { rejectedCertificateAlert: { reasonField: "statusDetails" } },
      "`rejectedCertificateAlert.reasonField` must be a log field path such as `jsonPayload.statusDetails`, got `statusDetails`",
    ],
  ];
  let bad = 0;
  it.each(cases)("refuses %s", async (...row) => {
    const [, overrides, message, ruleId] = row;
    const name = `bad-alert-${bad++}`;
    const error = thrownBy(() => new GatewayFrontendMtls(name, base(name, overrides)));
    expect(error.problems.map((p) => `\`${p.path}\` ${p.message}`)).toContain(message);
    if (ruleId !== undefined) expect(error.problems.map((p) => p.rule)).toContain(ruleId);
    await env.settled();
    expect(env.resources.filter((r) => r.name.startsWith(`${name}-`))).toEqual([]);
  });
});
