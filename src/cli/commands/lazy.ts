/**
 * The command modules by top-level name, imported on demand: `index-lab analyze ...` imports analyze.js only, not
 * the simulators, tensor backends and plotting of the other commands. Help, the `simulate` family (three modules
 * share it) and unknown names import every command (index.ts).
 */
import type { Command } from "commander";

type Register = (program: Command) => void;

const single: Readonly<Record<string, () => Promise<{ register: Register }>>> = {
  analyze: () => import("./analyze.js"),
  report: () => import("./report.js"),
  doctor: () => import("./doctor.js"),
  check: () => import("./check.js"),
  verify: () => import("./verify.js"),
  merge: () => import("./merge.js"),
  predict: () => import("./predict.js"),
  export: () => import("./export.js"),
};

/** The registrations needed to run the command named `name` (every command's when it has no module of its own). */
export async function commandsFor(name: string | undefined): Promise<Register[]> {
  const load = name !== undefined && Object.hasOwn(single, name) ? single[name] : undefined;
  if (load) return [(await load()).register];
  return (await import("./index.js")).commands;
}
