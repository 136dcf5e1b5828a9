/**
 * Pieces shared by several CLC sections (ct's `config/types/common.go` and the `Verification`
 * type of `config/types/config.go`).
 */
import type { AstNode } from '../ast';
import { Report, type Severity } from '../diagnostics';
import { field, str, struct, type GoStruct, type StructDef } from '../schema';

/** `verification.hash` of a config, CA or remote file reference. */
export interface HashConfig {
  /** Hash function name; Ignition only accepts `sha512`. */
  readonly function?: string;
  /** Hex digest (128 characters for sha512). */
  readonly sum?: string;
}

/** Integrity check of a fetched resource. */
export interface VerificationConfig {
  /** Expected hash; dropped silently unless both function and sum are set (docs/ct.md §5.1). */
  readonly hash?: HashConfig;
}

export const hashDef: StructDef = {
  goName: 'types.Hash',
  fields: [field('Function', 'function', str), field('Sum', 'sum', str)],
};

export const verificationDef: StructDef = {
  goName: 'types.Verification',
  fields: [field('Hash', 'hash', struct(hashDef))],
};

/** ct's `convertVerification`: `{hash: "<function>-<sum>"}` only when both parts are set. */
export function convertVerification(verification: GoStruct): GoStruct {
  const hash = verification.hash as GoStruct;
  if (!hash.function || !hash.sum) return { hash: undefined };
  return { hash: `${hash.function}-${hash.sum}` };
}

/** Appends to a Go slice held in `parent[key]` (a nil slice is `null`). */
export function appendTo(parent: GoStruct, key: string, item: unknown): void {
  const list = parent[key] as unknown[] | null | undefined;
  if (list) list.push(item);
  else parent[key] = [item];
}

/** Go's `var res []T; for ... append`: an empty or nil input gives a nil slice. */
export function copySlice<T>(items: readonly T[] | null): T[] | null {
  return items && items.length > 0 ? [...items] : null;
}

/** One diagnostic positioned at a node's value (ct: `AddPosition(n.ValueLineCol(nil))`). */
export function reportAt(severity: Severity, message: string, node: AstNode | undefined): Report {
  const report = Report.of(severity, message);
  if (node) {
    const { line, column } = node.valuePosition;
    report.addPosition(line, column, node.path);
  }
  return report;
}

/** The message of a thrown value, as Go would print the error. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A Go runtime panic that ct hits on some inputs (docs/ct.md §9: remote contents reached through an
 * alias or merge key). ct then dies with exit code 2 and a stack trace on stderr.
 */
export class GoPanic extends Error {
  constructor(readonly panicMessage: string) {
    super(`ct would panic: ${panicMessage}`);
    this.name = 'GoPanic';
  }
}
