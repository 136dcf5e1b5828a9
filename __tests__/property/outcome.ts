/** The robustness property's judgement of one transpile outcome, shared by the property tests. */
import { transpile, TranspileError, TranspilePanic } from '../../transpiler';
import type { Dialect } from '../../transpiler/convert';
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
