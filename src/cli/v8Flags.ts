/**
 * V8 flags of the short commands (`analyze`, `predict`): the interrupt budget (bytes of bytecode run between two
 * tier-up decisions; node 20's default is 67584) at 8x the default, so that a function is optimised only after a run
 * that repays the compile (cli/main.ts). The build's code cache of mathjs's parser (scripts/bundle-mathjs.ts) is made
 * under the same flags: V8 accepts a code cache only under the flags it was made with.
 */
export const SHORT_COMMAND_V8_FLAGS = `--interrupt-budget=${8 * 67584}`;

/** Commands that run under {@link SHORT_COMMAND_V8_FLAGS}. */
export const SHORT_COMMANDS: ReadonlySet<string> = new Set(["analyze", "predict"]);
