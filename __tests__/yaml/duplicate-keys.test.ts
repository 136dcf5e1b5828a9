/** yaml.v3's duplicate-key messages, in Go's order, without comparing every pair of keys (issue 11, cause G). */
import { quoteGo } from '../../transpiler/go/quote';
import { transpile, TranspileError } from '../../transpiler';
import { checkUniqueKeys, MAX_DUPLICATE_KEY_ERRORS } from '../../transpiler/yaml/duplicate-keys';
import type { YamlKind, YamlNode } from '../../transpiler/yaml';
import { lastYamlWork } from '../../transpiler/yaml';

const node = (kind: YamlKind, value: string, line: number): YamlNode =>
  ({ kind, value, line, column: 0, tag: '', style: 'plain', flow: false, anchor: '', children: [] }) as YamlNode;

/** decode.go's loop, as written there. */
function goUniqueKeys(c: readonly YamlNode[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < c.length; i += 2) {
    for (let j = i + 2; j < c.length; j += 2) {
      if (c[i].kind === c[j].kind && c[i].value === c[j].value) {
        out.push(`line ${c[j].line + 1}: mapping key ${quoteGo(c[j].value)} already defined at line ${c[i].line + 1}`);
      }
    }
  }
  return out;
}

test('the same messages in the same order as the pairwise loop, small and large mappings', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 400; round++) {
    const keys = random(70);
    const distinct = 1 + random(keys + 1);
    const children: YamlNode[] = [];
    for (let k = 0; k < keys; k++) {
      children.push(node(random(5) === 0 ? 'alias' : 'scalar', `k${random(distinct)}`, k), node('scalar', 'v', k));
    }
    const errors = ['an earlier error'];
    const expected = goUniqueKeys(children);
    expect(checkUniqueKeys(children, errors)).toBe(expected.length === 0);
    expect(errors).toEqual(['an earlier error', ...expected]);
  }
});

test('a mapping of one key 20,000 times: the first messages only, and at once', () => {
  const children = Array.from({ length: 20000 }, (_, k) => [node('scalar', 'k', k), node('scalar', 'v', k)]).flat();
  const errors: string[] = [];
  expect(checkUniqueKeys(children, errors)).toBe(false);
  expect(errors).toHaveLength(MAX_DUPLICATE_KEY_ERRORS);
  expect(errors[0]).toBe('line 2: mapping key "k" already defined at line 1');
  expect(errors[MAX_DUPLICATE_KEY_ERRORS - 1]).toBe(`line ${MAX_DUPLICATE_KEY_ERRORS + 1}: mapping key "k" already defined at line 1`);
  // the cap already reached: still not unique
  expect(checkUniqueKeys(children.slice(0, 8), errors)).toBe(false);
  expect(errors).toHaveLength(MAX_DUPLICATE_KEY_ERRORS);
});

test('flatcar: 20,000 copies of a key and 50,000 distinct keys are answered promptly', () => {
  const started = Date.now();
  let stderr = '';
  try {
    transpile(`passwd:\n${'  k: v\n'.repeat(20000)}`, { dialect: 'flatcar' });
  } catch (err) {
    stderr = (err as TranspileError).stderr;
  }
  expect(stderr.split('\n')).toHaveLength(MAX_DUPLICATE_KEY_ERRORS + 3);
  expect(stderr).toMatch(/^error: yaml: unmarshal errors:\n {2}line 3: mapping key "k" already defined at line 2\n/);
  const keys = Array.from({ length: 50000 }, (_, i) => `  k${i}: v\n`).join('');
  expect(transpile(`passwd:\n${keys}`, { dialect: 'flatcar' }).warnings).toHaveLength(50000);
  expect(lastYamlWork().total).toBeLessThan(10 * keys.length);
  expect(Date.now() - started).toBeLessThan(10000);
});
