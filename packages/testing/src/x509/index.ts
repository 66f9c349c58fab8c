export * from "./pem";
export * from "./keys";
export * from "./certificates";
export * from "./test-pki";
export { OID, EXT_KEY_USAGE_OIDS, KEY_USAGE_BITS } from "./oids";
