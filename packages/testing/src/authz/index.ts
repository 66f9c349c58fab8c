export * from "./authz";
