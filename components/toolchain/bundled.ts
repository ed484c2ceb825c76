// The catalog shipped with the package (data/go-releases.json; provenance in data/PROVENANCE.md).
// Loaded as a module so components and policies read the same bytes without touching the file
// system themselves; `goguard catalog update` rewrites the file.

import { GoCatalog } from "./catalog";

let cached: GoCatalog | undefined;

export function bundledCatalog(): GoCatalog {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached ??= GoCatalog.fromIndex(require("./data/go-releases.json"));
  return cached;
}

export const BUNDLED_CATALOG_PATH = require.resolve("./data/go-releases.json");
