/** Errors of the go-yaml port, worded exactly as go-yaml's `err.Error()` (ct prints `error: <message>`). */

export type YamlFlavor = 'v2' | 'v3';

/** A position in the character stream, 0-based like libyaml's `yaml_mark_t`. */
export interface Mark {
  readonly index: number;
  readonly line: number;
  readonly column: number;
}

export const ZERO_MARK: Mark = { index: 0, line: 0, column: 0 };

/** The error ct prints; `message` is go-yaml's error text, `yaml: ` prefix included. */
export class YamlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlError';
  }
}

export type SyntaxErrorKind = 'reader' | 'scanner' | 'parser';

/** libyaml's error state (`parser.error`, `problem`, marks), raised by the reader, scanner and parser. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly kind: SyntaxErrorKind,
    readonly problem: string,
    readonly problemMark: Mark,
    readonly contextMark: Mark,
  ) {
    super(problem);
    this.name = 'YamlSyntaxError';
  }

  /** go-yaml's `(*parser).fail()`: which mark's line is printed differs between the two forks. */
  toYamlError(flavor: YamlFlavor): YamlError {
    let line = 0;
    if (flavor === 'v2') {
      // The 2017 v2 fork prints the 0-based problem line, else the context line, without +1.
      line = this.problemMark.line !== 0 ? this.problemMark.line : this.contextMark.line;
    } else {
      // yaml.v3 prefers the context line; scanner errors get +1 because marks are 0-based.
      const bump = this.kind === 'scanner' ? 1 : 0;
      if (this.contextMark.line !== 0) line = this.contextMark.line + bump;
      else if (this.problemMark.line !== 0) line = this.problemMark.line + bump;
    }
    const where = line !== 0 ? `line ${line}: ` : '';
    const msg = this.problem.length > 0 ? this.problem : 'unknown problem parsing YAML content';
    return new YamlError(`yaml: ${where}${msg}`);
  }
}

/** go-yaml's `failf`: an immediate, position-less error. */
export function failf(message: string): never {
  throw new YamlError(`yaml: ${message}`);
}
