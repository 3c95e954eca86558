#!/usr/bin/env node
/** The index-lab command line: a thin layer over the library API. */
import { VERSION } from "../version.js";
import { probeEnvironment } from "../environment.js";
import { SHORT_COMMANDS, SHORT_COMMAND_V8_FLAGS } from "./v8Flags.js";

function versionLine(): string {
  // resolution only: loading the native backends costs ~0.3 s (`index-lab doctor` loads them and says why one fails)
  const env = probeEnvironment({ load: false });
  const backends = env.backends.filter((b) => b.available).map((b) => b.name).join(", ");
  return `index-lab ${VERSION} (node ${env.node}; backends installed: ${backends})`;
}

// --version before any command module is imported (start-up: see bench/issue18.ts)
if (process.argv[2] === "--version" || process.argv[2] === "-V") {
  process.stdout.write(`${versionLine()}\n`);
  process.exit(0);
}

// analyze and predict finish in a fraction of a second: V8's optimising compiler (TurboFan, on a background thread)
// would spend more CPU compiling their hot numerical functions than the compiled code saves (about 0.1 CPU-s of a
// 0.35 s `analyze "z^3-3*z"`), so they tier up after a longer run in the baseline tiers. Set before any command module
// is loaded (the budget of a function is set when it is created); arithmetic is the same in every tier, so only the
// time changes. Measured: bench/issue18dense.ts startupRows (`npm run bench -- issue18-startup`).
// (node:v8 itself costs ~3 ms to load: only these commands import it)
if (SHORT_COMMANDS.has(process.argv[2] ?? "")) (await import("node:v8")).setFlagsFromString(SHORT_COMMAND_V8_FLAGS);

const { Command, CommanderError } = await import("commander");
const { commandsFor } = await import("./commands/lazy.js");
// only the invoked command's module (and its dependencies) when it has a top-level name of its own
const commands = await commandsFor(process.argv[2]);
const { EXIT_BAD_INPUT, fail } = await import("./io.js");

const program = new Command();
program
  .name("index-lab")
  .description("Symbolic-numeric theory verifier for feature learning on Gaussian single- and multi-index models")
  .option("-V, --version", "print the version and the tensor backends available")
  .showHelpAfterError(false)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.split("\n")[0] + "\n") });
for (const register of commands) register(program);

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
