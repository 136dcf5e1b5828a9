/** The YAML-level failures of the ct corpus: `error: yaml: ...` lines must match both builds exactly. */
import * as fs from 'fs';
import * as path from 'path';
import { decode, parseDocument, type YamlFlavor } from '../../transpiler/yaml';
import { configType } from './fixtures';

const root = path.join(__dirname, '..', 'conformance', 'ct');
const vectors = fs
  .readdirSync(root)
  .filter((d) => fs.existsSync(path.join(root, d, 'input.yaml')))
  .sort();

const builds: [YamlFlavor, string][] = [
  ['v2', 'stderr.txt'],
  ['v3', 'stderr.flatcar.txt'],
];

/** What ct prints for a YAML decode failure: `error: <err.Error()>`, before `Failed to parse config`. */
function yamlError(stderr: string): string | undefined {
  const end = stderr.indexOf('\nFailed to parse config');
  if (!stderr.startsWith('error: ') || end < 0) return undefined;
  const message = stderr.slice('error: '.length, end);
  return message.startsWith('yaml: ') || message.includes('dotted-tri') ? message : undefined;
}

function run(input: Buffer, flavor: YamlFlavor): string | undefined {
  try {
    decode(parseDocument(input, flavor), configType(flavor), flavor);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe.each(builds)('ct corpus, %s', (flavor, stderrFile) => {
  const cases = vectors.map((v) => {
    const stderr = fs.readFileSync(path.join(root, v, stderrFile), 'utf8');
    return [v, yamlError(stderr)] as const;
  });

  test.each(cases.filter(([, e]) => e !== undefined))('%s fails with the same YAML error', (v, expected) => {
    expect(run(fs.readFileSync(path.join(root, v, 'input.yaml')), flavor)).toBe(expected);
  });

  test.each(cases.filter(([, e]) => e === undefined))('%s has no YAML error', (v) => {
    expect(run(fs.readFileSync(path.join(root, v, 'input.yaml')), flavor)).toBeUndefined();
  });
});

test('comments-only and empty input hold no document ("Configuration is empty")', () => {
  for (const flavor of ['v2', 'v3'] as const) {
    expect(parseDocument(fs.readFileSync(path.join(root, 'comments-only', 'input.yaml')), flavor)).toBeUndefined();
    expect(parseDocument('', flavor)).toBeUndefined();
    expect(parseDocument(new Uint8Array(0), flavor)).toBeUndefined();
  }
});
