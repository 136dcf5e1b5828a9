/** Hostile Butane input gets a prompt refusal with yaml.v3's own message, never a hang or a crash. */
import { translateButane } from '../../transpiler/butane/transpile';

const HEAD = 'variant: flatcar\nversion: 1.0.0\n';

/** Merge keys 9 wide and 9 deep: 9^8 merges once expanded (the shape of bounded-work.test.ts's). */
function mergeBomb(): string {
  let text = HEAD + 'a0: &a0 {name: core}\n';
  for (let i = 1; i < 9; i++) text += `a${i}: &a${i} {<<: [${Array(9).fill(`*a${i - 1}`).join(', ')}]}\n`;
  return `${text}passwd:\n  users:\n    - <<: *a8\n`;
}

describe('hostile input', () => {
  test('a merge-key bomb in a field Butane decodes is refused as yaml.v3 refuses it', () => {
    expect(translateButane(mergeBomb()).error).toBe('yaml: document contains excessive aliasing');
  });

  test('nesting past 10,000 levels is refused in the first pass', () => {
    expect(translateButane(HEAD + 'storage: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n').error).toBe('Error unmarshaling yaml: yaml: line 3: exceeded max depth of 10000');
  });

  test('a 2 MB inline file is encoded (gzip) without trouble', () => {
    const outcome = translateButane(HEAD + 'storage:\n  files:\n    - path: /x\n      contents:\n        inline: "' + 'abcdefghij'.repeat(200_000) + '"\n');
    expect(outcome.error).toBeUndefined();
    expect(outcome.json).toMatch(/"compression":"gzip","source":"data:;base64,H4sI/);
  });
});
