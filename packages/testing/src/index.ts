export * from "./x509";
export * from "./mocks";
export * from "./outputs";
export * from "./handshake";
export * from "./helpers";
export * from "./program";
export * from "./authz";
export * from "./kubernetes";
