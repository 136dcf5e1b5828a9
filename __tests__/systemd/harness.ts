/**
 * Test helper: proves a role's unit graph. Renders the role's Ignition into a stub Flatcar root
 * with the Flatcar units it depends on (stub-root.ts), checks the references, programs and
 * orderings itself (unit-graph.ts), and runs the real `systemd-analyze verify` over the same root
 * (analyze.ts). A unit naming a unit that is neither rendered nor a fixture throws.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_TARGET } from './fixtures/flatcar-image';
import { verify, type VerifyResult } from './analyze';
import { buildStubRoot, ignitionUnits, type StubRoot, type StubRootOptions } from './stub-root';
import { checkGraph, loadUnits, type GraphFindings } from './unit-graph';

export interface RoleAnalysis {
  readonly root: StubRoot;
  /** What was started: the boot target, then every unit the config names. */
  readonly startUnits: readonly string[];
  readonly graph: GraphFindings;
  /** systemd-analyze's verdict; undefined with `runVerify: false`. */
  readonly verify?: VerifyResult;
}

export interface AnalyzeOptions extends StubRootOptions {
  /** Report unresolved references instead of throwing (for the harness's own tests). */
  readonly allowUnresolved?: boolean;
  /** Keep the root (the caller cleans up); default: removed before returning. */
  readonly keepRoot?: boolean;
  /** Run systemd-analyze verify (default true); without it only the graph check runs. */
  readonly runVerify?: boolean;
}

export class UnresolvedReferenceError extends Error {
  constructor(readonly unresolved: readonly string[]) {
    super(
      `units name units that are neither rendered nor fixtures (add the Flatcar unit to __tests__/systemd/fixtures/units/, ` +
        `with its upstream source, or fix the reference):\n  ${unresolved.join('\n  ')}`,
    );
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Renders, checks and verifies one Ignition config. */
export function analyzeIgnition(ignition: Json, options: AnalyzeOptions = {}): RoleAnalysis {
  const root = buildStubRoot(ignition, loadUnits, options);
  try {
    // A masked unit is one the config turns off (locksmithd on Kubernetes nodes): nothing starts it.
    const masked = new Set(ignitionUnits(ignition).filter((unit) => unit.mask).map((unit) => unit.name));
    const startUnits = [DEFAULT_TARGET, ...root.rendered.filter((name) => name !== DEFAULT_TARGET && !masked.has(name))];
    const graph = checkGraph(root, startUnits);
    if (graph.unresolved.length > 0 && !options.allowUnresolved) throw new UnresolvedReferenceError(graph.unresolved);
    const result = options.runVerify === false ? undefined : verify(root, startUnits);
    return { root, startUnits, graph, verify: result };
  } finally {
    if (!options.keepRoot) root.cleanup();
  }
}

/** Everything wrong in one analysis, one line each, for `expect(...).toEqual([])`. */
export function problemsOf(analysis: RoleAnalysis): string[] {
  const verified = analysis.verify;
  return [
    ...(verified === undefined || verified.status === 0 ? [] : [`systemd-analyze verify exited ${verified.status}`]),
    ...(verified?.findings ?? []).map((f) => `systemd-analyze [${f.kind}]: ${f.line}`),
    ...analysis.graph.unresolved.map((line) => `graph [unresolved]: ${line}`),
    ...analysis.graph.missingPrograms.map((line) => `graph [missing-program]: ${line}`),
    ...analysis.graph.cycles.map((line) => `graph [cycle]: ${line}`),
  ];
}

/**
 * Runs verify over `units` with `changes` made to the root for this run only: each in-root path
 * gets the text given, or with `null` a link to /dev/null (a mask); what was there is put back
 * afterwards. The probes of systemd's own reading: a reversed order that must make a cycle, a
 * masked dependency that must fail the start.
 */
export function verifyWithChanges(root: StubRoot, changes: Readonly<Record<string, string | null>>, units: readonly string[]): VerifyResult {
  const saved = mkdtempSync(path.join(tmpdir(), 'systemd-probe-'));
  const undo: (() => void)[] = [];
  try {
    for (const [file, text] of Object.entries(changes)) {
      const full = path.join(root.dir, file);
      if (existsSync(full) || isLink(full)) {
        const kept = path.join(saved, String(undo.length));
        renameSync(full, kept);
        undo.push(() => {
          rmSync(full, { force: true });
          renameSync(kept, full);
        });
      } else {
        undo.push(() => rmSync(full, { force: true }));
      }
      mkdirSync(path.dirname(full), { recursive: true });
      if (text === null) symlinkSync('/dev/null', full);
      else writeFileSync(full, text);
    }
    return verify(root, units);
  } finally {
    for (const step of undo.reverse()) step();
    rmSync(saved, { recursive: true, force: true });
  }
}

function isLink(full: string): boolean {
  try {
    return lstatSync(full).isSymbolicLink();
  } catch {
    return false;
  }
}
