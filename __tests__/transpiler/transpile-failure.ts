/** The TranspileError a config must be refused with; anything else (success, a panic, another exception) fails the test. */
import { transpile, TranspileError, TranspilePanic, type TranspileOptions } from '../../transpiler';

export function transpileFailure(input: Parameters<typeof transpile>[0], options: TranspileOptions): TranspileError {
  try {
    transpile(input, options);
  } catch (err) {
    if (err instanceof TranspilePanic) throw new Error(`panicked: ${err.stderr}`);
    if (err instanceof TranspileError) return err;
    throw err;
  }
  throw new Error('expected a TranspileError');
}
