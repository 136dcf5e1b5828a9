/**
 * Checks that can only run at synth: a config merged from snippets that other constructs added
 * after construction is rendered, and its errors found, when the user-data is first read.
 * `synthesizeApp` runs these checks before `app.synth()`, so that their errors are reported like
 * construction errors (once, as a message, without our stack frames) instead of escaping from
 * inside cdktf's synth. Where nobody runs them (`app.synth()` called directly), the same errors
 * are thrown by the synth itself.
 */
import type { IConstruct } from 'constructs';
import { ConstructError } from './construct-error';

// Keyed by construct, so that a construct need not be of a known class to register one.
const CHECKS = new WeakMap<IConstruct, () => void>();

/** Registers `check`, which throws a ConstructError when the construct's input is wrong. */
export function addSynthCheck(construct: IConstruct, check: () => void): void {
  CHECKS.set(construct, check);
}

/**
 * Runs the checks registered under `root`, in tree order, and returns their errors. Any error
 * other than a ConstructError is a bug and propagates.
 */
export function runSynthChecks(root: IConstruct): ConstructError[] {
  const errors: ConstructError[] = [];
  for (const construct of root.node.findAll()) {
    try {
      CHECKS.get(construct)?.();
    } catch (error) {
      if (!(error instanceof ConstructError)) throw error;
      errors.push(error);
    }
  }
  return errors;
}
