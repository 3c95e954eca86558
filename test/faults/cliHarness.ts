/**
 * The CLI in this process: the program of src/cli/main.ts (same commands, same error handling) run on an argument
 * list, with process.exit turned into an exception and stdout/stderr captured. A refusal costs milliseconds instead of
 * a Node start-up (~1.3 CPU-s), so every reproducer can be a test.
 */
import { vi } from "vitest";
import { Command, CommanderError } from "commander";
import { commands } from "../../src/cli/commands/index.js";
import { EXIT_BAD_INPUT, fail } from "../../src/cli/io.js";

class Exit extends Error { constructor(readonly code: number) { super(`exit ${code}`); } }

/** Outcome of one CLI invocation: exit code and what it printed. */
export interface CliRun { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Run `index-lab ARGS` in this process. */
export async function cli(args: string[]): Promise<CliRun> {
  let stdout = "", stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((s) => { stderr += String(s); return true; });
  const exit = vi.spyOn(process, "exit").mockImplementation(((c?: number) => { throw new Exit(c ?? 0); }) as never);
  const before = process.exitCode;
  process.exitCode = undefined;
  let code = -1;
  try {
    const program = new Command().name("index-lab").exitOverride().showHelpAfterError(false)
      .configureOutput({ writeErr: (s) => process.stderr.write(s.split("\n")[0] + "\n"), writeOut: (s) => process.stdout.write(s) });
    for (const register of commands) register(program);
    try {
      await program.parseAsync(["node", "index-lab", ...args]);
      code = Number(process.exitCode ?? 0);
    } catch (e) {
      if (e instanceof Exit) code = e.code;
      else if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      else {
        try { fail(e, { debug: false }); } catch (x) { if (x instanceof Exit) code = x.code; }
      }
    }
  } finally {
    out.mockRestore(); err.mockRestore(); exit.mockRestore();
    process.exitCode = before;
  }
  return { code, stdout, stderr };
}
