export * from "./plan";
export * from "./config";
export * from "./proof";
