/** What a CLI command may touch, so that tests and the real process use the same code. */
export interface CommandIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A problem with how the command was called or with reading its input: exit status 2, no stack trace. */
export class UsageError extends Error {}
