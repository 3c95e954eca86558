/** Where index-lab keeps what it can recompute (parsed theory, the OpenBLAS kernel measurement). */
import { homedir } from "node:os";
import { join } from "node:path";

/** `$INDEX_LAB_CACHE`, else `$XDG_CACHE_HOME/index-lab`, else `~/.cache/index-lab`. */
export function cacheDirectory(): string {
  return process.env.INDEX_LAB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "index-lab");
}
