export * from "./plan";
export * from "./config";
export * from "./proof";
export * from "./diff";
