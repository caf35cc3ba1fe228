/**
 * Per-call context handed to method implementations: identity for correlation, and a
 * log sink whose records travel to the client as log batches ahead of the next data
 * batch (WIRE_PROTOCOL.md §8).
 */
import type { LogLevel, LogRecord } from "@vgi-ts/protocol";

export class CallContext {
  private pending: LogRecord[] = [];

  constructor(
    readonly method: string,
    readonly requestId: string | undefined,
    readonly serverId: string,
    readonly traceparent: string | undefined = undefined,
  ) {}

  log(level: LogLevel, message: string, extra?: Record<string, unknown>): void {
    this.pending.push(extra === undefined ? { level, message } : { level, message, extra });
  }

  /** Records logged since the last call; the transport writes them out. */
  takeLogs(): LogRecord[] {
    const logs = this.pending;
    if (logs.length > 0) this.pending = [];
    return logs;
  }
}
