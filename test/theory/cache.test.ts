/** The parsed-theory cache: a hit gives the same catalog as a fresh parse, an edit or a corrupt cache is re-parsed. */
import { afterAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultTheoryDirectory, loadTheory } from "../../src/theory/loader.js";
import { InputError } from "../../src/link/errors.js";

const root = mkdtempSync(join(tmpdir(), "theory-cache-"));
const theory = join(root, "theory");
const cacheDir = join(root, "cache");
cpSync(defaultTheoryDirectory(), theory, { recursive: true });
const previous = process.env.INDEX_LAB_CACHE;
process.env.INDEX_LAB_CACHE = cacheDir;
afterAll(() => {
  if (previous === undefined) delete process.env.INDEX_LAB_CACHE; else process.env.INDEX_LAB_CACHE = previous;
  rmSync(root, { recursive: true, force: true });
});
const plain = (c: ReturnType<typeof loadTheory>) => JSON.stringify({ files: c.files, claims: c.claims.map((l) => l.claim), skipped: c.skipped });

describe("parsed-theory cache", () => {
  it("writes a cache on a miss, and a hit reproduces the parsed catalog exactly", () => {
    const fresh = loadTheory(theory);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".json"))).toHaveLength(1);
    expect(plain(loadTheory(theory))).toBe(plain(fresh));
  });

  it("an edited file misses the cache (its change is seen), and a corrupt cache file is ignored", () => {
    const file = join(theory, "escape-time-law.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}\nextra: [}\n`);
    expect(() => loadTheory(theory)).toThrow(InputError);
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), "{not json");
    cpSync(join(defaultTheoryDirectory(), "escape-time-law.yaml"), file);
    expect(loadTheory(theory).claims.length).toBeGreaterThan(0);
  });

  it("the validated documents are reused only under the same schema: another schema's are validated afresh", () => {
    const fresh = plain(loadTheory(theory));
    const [name] = readdirSync(cacheDir).filter((f) => f.endsWith(".json"));
    const path = join(cacheDir, name!);
    const cache = JSON.parse(readFileSync(path, "utf8")) as { validated?: { schema: string; files: Record<string, { claims: unknown[] }> } };
    expect(cache.validated).toBeDefined();
    // a stale entry under another schema's key (claims emptied): not used
    for (const f of Object.values(cache.validated!.files)) f.claims = [];
    cache.validated!.schema = "0".repeat(64);
    writeFileSync(path, JSON.stringify(cache));
    expect(plain(loadTheory(theory))).toBe(fresh);
    // and it was rewritten with this schema's key
    const again = JSON.parse(readFileSync(path, "utf8")) as { validated: { schema: string } };
    expect(again.validated.schema).not.toBe("0".repeat(64));
  });
});
