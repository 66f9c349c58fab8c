export * from "./plan";
export * from "./config";
