export * from "./version";
export * from "./platform";
export * from "./catalog";
export * from "./pin";
export * from "./lock";
export * from "./goenv";
export * from "./image-ref";
export * from "./toolchain";
export { bundledCatalog } from "./bundled";
