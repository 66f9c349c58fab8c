export * from "./handshake";
export * from "./gcp-rules";
