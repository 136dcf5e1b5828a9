/** CLC `docker` -> the `docker.service` drop-in (ct's `config/types/docker.go`; docs/ct.md §5.11). */
import type { GeneratedDropin } from '../api';
import type { Translator } from '../convert';
import { Report } from '../diagnostics';
import { field, ptr, slice, str, struct, type FieldDef, type GoStruct, type StructDef } from '../schema';
import { appendTo } from './common';
import { generatedUnit } from './templating';
import type { SectionDescriptor } from '../section';

/** Typed form of the CLC `docker` section. */
export interface DockerConfig {
  /** Daemon flags, joined with single spaces into DOCKER_OPTS without any quoting. */
  readonly flags?: readonly string[];
}

const dockerDef: StructDef = {
  goName: 'types.Docker',
  fields: [field('Flags', 'flags', slice(str))],
};

/** The top-level `docker` field (a pointer: `docker:` with a null value adds nothing). */
export const dockerField: FieldDef = field('Docker', 'docker', ptr(struct(dockerDef)));

/** The drop-in text; flags are not escaped, so embedded quotes stay raw (docs/ct.md §5.11). */
export function dockerDropin(flags: readonly string[] | null): string {
  return `[Service]\nEnvironment="DOCKER_OPTS=${(flags ?? []).join(' ')}"`;
}

/** What the docker section generates: its flags go into DOCKER_OPTS raw. */
export const DOCKER_GENERATED: GeneratedDropin = { kind: 'dropin', section: 'docker', unit: 'docker.service', dropin: '20-clct-docker.conf', values: 'raw' };

export const dockerTranslator: Translator = (config, _ast, out, ctx) => {
  const docker = config.docker as GoStruct | undefined | null;
  if (!docker) return new Report();
  appendTo(out.systemd, 'units', generatedUnit(DOCKER_GENERATED.unit, DOCKER_GENERATED.dropin, dockerDropin(docker.flags)));
  ctx.generated.push(DOCKER_GENERATED);
  return new Report();
};

/** The section's part of `ContainerLinuxConfig`. */
export interface DockerSectionConfig {
  /** docker.service daemon flags; `{}` still adds the unit. */
  readonly docker?: DockerConfig;
}

/** The docker section (ct's `config/types/docker.go`). */
export const dockerSection: SectionDescriptor<DockerSectionConfig> = {
  source: 'config/types/docker.go',
  configField: { key: 'docker', index: 9, def: () => dockerField },
  translate: dockerTranslator,
  capability: 'docker',
};
