/** Crashes the robustness property found, pinned at the API: each is now a TranspileError. */
import type { TranspileError } from '../../transpiler';
import { transpileFailure } from './transpile-failure';
import type { ContainerLinuxConfig } from '../../transpiler/sections';

const failure = (input: string | ContainerLinuxConfig, dialect: 'coreos' | 'flatcar'): TranspileError => transpileFailure(input, { dialect });

function nestedUnits(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe.each(['coreos', 'flatcar'] as const)('%s', (dialect) => {
  test.each([
    ['a function value', { systemd: { units: [{ name: 'a.service', contents: (() => 'x') as unknown as string }] } }, 'cannot represent a function as YAML'],
    ['a symbol value', { passwd: { users: [{ name: Symbol('core') as unknown as string }] } }, 'cannot represent a symbol as YAML'],
    ['nesting deeper than 10000 levels', { storage: nestedUnits(20000) } as ContainerLinuxConfig, 'exceeded max depth of 10000'],
  ])('typed config with %s is one positionless error', (_name, config, message) => {
    const err = failure(config as ContainerLinuxConfig, dialect);
    expect(err.diagnostics).toEqual([{ severity: 'error', message: `yaml: ${message}`, line: 0, column: 0, path: '' }]);
    expect(err.stderr).toBe(`error: yaml: ${message}\nFailed to parse config\n`);
  });

  test('YAML nested deeper than 10000 levels is an error, quickly', () => {
    const started = Date.now();
    const err = failure(`x: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, dialect);
    expect(err.stderr).toBe('error: yaml: exceeded max depth of 10000\nFailed to parse config\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
