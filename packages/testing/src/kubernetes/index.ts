export * from "./waitfor";
export * from "./models";
export * from "./cel-rules";
