export { decodePem, decodePemBlocks, encodePem, splitCertificates, type PemBlock } from "@gcp-mtls/rules";
