/**
 * The one diagnostics type of the transpiler, modelled on Ignition's
 * `validate/report` package that ct prints (docs/ct.md §10.1).
 */
import { goStringBytes, isRawByte, readableGoString } from './go/raw-bytes';

export type Severity = 'error' | 'warning' | 'info' | 'deprecated';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  /** 1-based line in the CLC source; 0 when ct reports no position. */
  readonly line: number;
  /** 1-based column in the CLC source; 0 when ct reports no position. */
  readonly column: number;
  /** Path of the YAML node the entry is about, e.g. `storage.files[0].mode`; '' when unknown. */
  readonly path: string;
  /** A key the schema does not know (Butane's `Unused key`); ct's is recognised by its text (validate.ts). */
  readonly unknownKey?: boolean;
  /**
   * The message without the position go-yaml writes into some of its texts (`yaml: line 6: ...`,
   * a 0-based line in ct's v2 fork, becomes `yaml: ...`): what to show beside `line` and `column`.
   * Absent when it equals `message`.
   */
  readonly unplacedMessage?: string;
}

/** An ordered list of diagnostics; entries are never sorted (ct prints them in production order). */
export class Report {
  readonly entries: Diagnostic[] = [];

  static of(severity: Severity, message: string): Report {
    const r = new Report();
    r.add(severity, message);
    return r;
  }

  add(severity: Severity, message: string, line = 0, column = 0, path = ''): this {
    this.entries.push({ severity, message, line, column, path });
    return this;
  }

  merge(other: Report): this {
    this.entries.push(...other.entries);
    return this;
  }

  /** Gives a position to every entry (from index `from` on) that has none yet (Ignition's `AddPosition`). */
  addPosition(line: number, column: number, path = '', from = 0): this {
    for (let i = from; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.line === 0) {
        this.entries[i] = { ...e, line, column, path: e.path || path };
      }
    }
    return this;
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** Any error is fatal; with `strict`, any entry at all is (docs/ct.md §10.7). */
  isFatal(strict = false): boolean {
    return strict ? this.entries.length > 0 : this.entries.some((e) => e.severity === 'error');
  }

  /** The report as ct's Report.String() renders it, before main's printf pass. */
  toString(): string {
    return this.entries.map(renderEntry).join('\n');
  }
}

export function renderEntry(e: Diagnostic): string {
  return e.line !== 0 ? `${e.severity} at line ${e.line}, column ${e.column}\n${e.message}` : `${e.severity}: ${e.message}`;
}

/**
 * ct prints each report through `fmt.Sprintf(report)`, with the report as the format string, so
 * `%` sequences are mangled exactly as Go's fmt does with no arguments (docs/ct.md §10.1).
 */
export function goSprintfNoArgs(format: string): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    // flags, width and precision are skipped: with the argument missing, Go prints none of them
    while (i < format.length && '+-# 0'.includes(format[i])) i++;
    while (i < format.length && /[0-9]/.test(format[i])) i++;
    if (format[i] === '.') {
      i++;
      while (i < format.length && /[0-9]/.test(format[i])) i++;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    // Decode one full code point as the verb; a raw byte decodes as U+FFFD (utf8.RuneError).
    const cp = format.codePointAt(i) as number;
    const raw = isRawByte(format, i);
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (raw) {
      out += '%!\ufffd(MISSING)';
      continue;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    out += `%!${verb}(MISSING)`;
  }
  return out;
}

/** Thrown by `transpile` when ct would fail; carries every diagnostic ct would print. */
export class TranspileError extends Error {
  /** What ct writes to stderr for this failure, as text (a byte that is not UTF-8 shows as U+FFFD). */
  readonly stderr: string;
  /** Exactly the bytes ct writes to stderr for this failure. */
  readonly stderrBytes: Uint8Array;
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    diagnostics: readonly Diagnostic[],
    /** ct's stderr; raw bytes held as go/raw-bytes.ts escapes are written out as those bytes. */
    stderr: string,
    /** Where the config came from (a file path, or a description), for messages. */
    readonly origin?: string,
  ) {
    const readable = diagnostics.map((d) => {
      const message = readableGoString(d.message);
      return message === d.message ? d : { ...d, message };
    });
    super(TranspileError.describe(readable, origin));
    this.name = 'TranspileError';
    this.diagnostics = readable;
    this.stderr = readableGoString(stderr);
    this.stderrBytes = goStringBytes(stderr);
  }

  private static describe(diagnostics: readonly Diagnostic[], origin?: string): string {
    const where = origin ? `${origin}: ` : '';
    const lines = diagnostics.map((d) => {
      const pos = d.line !== 0 ? `${origin ?? '<config>'}:${d.line}:${d.column}` : (origin ?? '<config>');
      const path = d.path ? ` (at ${d.path})` : '';
      return `  ${pos}: ${d.severity}: ${d.message}${path}`;
    });
    return `${where}Container Linux Config failed to transpile:\n${lines.join('\n')}`;
  }
}

/** ct crashed (a Go panic): it exits with 2 and a stack trace instead of a report (docs/ct.md §9). */
export class TranspilePanic extends TranspileError {
  readonly exitCode = 2;
}
