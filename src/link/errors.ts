/** A user-facing error about a link expression or a parameter: says what and where, never a stack trace. */
export class InputError extends Error {
  /** 1-based column in the expression, when the error is about a place in it. */
  readonly column: number | undefined;
  readonly source: string | undefined;
  constructor(message: string, options: { column?: number; source?: string } = {}) {
    super(message);
    this.name = "InputError";
    this.column = options.column;
    this.source = options.source;
  }
}

/** Type guard: whether `e` is an {@link InputError} (the CLI maps these to exit code 2 with one line). */
export const isInputError = (e: unknown): e is InputError => e instanceof InputError;
