/**
 * Why an action (issuing, checking DNS, talking to a CA) could not be done, in
 * words a person can act on: a missing resource (and where it was looked
 * for), an unsupported issuer or solver, a CA that is down, a nameserver that
 * refuses the TSIG key, a time limit. Adapters print the message and the hint,
 * never a stack trace. Never carries key material.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** A short hint on what to do, shown after the message. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The action was cancelled (Ctrl-C, the editor's cancel button); everything it created has been removed. */
export class CancelledError extends Error {
  constructor(message = 'the issuance was cancelled') {
    super(message);
  }
}
