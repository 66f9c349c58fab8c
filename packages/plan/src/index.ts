export * from "./format";
export * from "./diff";
export * from "./proof";
export { isPlainName } from "./names";
