export * from "./ca-service-chain";
export * from "./types";
