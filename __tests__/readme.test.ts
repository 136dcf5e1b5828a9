/** Every CLC example in the README transpiles cleanly, so the front door stays true. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transpile } from '../transpiler';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const yamlExamples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has CLC examples', () => {
  expect(yamlExamples.length).toBeGreaterThanOrEqual(9);
});

describe.each(['coreos', 'flatcar'] as const)('README examples, %s dialect', (dialect) => {
  test.each(yamlExamples.map((text) => [text.split('\n')[0], text]))('%s', (_first, text) => {
    const result = transpile(text, { platform: 'gce', dialect });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.json).ignition.version).toBe(dialect === 'coreos' ? '2.2.0' : '2.3.0');
  });
});
