import { formatEntry } from '../../transpiler/butane/report';
import { butaneConfigSchema, butaneConfigType } from '../../transpiler/butane/schema/variants';
import { unusedKeys } from '../../transpiler/butane/unused-keys';
import type { GoType } from '../../transpiler/schema';
import { decode, parseDocument, YamlError } from '../../transpiler/yaml';
import { dispatchText, read, vectorNames } from './vector-files';


/** The vectors that get past dispatch, with the Go type their document decodes into. */
const decodable = vectorNames.flatMap((name) => {
  const input = read(name, 'input.bu');
  const routed = dispatchText(input);
  if (!routed.ok) return [];
  const type = butaneConfigType(routed.spec.variant, routed.spec.version) as GoType;
  return [{ name, input, type, stderr: read(name, 'stderr.txt') }];
});

/** Butane prints a decode error raw after `Error translating config: ` (it may span lines). */
function decodeError(stderr: string): string | undefined {
  const prefix = 'Error translating config: yaml: ';
  const at = stderr.indexOf(prefix);
  return at === 0 ? stderr.slice('Error translating config: '.length).replace(/\n$/, '') : undefined;
}

const isUnusedKeyLine = (line: string): boolean => /^warning at \S+, line \d+ col \d+: (Unused key |context tree does not match)/.test(line);

describe('butane YAML schema: decoding every vector', () => {
  it('covers the vectors that pass dispatch, decode errors included', () => {
    expect(decodable.length).toBeGreaterThan(80);
    expect(decodable.filter((v) => decodeError(v.stderr) !== undefined).map((v) => v.name)).toEqual([
      'err-wrong-type-bool',
      'err-wrong-type-mode-string',
      'err-yaml-duplicate-nested-key',
    ]);
  });

  it.each(decodable.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const expected = decodeError(v.stderr);
    const doc = parseDocument(v.input, 'v3');
    let value: unknown;
    try {
      value = decode(doc, v.type, 'v3');
    } catch (err) {
      if (!(err instanceof YamlError)) throw err;
      expect(err.message).toBe(expected);
      return;
    }
    expect(expected).toBeUndefined();
    const produced = unusedKeys(value, v.type, doc).map(formatEntry);
    expect(produced).toEqual(v.stderr.split('\n').filter(isUnusedKeyLine));
  });
});

describe('butane YAML schema: Go type names in decode errors', () => {
  const decodeText = (variant: string, version: string, body: string): unknown =>
    decode(parseDocument(`variant: ${variant}\nversion: ${version}\n${body}`, 'v3'), butaneConfigType(variant, version) as GoType, 'v3');
  const errorOf = (variant: string, version: string, body: string): string => {
    try {
      decodeText(variant, version, body);
    } catch (err) {
      return (err as Error).message;
    }
    return '';
  };

  it('names the base package of each spec (docs/butane.md §1 step 3)', () => {
    expect(errorOf('flatcar', '1.0.0', 'storage: 5\n')).toBe('yaml: unmarshal errors:\n  line 3: cannot unmarshal !!int `5` into v0_4.Storage');
    expect(errorOf('fcos', '1.5.0', 'storage: x\n')).toBe('yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `x` into v0_5.Storage');
    expect(errorOf('flatcar', '1.0.0', 'passwd:\n  users: 5\n')).toBe(
      'yaml: unmarshal errors:\n  line 4: cannot unmarshal !!int `5` into []v0_4.PasswdUser',
    );
    expect(errorOf('fcos', '1.6.0', 'boot_device: []\n')).toBe('yaml: unmarshal errors:\n  line 3: cannot unmarshal !!seq into v1_6.BootDevice');
  });

  it('flattens the inline base config: the variant keys sit beside the base keys', () => {
    const fields = (variant: string, version: string): string[] =>
      butaneConfigSchema(variant, version)?.config.fields.map((f) => f.key) ?? [];
    const base = ['version', 'variant', 'ignition', 'kernel_arguments', 'passwd', 'storage', 'systemd'];
    expect(fields('flatcar', '1.0.0')).toEqual(base);
    expect(fields('flatcar', '1.1.0')).toEqual(base);
    expect(fields('fcos', '1.4.0')).toEqual([...base, 'boot_device']);
    expect(fields('fcos', '1.5.0')).toEqual([...base, 'boot_device', 'grub']);
    expect(fields('fcos', '1.6.0')).toEqual([...base, 'boot_device', 'grub']);
    expect(butaneConfigSchema('flatcar', '1.2.0-experimental')).toBeUndefined();
  });
});
