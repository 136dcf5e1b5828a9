/** The section list in translators.ts is the one place a section is wired in (issue 12). */
import { AstNode } from '../../transpiler/ast';
import { Report } from '../../transpiler/diagnostics';
import { field, int, ptr, struct, type GoStruct } from '../../transpiler/schema';
import type { ConfigOfSections, SectionDescriptor } from '../../transpiler/section';
import type { ContainerLinuxConfig } from '../../transpiler/sections';
import { buildConfigDef, configDef } from '../../transpiler/sections/config';
import { capabilities, capabilitiesOf, sections, translators, translatorsOf } from '../../transpiler/translators';
import { validate } from '../../transpiler/validate';
import { decode, parseDocument } from '../../transpiler/yaml';

/** A throwaway section that exists only in this test. */
interface ExampleSectionConfig {
  /** An example section. */
  readonly example?: { readonly size?: number };
}

const exampleTranslator = (): Report => new Report();

const exampleSection: SectionDescriptor<ExampleSectionConfig> = {
  source: 'config/types/example.go',
  configField: {
    key: 'example',
    index: 11,
    def: () => field('Example', 'example', ptr(struct({ goName: 'types.Example', fields: [field('Size', 'size', int)] }))),
  },
  translate: exampleTranslator,
};

/** Parses, decodes and validates `yaml` against the config struct of `list`, as ct's Parse does. */
function parseWith(list: readonly SectionDescriptor[], yaml: string): { config: GoStruct; warnings: string[] } {
  const type = struct(buildConfigDef(list, 'coreos'));
  const doc = parseDocument(yaml, 'v2');
  const config = decode(doc, type, 'v2') as GoStruct;
  const report = validate(config, type, doc && AstNode.fromDocument(doc), true);
  return { config, warnings: report.entries.map((e) => e.message) };
}

describe('a new section is its file plus one line in the list', () => {
  const yaml = 'example:\n  size: 3\n';

  test('without the section its key is unknown', () => {
    expect(parseWith(sections, yaml).warnings).toEqual(['Config has unrecognized key: example']);
  });

  test('adding the descriptor to a copy of the list makes the schema accept the key', () => {
    const list = [...sections, exampleSection] as const;
    const { config, warnings } = parseWith(list, yaml);
    expect(warnings).toEqual([]);
    expect(config.example).toEqual({ size: 3 });
    expect(translatorsOf(list).at(-1)).toBe(exampleTranslator);
    // The typed config grows with the list, and still rejects what no section declares.
    const typed: ConfigOfSections<typeof list> = { example: { size: 3 }, etcd: { name: 'a' } };
    // @ts-expect-error -- `examples` is no section's key
    const typo: ConfigOfSections<typeof list> = { examples: {} };
    expect([typed, typo]).toHaveLength(2);
  });
});

describe('what the list derives', () => {
  test("the config's fields are in ct's types.Config order, not the converter order", () => {
    const upstream = ['ignition', 'storage', 'systemd', 'networkd', 'passwd', 'etcd', 'flannel', 'update', 'docker', 'locksmith'];
    expect(configDef('coreos').fields.map((f) => f.key)).toEqual(upstream);
    expect(configDef('flatcar').fields.map((f) => f.key)).toEqual(['version', ...upstream]);
    expect(configDef('coreos').fieldValidators).toBeUndefined();
    expect(Object.keys(configDef('flatcar').fieldValidators ?? {})).toEqual(['Version']);
  });

  test('converters and capabilities come from the same list', () => {
    expect(translators).toHaveLength(14);
    expect([...capabilities].sort()).toEqual(['docker', 'etcd', 'files-dir', 'flannel', 'locksmith', 'platform', 'update']);
    expect(capabilitiesOf([exampleSection]).size).toBe(0);
  });

  test('a key two sections claim is refused', () => {
    const twin: SectionDescriptor = { source: 'twin.go', configField: { ...exampleSection.configField!, index: 12 } };
    expect(() => buildConfigDef([exampleSection, twin], 'coreos')).toThrow('twin.go: another section owns the config key example');
  });

  test('ContainerLinuxConfig keeps every key typed', () => {
    const config: ContainerLinuxConfig = { etcd: { name: 'a' }, locksmith: { reboot_strategy: 'off' }, version: 0 };
    // @ts-expect-error -- a typo is a type error
    const typo: ContainerLinuxConfig = { paswd: {} };
    expect([config, typo]).toHaveLength(2);
  });
});
