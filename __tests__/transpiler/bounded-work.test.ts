/**
 * Hostile YAML is refused after bounded work (issue 11, cause G), in both dialects: nesting past
 * yaml.v3's 10,000 levels, alias and merge-key bombs (yaml.v3's alias budget, applied to the
 * coreos dialect too), and merge keys nested past 500 levels (our own limit: the decoder
 * recurses). Work is counted by `lastYamlWork()`, not by the clock; the clock only has a
 * generous ceiling.
 */
import { transpile, type TranspileError } from '../../transpiler';
import { transpileFailure } from './transpile-failure';
import { runCt } from '../../transpiler/cli';
import { lastYamlWork } from '../../transpiler/yaml';

const DIALECTS = ['coreos', 'flatcar'] as const;
type Dialect = (typeof DIALECTS)[number];

const refusal = (message: string): string => `error: yaml: ${message}\nFailed to parse config\n`;
const ALIASING = refusal('document contains excessive aliasing');
const TOO_DEEP = refusal('exceeded max depth of 10000');

/** `width` anchors, each a mapping merging the previous one `width` times (a sequence of aliases). */
function mergeBomb(width: number): string {
  let s = 'a0: &a0 {name: core}\n';
  for (let i = 1; i < width; i++) s += `a${i}: &a${i} {<<: [${Array(width).fill(`*a${i - 1}`).join(', ')}]}\n`;
  return `${s}passwd:\n  users:\n    - <<: *a${width - 1}\n`;
}

/** The same with `width` merge keys per mapping (duplicate keys: the coreos dialect decodes each). */
function repeatedMergeKeyBomb(width: number): string {
  let s = 'a0: &a0 {name: core}\n';
  for (let i = 1; i < width; i++) s += `a${i}: &a${i}\n${`  <<: *a${i - 1}\n`.repeat(width)}`;
  return `${s}passwd:\n  users:\n    - <<: *a${width - 1}\n`;
}

/** The classic "billion laughs": sequences of aliases of sequences. */
function laughs(width: number): string {
  let s = `l0: &l0 [${Array(width).fill('lol').join(', ')}]\n`;
  for (let i = 1; i < width; i++) s += `l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]\n`;
  return `${s}passwd:\n  users:\n    - name: core\n      ssh_authorized_keys: *l${width - 1}\n      groups: *l1\n`;
}

/** A chain of `depth` anchors, each merging the one before, under enough plain users to stay within the alias ratio. */
function mergeChain(depth: number): string {
  let s = 'chain:\n  m0: &m0 {name: core}\n';
  for (let i = 1; i < depth; i++) s += `  m${i}: &m${i} {<<: *m${i - 1}}\n`;
  s += 'passwd:\n  users:\n';
  for (let i = 0; i < 300; i++) s += `    - name: u${i}\n`;
  return `${s}    - <<: *m${depth - 1}\n`;
}

const nestedInlineMerges = (depth: number): string => `passwd:\n  users:\n    - ${'{<<: '.repeat(depth)}{name: core}${'}'.repeat(depth)}\n`;
const deepFlow = (depth: number): string => `x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
const deepFlowInField = (depth: number): string => `storage:\n  files: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
const deepBlock = (depth: number): string => `${'- '.repeat(depth)}x\n`;
const deepBlockInField = (depth: number): string => `passwd:\n  users:\n    - ${'- '.repeat(depth)}x\n`;

const failure = (input: string, dialect: Dialect): TranspileError => transpileFailure(input, { dialect });

interface Case {
  readonly input: string;
  /** Exact stderr per dialect; a RegExp where only the start matters. */
  readonly stderr: Record<Dialect, string | RegExp>;
}

const cases: Record<string, Case> = {
  '9x9 merge-key bomb (sequences of aliases)': { input: mergeBomb(9), stderr: { coreos: ALIASING, flatcar: ALIASING } },
  '9x9 merge-key bomb (repeated << keys)': {
    input: repeatedMergeKeyBomb(9),
    // yaml.v3 refuses the duplicate keys before expanding anything
    stderr: { coreos: ALIASING, flatcar: /^error: yaml: unmarshal errors:\n {2}line 74: mapping key "<<" already defined at line 73\n/ },
  },
  '20x20 merge-key bomb': { input: mergeBomb(20), stderr: { coreos: ALIASING, flatcar: ALIASING } },
  'billion laughs': {
    input: laughs(9),
    // the typed decode stops at the first level (a sequence is no string): no expansion to refuse
    stderr: {
      coreos: /^error: yaml: unmarshal errors:\n( {2}line 8: cannot unmarshal !!seq into string\n){9}( {2}line 1: cannot unmarshal !!seq into string\n){9}Failed/,
      flatcar: /^error: yaml: unmarshal errors:\n( {2}line 8: cannot unmarshal !!seq into string\n){9}( {2}line 1: cannot unmarshal !!seq into string\n){9}Failed/,
    },
  },
  'a merge chain 2000 anchors long': { input: mergeChain(2000), stderr: { coreos: ALIASING, flatcar: ALIASING } },
  'merge keys nested 2000 deep': {
    input: nestedInlineMerges(2000),
    stderr: { coreos: refusal('exceeded max depth of 500'), flatcar: refusal('exceeded max depth of 500') },
  },
  '100,000-deep flow sequence': { input: deepFlow(100000), stderr: { coreos: TOO_DEEP, flatcar: TOO_DEEP } },
  '100,000-deep flow sequence in a field': {
    input: deepFlowInField(100000),
    stderr: { coreos: refusal('line 2: exceeded max depth of 10000'), flatcar: refusal('line 2: exceeded max depth of 10000') },
  },
  '100,000-deep block sequence': { input: deepBlock(100000), stderr: { coreos: TOO_DEEP, flatcar: TOO_DEEP } },
  '100,000-deep block sequence in a field': {
    input: deepBlockInField(100000),
    // yaml.v3's line: that of the last simple key (`users`), plus one
    stderr: { coreos: refusal('line 2: exceeded max depth of 10000'), flatcar: refusal('line 2: exceeded max depth of 10000') },
  },
};

describe.each(DIALECTS)('%s', (dialect) => {
  test.each(Object.entries(cases))('%s is refused after bounded work', (_name, c) => {
    const started = Date.now();
    const err = failure(c.input, dialect);
    const elapsed = Date.now() - started;
    const expected = c.stderr[dialect];
    if (typeof expected === 'string') expect(err.stderr).toBe(expected);
    else expect(err.stderr).toMatch(expected);
    const work = lastYamlWork();
    // linear in the input: a few units per byte at most, plus yaml.v3's fixed alias allowance
    expect(work.total).toBeLessThanOrEqual(3 * Buffer.byteLength(c.input) + 5000);
    expect(work.total).toBe(work.chars + work.tokens + work.nodes);
    expect(elapsed).toBeLessThan(3000);
  });

  test('the ct command refuses a bomb and deep nesting the same way, with exit code 1', () => {
    for (const input of [mergeBomb(9), deepFlow(100000), deepBlock(100000)]) {
      const run = runCt(['--dialect', dialect], Buffer.from(input), '/');
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: yaml: (document contains excessive aliasing|exceeded max depth of 10000)\nFailed to parse config\n$/);
    }
  });

  test('10,000 levels of nesting and a merge chain within the limits still transpile', () => {
    expect(transpile(`x: ${'['.repeat(10000)}${']'.repeat(10000)}\n`, { dialect }).warnings).toHaveLength(1);
    const chained = transpile(mergeChain(200), { dialect }).ignition as { passwd: { users: { name: string }[] } };
    expect(chained.passwd.users).toHaveLength(301);
    expect(chained.passwd.users[300].name).toBe('core');
    expect(lastYamlWork().nodes).toBeGreaterThan(200 * 2);
  });
});

describe('the refusals are positioned in the diagnostics (never in the stderr, which is ct\'s)', () => {
  test.each(DIALECTS)('%s: excessive aliasing points at the alias in the document', (dialect) => {
    expect(failure(mergeBomb(9), dialect).diagnostics).toEqual([
      { severity: 'error', message: 'yaml: document contains excessive aliasing', line: 12, column: 11, path: 'passwd.users[0].<<' },
    ]);
    expect(failure(mergeChain(2000), dialect).diagnostics).toEqual([
      { severity: 'error', message: 'yaml: document contains excessive aliasing', line: 2304, column: 11, path: 'passwd.users[300].<<' },
    ]);
  });

  test.each(DIALECTS)('%s: nesting points at the level too many', (dialect) => {
    expect(failure(deepFlowInField(100000), dialect).diagnostics).toEqual([
      // go-yaml's own line (0-based in ct's v2 fork) is kept in the message, and left out of unplacedMessage
      { severity: 'error', message: 'yaml: line 2: exceeded max depth of 10000', unplacedMessage: 'yaml: exceeded max depth of 10000', line: 2, column: 10010, path: '' },
    ]);
    expect(failure(deepBlock(100000), dialect).diagnostics).toEqual([
      { severity: 'error', message: 'yaml: exceeded max depth of 10000', line: 1, column: 20001, path: '' },
    ]);
    // the value of the 501st nested merge key
    expect(failure(nestedInlineMerges(2000), dialect).diagnostics).toEqual([
      { severity: 'error', message: 'yaml: exceeded max depth of 500', line: 3, column: 7 + 5 * 501, path: 'passwd.users[0]' + '.<<'.repeat(501) },
    ]);
  });

  test.each(DIALECTS)('%s: the message says where too', (dialect) => {
    expect(failure(mergeBomb(9), dialect).message).toContain('<config>:12:11: error: yaml: document contains excessive aliasing (at passwd.users[0].<<)');
  });
});

describe('work counter', () => {
  test('counts characters, tokens and decoded nodes of the last transpile, aliases on each expansion', () => {
    transpile('passwd:\n  users:\n    - name: core\n');
    const plain = lastYamlWork();
    // the 33 characters, and the NUL libyaml reads at the end
    expect(plain.chars).toBe(34);
    expect(plain.tokens).toBeGreaterThan(10);
    expect(plain.nodes).toBeGreaterThan(4);
    transpile('x: &u {name: core}\npasswd:\n  users: [*u, *u, *u]\n');
    const aliased = lastYamlWork();
    // each alias: the alias node, the mapping, its key and value
    expect(aliased.nodes).toBeGreaterThanOrEqual(plain.nodes + 2 * 4);
  });

  test('a typed config starts its own count', () => {
    transpile(deepFlow(20));
    transpile({ passwd: { users: [{ name: 'core' }] } });
    expect(lastYamlWork().chars).toBe(0);
    expect(lastYamlWork().nodes).toBeGreaterThan(0);
  });

  test('a typed config refused before decoding reports no work of the text before it', () => {
    transpile(deepFlow(20));
    expect(() => transpile({ passwd: { users: [{ name: Symbol('s') }] } } as never)).toThrow('cannot represent a symbol');
    expect(lastYamlWork().total).toBe(0);
  });
});

describe('a syntax error\'s diagnostic', () => {
  test.each(DIALECTS)('%s: carries the 1-based place, and the message without go-yaml\'s own line', (dialect) => {
    const [diagnostic] = transpileFailure('passwd:\n  users:\n    - name: core\n   bad: [\n', { dialect }).diagnostics;
    expect(diagnostic.message).toMatch(/^yaml: line \d+: /);
    expect(diagnostic.unplacedMessage).toBe(diagnostic.message.replace(/^yaml: line \d+: /, 'yaml: '));
    expect(diagnostic.line).toBeGreaterThan(0);
    expect(diagnostic.column).toBeGreaterThan(0);
  });
});
