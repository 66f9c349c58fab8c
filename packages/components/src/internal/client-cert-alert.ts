import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "@gcp-mtls/rules";
import type { ClientValidationMode, RejectedCertificateAlertArgs } from "../vocabulary";
import { show } from "./format";

/**
 * The edge's client-certificate verdicts as a logs-based metric and an alert, for Secure Web Proxy and GKE Gateways
 * (rule gcp.logging.mtls-request-logs): both write Application Load Balancer request log entries
 * (`LoadBalancerLogEntry`). A connection refused by `REJECT_INVALID` is logged with `statusDetails` `client_cert_*`
 * (Secure Web Proxy: `mtls.clientCertError`); a request admitted by `ALLOW_INVALID_OR_MISSING_CLIENT_CERT` carries
 * `mtls.clientCertChainVerified` false and the reason in `mtls.clientCertError`.
 */
export interface ClientCertificateAlertPlan {
  /** The alert arguments as given. */
  readonly alert: RejectedCertificateAlertArgs;
  readonly mode: Exclude<ClientValidationMode, "DISABLED">;
  readonly project: pulumi.Input<string> | undefined;
  /** `resource.type="…" AND resource.labels…`: the log entries of this edge only. */
  readonly resourceFilter: pulumi.Input<string>;
  /** The monitored resource type of those entries (the alert's series carry it). */
  readonly resourceType: string;
  /** Where a refused connection's reason is logged when `alert.reasonField` is not given. */
  readonly defaultReasonField: string;
  /** `Secure Web Proxy egress (us-central1)`: what the descriptions name. */
  readonly what: string;
}

const PERMISSIVE_FIELD = "jsonPayload.mtls.clientCertError";
const FIELD_PATH = /^jsonPayload(\.[A-Za-z_@][A-Za-z0-9_]*)+$/;

/** Problems of `alert` (path prefix `path`) under `mode`, before any resource. */
export function clientCertificateAlertProblems(
  path: string,
  alert: RejectedCertificateAlertArgs,
  mode: ClientValidationMode,
): Problem[] {
  const problems: Problem[] = [];
  if (mode === "DISABLED") {
    problems.push({
      path,
      message: "needs client certificates to judge, but client validation is `DISABLED`; remove it or validate clients",
    });
  }
  if (alert.threshold !== undefined && (!Number.isFinite(alert.threshold) || alert.threshold < 0)) {
    problems.push({ path: `${path}.threshold`, message: `must be a number ≥ 0, got ${show(alert.threshold)}` });
  }
  if (alert.reasonField !== undefined && !FIELD_PATH.test(alert.reasonField)) {
    problems.push({
      path: `${path}.reasonField`,
      message: `must be a log field path such as \`jsonPayload.statusDetails\`, got ${show(alert.reasonField)}`,
    });
  }
  return problems;
}

/** Creates the metric and the alert (`<name>-rejected-client-certs` or `<name>-unverified-client-certs`). */
export function createClientCertificateAlert(
  parent: pulumi.Resource,
  name: string,
  plan: ClientCertificateAlertPlan,
): { metric: gcp.logging.Metric; alert: gcp.monitoring.AlertPolicy } {
  const permissive = plan.mode === "ALLOW_INVALID_OR_MISSING_CLIENT_CERT";
  const field = permissive ? PERMISSIVE_FIELD : (plan.alert.reasonField ?? plan.defaultReasonField);
  // Refused connections carry a client_cert_* reason; `client_cert_validation_not_performed` is a configuration
  // without trust, not a client's fault. Permissive: every request admitted without a verified chain.
  const verdict = permissive
    ? `jsonPayload.mtls.clientCertChainVerified=false`
    : `${field}=~"^client_cert_" AND ${field}!="client_cert_validation_not_performed"`;
  const role = permissive ? "unverified-client-certs" : "rejected-client-certs";
  const counted = permissive
    ? "admitted without a verified client certificate"
    : "refused for their client certificate";
  const opts = { parent };
  const metric = new gcp.logging.Metric(
    `${name}-${role}`,
    {
      project: plan.project,
      description: `Connections to ${plan.what} ${counted}, by reason`,
      filter: pulumi.interpolate`${plan.resourceFilter} AND ${verdict}`,
      metricDescriptor: {
        metricKind: "DELTA",
        valueType: "INT64",
        unit: "1",
        displayName: `${name}: ${permissive ? "unverified" : "rejected"} client certificates`,
        labels: [{ key: "reason", valueType: "STRING", description: "client_cert_* reason from the request log" }],
      },
      labelExtractors: { reason: `EXTRACT(${field})` },
    },
    opts,
  );
  const threshold = plan.alert.threshold ?? 5;
  const alert = new gcp.monitoring.AlertPolicy(
    `${name}-${role}-alert`,
    {
      project: plan.project,
      displayName: `${name}: ${permissive ? "unverified" : "rejected"} client certificates`,
      combiner: "OR",
      severity: "WARNING",
      notificationChannels: plan.alert.notificationChannels ?? [],
      conditions: [
        {
          displayName: `More than ${threshold} ${permissive ? "unverified" : "rejected"} client certificates in 5 minutes`,
          conditionThreshold: {
            // Monitoring refuses a metric filter without a resource.type restriction (rule
            // gcp.monitoring.alert-policy.filter-resource-type); the series carry the log entries' resource.
            filter: pulumi.interpolate`resource.type="${plan.resourceType}" AND metric.type="logging.googleapis.com/user/${metric.name}"`,
            comparison: "COMPARISON_GT",
            thresholdValue: threshold,
            duration: "0s",
            // All reasons summed into one series: the threshold counts every entry (the label says why).
            aggregations: [
              { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" },
            ],
            trigger: { count: 1 },
          },
        },
      ],
      documentation: {
        mimeType: "text/markdown",
        content: permissive
          ? `${plan.what} is admitting clients without a verified certificate (permissive mode: nothing is refused). ` +
            "The `reason` label says why: `client_cert_not_provided` (a workload without its certificate), " +
            "`client_cert_validation_failed` (expired, or from a CA the trust config does not hold). Onboard these " +
            "workloads before switching to `REJECT_INVALID`, or they will be refused."
          : `${plan.what} is refusing client certificates. The \`reason\` label says why: ` +
            "`client_cert_not_provided` (a workload without its certificate), `client_cert_validation_failed` (expired, " +
            "or from a CA the trust config does not hold — a rotation gone wrong, or an impostor), " +
            "`client_cert_chain_invalid_eku` (a certificate without clientAuth).",
      },
    },
    opts,
  );
  return { metric, alert };
}
