/**
 * A config is user input read at synth time: a CoreOSInstance given a merge-key bomb or absurd
 * nesting fails promptly with the transpiler's refusal, placed in the config (issue 11, cause G).
 */
import { construct } from './synth-helpers';

function mergeBomb(width: number): string {
  let s = 'a0: &a0 {name: core}\n';
  for (let i = 1; i < width; i++) s += `a${i}: &a${i} {<<: [${Array(width).fill(`*a${i - 1}`).join(', ')}]}\n`;
  return `${s}passwd:\n  users:\n    - <<: *a${width - 1}\n`;
}

function refusal(config: string): { message: string; elapsed: number } {
  const started = Date.now();
  try {
    construct({ config });
  } catch (error) {
    return { message: (error as Error).message, elapsed: Date.now() - started };
  }
  throw new Error('expected the construct to refuse its config');
}

describe('CoreOSInstance with hostile YAML', () => {
  test('a 9x9 merge-key bomb is refused promptly, at the alias that sets it off', () => {
    const { message, elapsed } = refusal(mergeBomb(9));
    expect(message).toBe(
      'CoreOSInstance stack/vm: inline config:12:11: error: yaml: document contains excessive aliasing (at passwd.users[0].<<)',
    );
    expect(elapsed).toBeLessThan(3000);
  });

  test.each([
    ['flow', `storage:\n  files: ${'['.repeat(100000)}${']'.repeat(100000)}\n`, 'inline config:2:10010: error: yaml: exceeded max depth of 10000'],
    ['block', `passwd:\n  users:\n    - ${'- '.repeat(100000)}x\n`, 'inline config:3:20001: error: yaml: exceeded max depth of 10000'],
  ])('%s nesting 100,000 deep is refused promptly, where the limit is crossed', (_kind, config, expected) => {
    const { message, elapsed } = refusal(config);
    expect(message).toBe(`CoreOSInstance stack/vm: ${expected}`);
    expect(elapsed).toBeLessThan(3000);
  });
});
