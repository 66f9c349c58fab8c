export * from "./recording";
export * from "./tls-emulator";
export { isSecretValue, secretValue, unwrapSecrets, isUnknownValue, SIG_KEY, SECRET_SIG } from "./values";
