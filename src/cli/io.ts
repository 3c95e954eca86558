/**
 * CLI plumbing shared by every command: JSON or human output, the exit code from the verdicts (exitCode.ts),
 * one-line errors with exit code 2 for bad input, stack traces only with --debug.
 */
import { InputError, isInputError } from "../link/errors.js";
import { EXIT, exitCodeOf, verdictSummary, type VerdictWord } from "./exitCode.js";

export const EXIT_BAD_INPUT = EXIT.badInput;
export const EXIT_INTERNAL_ERROR = EXIT.internalError;

export interface GlobalFlags { readonly json?: boolean; readonly debug?: boolean }

/**
 * Run a command body; print its result as JSON or through `human`; set the exit code from the result's verdicts
 * (`verdicts`, omitted for commands that state none) by the one rule of exitCode.ts; map errors to exit codes.
 */
export async function runCommand<T>(flags: GlobalFlags, body: () => T | Promise<T>, human: (result: T) => string, verdicts?: (result: T) => readonly VerdictWord[]): Promise<void> {
  try {
    const result = await body();
    const stated = verdicts?.(result) ?? [];
    const tail = stated.length ? `\n${verdictSummary(stated)}` : "";
    process.stdout.write(flags.json ? `${JSON.stringify(result, jsonReplacer, 2)}\n` : `${human(result)}${tail}\n`);
    process.exitCode = exitCodeOf(stated);
  } catch (e) {
    fail(e, flags);
  }
}

/** File-system errors caused by a path given on the command line, with the one-line explanation printed for them. */
const PATH_ERRORS: Record<string, string> = {
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder, a file was expected",
  ENAMETOOLONG: "the name is too long",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EEXIST: "it already exists",
  ENOENT: "no such file or folder",
  ELOOP: "too many symbolic links",
};

/** Print a failed command's error as one line and exit: 2 for bad input (InputError, unusable paths), 1 otherwise. */
export function fail(e: unknown, flags: GlobalFlags): never {
  if (flags.debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  if (isInputError(e)) {
    process.stderr.write(`index-lab: ${e.message}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  // a path the user gave that cannot be used (--out on a file, below a file, a name too long, no permission) is input
  const errno = e as NodeJS.ErrnoException;
  if (e instanceof Error && typeof errno.code === "string" && PATH_ERRORS[errno.code]) {
    process.stderr.write(`index-lab: cannot use '${errno.path ?? "?"}': ${PATH_ERRORS[errno.code]}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`index-lab: internal error: ${msg.split("\n")[0]}${flags.debug ? "" : " (run with --debug for details)"}\n`);
  process.exit(EXIT_INTERNAL_ERROR);
}

/** JSON never carries NaN or Infinity: they become null (and typed arrays become arrays). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  if (value instanceof Float64Array || value instanceof Float32Array) return [...value];
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}

/** Parse an integer option in [lo, hi] or throw a one-line input error naming the option. */
export function intOption(name: string, raw: string | undefined, lo: number, hi: number, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throwInput(`missing ${name}`);
    return fallback;
  }
  const v = Number(raw);
  if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isInteger(v) || v < lo || v > hi) {
    throwInput(`${name} must be an integer in [${lo}, ${hi}], got '${raw}'`);
  }
  return v;
}

export function throwInput(message: string): never { throw new InputError(message); }
