/**
 * The "Certsmith" output channel: a readable log of what the extension and
 * the engine did and waited for. Everything goes through `redact` first, so
 * that a private key, a TSIG secret or an HMAC key can never end up here,
 * even if an error message were to quote one.
 */
import * as vscode from 'vscode';

const PEM_PRIVATE = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

export class Log {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Certsmith', { log: true });
  }

  /** A value that must never be logged (TSIG secrets, HMAC keys, passwords): replaced by "<redacted>". */
  addSecret(value: string): void {
    if (value.length >= 6) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text.replace(PEM_PRIVATE, '<private key redacted>');
    for (const s of this.secrets) out = out.split(s).join('<redacted>');
    return out;
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }

  error(message: string): void {
    this.channel.error(this.redact(message));
  }

  dispose(): void {
    this.channel.dispose();
  }
}
