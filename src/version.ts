import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

/** The package version, read from package.json (src/ and dist/src/ both find it). */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "index-lab" && pkg.version) return pkg.version;
    } catch { /* keep looking upward */ }
    dir = dirname(dir);
  }
  return "0.0.0";
}
export const VERSION = readVersion();
