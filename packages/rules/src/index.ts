export * from "./catalogue";
export { catalogueMarkdown } from "./catalogue/document";
export * from "./problems";
export * from "./x509/pem";
export * from "./x509/inspect";
export { OID, EXT_KEY_USAGE_OIDS, EXT_KEY_USAGE_NAMES, KEY_USAGE_BITS, SIGNATURE_ALGORITHM_NAMES } from "./x509/oids";
export * from "./certificates/rules";
export * from "./certificates/chain";
export {
  nameConstraintViolations,
  namesOutsideConstraints,
  type CertificateNames,
  type NameViolation,
} from "./certificates/names";
export * from "./gcp/schema";
export * from "./gcp/resources";
export * from "./kubernetes/gateway-api";
export * from "./replacement";
export * from "./tls-provider";
export * from "./resources";
