// Every symbol of the public library API (src/index.ts = "index-lab", src/testing/index.ts = "index-lab/testing") has
// a TSDoc block with text in its declaration (issue #9, "Ecosystem polish": the library API is typed and documented).
// The exports are resolved through the TypeScript checker, so re-exports and renames (`X as Y`) are followed to the
// declaration that carries the comment.
import { fileURLToPath } from "node:url";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY_POINTS = ["src/index.ts", "src/testing/index.ts"];

// Known exceptions, written "<file under src>#<exported name>". The list is empty: every export of the library API
// has its TSDoc. An entry may only hold an export temporarily (e.g. while another engineer edits its file) and is
// removed when the export is documented; the test fails when an entry is stale (documented now, or no longer
// exported), so the list only shrinks.
const KNOWN_UNDOCUMENTED: readonly string[] = [];

interface ExportedSymbol {
  entry: string;
  name: string;
  /** "<file under src>#<name at the declaration>" */
  key: string;
  documented: boolean;
}

/** A JSDoc block with some text (a bare `/** @internal *\/` does not document anything). */
function hasTsDoc(declaration: ts.Declaration): boolean {
  return ts.getJSDocCommentsAndTags(declaration).some((node) => {
    const text = ts.getTextOfJSDocComment(node.comment);
    const tags = ts.isJSDoc(node) ? node.tags ?? [] : [];
    return (text !== undefined && text.trim().length > 0) || tags.some((t) => (ts.getTextOfJSDocComment(t.comment) ?? "").trim().length > 0);
  });
}

function exportedSymbols(): ExportedSymbol[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); },
  });
  if (!parsed) throw new Error("cannot read tsconfig.json");
  const entries = ENTRY_POINTS.map((e) => path.join(root, e));
  // only the project's own modules are loaded: exports are declared there, and skipping the packages' typings and
  // the default library keeps this to about a second (no diagnostics are asked for, so missing types do not matter)
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNames = (names, containing) => names.map((name) =>
    name.startsWith(".") ? ts.resolveModuleName(name, containing, options, host).resolvedModule : undefined);
  const program = ts.createProgram(entries, options, host);
  const checker = program.getTypeChecker();
  const result: ExportedSymbol[] = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    if (!source) throw new Error(`cannot load ${entry}`);
    const module = checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry} is not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = target.declarations ?? [];
      const file = declarations[0] ? path.relative(path.join(root, "src"), declarations[0].getSourceFile().fileName) : "?";
      result.push({
        entry: path.relative(root, entry),
        name: exported.name,
        key: `${file.split(path.sep).join("/")}#${target.name}`,
        documented: declarations.some(hasTsDoc),
      });
    }
  }
  return result;
}

describe("library API documentation (TSDoc)", () => {
  let symbols: ExportedSymbol[];
  beforeAll(() => { symbols = exportedSymbols(); }, 60_000);

  it("resolves the exports of both entry points", () => {
    // a broken resolution would make every check below vacuous
    for (const entry of ENTRY_POINTS) expect(symbols.filter((s) => s.entry === entry).length).toBeGreaterThan(5);
    expect(symbols.some((s) => s.key === "analyze.ts#analyzeLink")).toBe(true);
    expect(symbols.some((s) => s.key === "hermite/spectrum.ts#hermiteSpectrum")).toBe(true);
  });

  it("the TSDoc detector tells documented declarations from bare ones", () => {
    // the detector itself, on declarations whose status is known: a line comment or a text-less tag is not TSDoc
    const source = ts.createSourceFile("probe.ts", [
      "/** The answer. */ export const a = 42;",
      "// a line comment\nexport function b() {}",
      "/** @internal */ export interface C {}",
      "/**\n * Twice x.\n * @param x a number\n */\nexport function d(x: number) { return 2 * x; }",
      "export class E {}",
    ].join("\n"), ts.ScriptTarget.ES2022, true);
    const documented = Object.fromEntries(source.statements.map((st) => {
      const node = (ts.isVariableStatement(st) ? st.declarationList.declarations[0]! : st) as unknown as ts.Declaration & { name: ts.Identifier };
      return [node.name.text, hasTsDoc(node)];
    }));
    expect(documented).toEqual({ a: true, b: false, C: false, d: true, E: false });
  });

  it("every exported symbol has a TSDoc comment in its declaration", () => {
    const exceptions = new Set(KNOWN_UNDOCUMENTED);
    const missing = [...new Set(symbols.filter((s) => !s.documented && !exceptions.has(s.key)).map((s) => `${s.key} (exported from ${s.entry} as ${s.name})`))];
    expect(missing, "add a TSDoc block (/** ... */) to these declarations").toEqual([]);
  });

  it("the list of known exceptions holds only undocumented exports", () => {
    const undocumented = new Set(symbols.filter((s) => !s.documented).map((s) => s.key));
    const stale = KNOWN_UNDOCUMENTED.filter((key) => !undocumented.has(key));
    expect(stale, "documented now or no longer exported: remove from KNOWN_UNDOCUMENTED in test/api/tsdoc.test.ts").toEqual([]);
  });
});
