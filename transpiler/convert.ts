/**
 * The conversion contract shared by every CLC section (ct's `config/types/converter.go`): each
 * section file exports a descriptor holding its translator, and `translators.ts` lists them in
 * ct's fixed order.
 */
import type { GeneratedOutput } from './api';
import type { AstNode } from './ast';
import type { Report } from './diagnostics';
import type { GoStruct } from './schema';

/** `coreos`: upstream ct v0.9.0 (Ignition 2.2.0); `flatcar`: Flatcar ct v0.9.4 (Ignition 2.3.0). */
export type Dialect = 'coreos' | 'flatcar';

export interface ConvertContext {
  readonly dialect: Dialect;
  /** `--platform`, '' when none. */
  readonly platform: string;
  /** `--files-dir`, '' when none. */
  readonly filesDir: string;
  /** Reads a file for `contents.local`; throws an error whose message is Go's (`open X: no such file or directory`). */
  readonly readFile: (path: string) => Uint8Array;
  /**
   * Where a translator records what it generated (declared in its own section file), in output
   * order; becomes `TranspileResult.generated`.
   */
  readonly generated: GeneratedOutput[];
}

/**
 * One converter: reads the decoded CLC (`config`, a Go-shaped value keyed by YAML keys) and its
 * AST (in json tag mode, undefined for an empty document), appends to `out` (the Ignition config,
 * a Go-shaped value keyed by JSON keys) and returns its diagnostics, positioned via the AST.
 * What it generates itself (drop-ins, files) it declares in its own file and records in
 * `ctx.generated`, so a new section is its file plus one line in `translators.ts`.
 */
export type Translator = (config: GoStruct, ast: AstNode | undefined, out: GoStruct, ctx: ConvertContext) => Report;
