/**
 * Every CLI command registers itself here (one import and one entry per command). `commandsFor` loads only the
 * module of the command being run when it has a top-level name of its own (start-up: a command never pays for the
 * modules, and their dependencies, of the others); help, the `simulate` family and unknown names load them all.
 */
import type { Command } from "commander";
import { register as analyze } from "./analyze.js";
import { register as report } from "./report.js";
import { register as doctor } from "./doctor.js";
import { register as check } from "./check.js";
import { register as experiments } from "./experiments.js";
import { register as simulate } from "./simulate.js";
import { register as simulateBatch } from "./simulate-batch.js";
import { register as simulateThreshold } from "./simulate-threshold.js";
import { register as verify } from "./verify.js";
import { register as merge } from "./merge.js";
import { register as predict } from "./predict.js";
import { register as exportTables } from "./export.js";

export const commands: ((program: Command) => void)[] = [
  analyze,
  report,
  doctor,
  check,
  experiments,
  simulate,
  simulateBatch,
  simulateThreshold,
  verify,
  merge,
  predict,
  exportTables,
];
