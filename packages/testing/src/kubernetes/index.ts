export * from "./waitfor";
export * from "./models";
