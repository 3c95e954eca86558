/**
 * `index-lab` with no arguments prints the command list (issue 16 item 8): every registered top-level command must
 * appear in it, and nothing else; `simulate --help` lists every registered subcommand. The registered set is read
 * from the registrations themselves (src/cli/commands/index.ts), not written out here.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { Command } from "commander";
import { commands } from "../../src/cli/commands/index.js";

const root = path.resolve(import.meta.dirname, "../..");
const MAIN = path.join(root, "dist/src/cli/main.js");

/** Names in the "Commands:" section of commander's help text (the first word of each entry line). */
function listed(help: string): string[] {
  const lines = help.split("\n");
  const start = lines.findIndex((l) => l.trim() === "Commands:");
  expect(start).toBeGreaterThanOrEqual(0);
  const names: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() === "") break;
    const m = /^ {2}([a-z][a-z0-9-]*)(?=[ |]|$)/.exec(l); // an entry; continuation lines are indented further
    if (m) names.push(m[1]!);
  }
  return names;
}

function registered(): Command {
  const program = new Command().name("index-lab");
  for (const r of commands) r(program);
  return program;
}

describe("the command list", () => {
  const program = registered();
  const top = program.commands.map((c) => c.name());

  it("with no arguments: exit 0 and exactly the registered commands (plus commander's help)", () => {
    const r = spawnSync(process.execPath, [MAIN], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(top).toContain("export");
    expect(listed(r.stdout).filter((n) => n !== "help").sort()).toEqual([...top].sort());
  });

  it("simulate --help lists every registered subcommand", () => {
    const sim = program.commands.find((c) => c.name() === "simulate")!;
    const subs = sim.commands.map((c) => c.name());
    expect(subs.length).toBeGreaterThanOrEqual(5);
    const r = spawnSync(process.execPath, [MAIN, "simulate", "--help"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(listed(r.stdout).filter((n) => n !== "help").sort()).toEqual([...subs].sort());
  });

  it("every top-level command with a module of its own is loaded on demand (lazy.ts) under its registered name", async () => {
    const { commandsFor } = await import("../../src/cli/commands/lazy.js");
    for (const name of top) {
      const p = new Command();
      for (const r of await commandsFor(name)) r(p);
      expect(p.commands.map((c) => c.name())).toContain(name);
    }
  });
});
