#!/usr/bin/env node
/** The index-lab command line: a thin layer over the library API. */
import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.js";
import { EXIT_BAD_INPUT, fail } from "./io.js";
import { VERSION } from "../version.js";
import { probeEnvironment } from "../environment.js";

function versionLine(): string {
  const env = probeEnvironment();
  const backends = env.backends.filter((b) => b.available).map((b) => b.name).join(", ");
  return `index-lab ${VERSION} (node ${env.node}; backends: ${backends})`;
}

const program = new Command();
program
  .name("index-lab")
  .description("Symbolic-numeric theory verifier for feature learning on Gaussian single- and multi-index models")
  .option("-V, --version", "print the version and the tensor backends available")
  .showHelpAfterError(false)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.split("\n")[0] + "\n") });
for (const register of commands) register(program);

// the backend probe loads native modules, so it runs only when the version is asked for
if (process.argv[2] === "--version" || process.argv[2] === "-V") {
  process.stdout.write(`${versionLine()}\n`);
  process.exit(0);
}

// no arguments at all: the command list (on stdout, exit 0), not a one-line usage error
if (process.argv.length <= 2) {
  program.outputHelp();
  process.exit(0);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
  }
  fail(e, { debug: process.argv.includes("--debug") });
}
