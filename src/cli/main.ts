#!/usr/bin/env node
/** The index-lab command line: a thin layer over the library API. */
import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.js";
import { EXIT_BAD_INPUT } from "./io.js";
import { VERSION } from "../version.js";

const program = new Command();
program
  .name("index-lab")
  .description("Symbolic-numeric theory verifier for feature learning on Gaussian single- and multi-index models")
  .version(VERSION, "-V, --version")
  .showHelpAfterError(false)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.split("\n")[0] + "\n") });
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
  }
  throw e;
}
