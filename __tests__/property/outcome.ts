/** The robustness property's judgement of one transpile outcome, shared by the property tests. */
import { transpile, TranspileError, TranspilePanic } from '../../transpiler';
import type { Dialect } from '../../transpiler/convert';
import { lastYamlWork } from '../../transpiler/yaml';
import type { RobustnessInput } from './robustness-inputs';

const CT_PANIC = 'panic: interface conversion: astnode.AstNode is nil, not astyaml.YamlNode\n';

function isText(input: RobustnessInput): input is string | Uint8Array {
  return typeof input === 'string' || input instanceof Uint8Array;
}

function lineCount(input: string | Uint8Array): number {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  return text.split(/\r\n|\r|\n|\u0085|\u2028|\u2029/).length;
}

/** Why an outcome breaks the property, or undefined. Plain checks: `expect` per case costs seconds here. */
export function failureProblem(err: unknown, input: RobustnessInput): string | undefined {
  if (err instanceof TranspilePanic) {
    // only reachable through an alias or a merge key in YAML text
    if (!isText(input) || !String(input).includes('*')) return 'TranspilePanic without an alias';
    return err.stderr.includes(CT_PANIC) ? undefined : `unexpected panic: ${err.stderr}`;
  }
  if (!(err instanceof TranspileError)) throw err;
  if (err.diagnostics.length === 0) return 'TranspileError without diagnostics';
  if (err.stderr === '' || !err.stderr.endsWith('\n')) return `stderr not newline-terminated: ${JSON.stringify(err.stderr)}`;
  const lastLine = isText(input) ? lineCount(input) + 1 : 0;
  for (const d of err.diagnostics) {
    const positionless = d.line === 0 && d.column === 0;
    if (!isText(input) && !positionless) return `typed input got a position: ${JSON.stringify(d)}`;
    if (!Number.isInteger(d.line) || !Number.isInteger(d.column) || d.line < 0 || d.column < 0 || d.line > lastLine) {
      return `bad position: ${JSON.stringify(d)}`;
    }
  }
  return undefined;
}

export function transpileProblem(input: RobustnessInput, dialect: Dialect): string | undefined {
  try {
    const result = transpile(input, { dialect });
    const version = (JSON.parse(result.json) as { ignition?: { version?: unknown } }).ignition?.version;
    return typeof version === 'string' && version !== '' ? undefined : `no ignition.version in ${result.json}`;
  } catch (err) {
    return failureProblem(err, input);
  }
}

/** Work allowed per unit of input: yaml.v3's alias budget keeps legitimate alias-heavy configs under about 300. */
const WORK_PER_UNIT = 300;
/** A floor for tiny inputs, whose fixed costs (a document node, the end of stream) dominate. */
const WORK_FLOOR = 2000;

/** Values in a typed config, each counted once (cycles are refused before they are walked twice). */
function valueCount(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 1;
  seen.add(value);
  let count = 1;
  for (const v of Object.values(value as Record<string, unknown>)) count += valueCount(v, seen);
  return count;
}

/** The size work is bounded by: bytes of text, or values of a typed config. */
export function inputSize(input: RobustnessInput): number {
  if (typeof input === 'string') return Buffer.byteLength(input);
  if (input instanceof Uint8Array) return input.length;
  return valueCount(input);
}

/** Why the YAML layer's work on the last transpile was out of bounds for `input`, or undefined (counted in work, not time). */
export function workProblem(input: RobustnessInput): string | undefined {
  const work = lastYamlWork();
  const limit = WORK_FLOOR + WORK_PER_UNIT * inputSize(input);
  return work.total <= limit ? undefined : `work ${JSON.stringify(work)} exceeds ${limit} for an input of size ${inputSize(input)}`;
}
