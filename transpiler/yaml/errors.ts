/** Errors of the go-yaml port, worded exactly as go-yaml's `err.Error()` (ct prints `error: <message>`). */

export type YamlFlavor = 'v2' | 'v3';

/** A place in the source for a diagnostic: 1-based, and the YAML path of the node when known ('' otherwise). */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
  readonly path: string;
}

/** The error ct prints; `message` is go-yaml's error text, `yaml: ` prefix included. */
export class YamlError extends Error {
  constructor(
    message: string,
    /**
     * Where a refusal of unbounded work (nesting, aliasing) happened. go-yaml prints no position
     * for these (ct's stderr keeps none); it is for the diagnostics of the API only.
     */
    readonly position?: YamlPosition,
    /** The message without go-yaml's own `line N: ` (0-based in ct's v2 fork): for a reader who has `position`. */
    readonly unplacedMessage: string = message,
  ) {
    super(message);
    this.name = 'YamlError';
  }
}

export type SyntaxErrorKind = 'reader' | 'scanner' | 'parser';

/**
 * libyaml's error state (`parser.error`, `problem`, marks), raised by the reader, scanner and parser.
 * Of the two marks only the 0-based lines are kept: go-yaml prints nothing else of them.
 */
export class YamlSyntaxError extends Error {
  constructor(
    readonly kind: SyntaxErrorKind,
    readonly problem: string,
    readonly problemLine: number,
    readonly contextLine: number,
    /** 0-based column of the problem mark, -1 when unknown: for the API's diagnostics, never printed. */
    readonly problemColumn = -1,
    /** 0-based mark of the user's mistake when it is not the problem mark. */
    readonly mistakeAt?: { readonly line: number; readonly column: number },
  ) {
    super(problem);
    this.name = 'YamlSyntaxError';
  }

  /** go-yaml's `(*parser).fail()`: which mark's line is printed differs between the two forks. */
  toYamlError(flavor: YamlFlavor): YamlError {
    let line = 0;
    if (flavor === 'v2') {
      // The 2017 v2 fork prints the 0-based problem line, else the context line, without +1.
      line = this.problemLine !== 0 ? this.problemLine : this.contextLine;
    } else {
      // yaml.v3 prefers the context line; scanner errors get +1 because marks are 0-based.
      const bump = this.kind === 'scanner' ? 1 : 0;
      if (this.contextLine !== 0) line = this.contextLine + bump;
      else if (this.problemLine !== 0) line = this.problemLine + bump;
    }
    const where = line !== 0 ? `line ${line}: ` : '';
    const msg = this.problem.length > 0 ? this.problem : 'unknown problem parsing YAML content';
    // go-yaml prints one line, 0-based in v2; the API's diagnostics get the problem mark, 1-based.
    const at = this.mistakeAt ?? (this.problemColumn >= 0 ? { line: this.problemLine, column: this.problemColumn } : undefined);
    const position = at && { line: at.line + 1, column: at.column + 1, path: '' };
    return new YamlError(`yaml: ${where}${msg}`, position, `yaml: ${msg}`);
  }
}

/**
 * yaml.v3's refusal of nesting deeper than 10,000 levels, a scanner error. The v2 fork of ct
 * v0.9.0 has no such limit; we refuse there too, worded and positioned as yaml.v3 does.
 */
export class YamlDepthError extends YamlSyntaxError {
  constructor(
    problem: string,
    problemLine: number,
    contextLine: number,
    /** The indicator or key that opened the level too many. */
    readonly position: YamlPosition,
  ) {
    super('scanner', problem, problemLine, contextLine);
    this.name = 'YamlDepthError';
  }

  override toYamlError(): YamlError {
    const e = super.toYamlError('v3');
    return new YamlError(e.message, this.position, e.unplacedMessage);
  }
}

/** go-yaml's `failf`: an immediate error, without a position in its text. */
export function failf(message: string, position?: YamlPosition): never {
  throw new YamlError(`yaml: ${message}`, position);
}
