/**
 * What one CLC section file declares about itself. `translators.ts` lists the descriptors in
 * ct's converter order; the config's field list, the `ContainerLinuxConfig` type and the
 * capability set are all derived from that one list, so a new section is its file plus one line.
 */
import type { Dialect, Translator } from './convert';
import type { Report } from './diagnostics';
import type { FieldDef, GoStruct } from './schema';

/** Features a config or a command line may need; the conformance runner marks vectors needing others pending. */
export type Capability = 'docker' | 'etcd' | 'flannel' | 'update' | 'locksmith' | 'platform' | 'files-dir';

/** A top-level field of ct's `types.Config` that a section owns. */
export interface ConfigFieldDescriptor {
  /** The YAML key; must equal `def(dialect).key` and the key of the section's config type. */
  readonly key: string;
  /**
   * Where ct declares the field in `types.Config` (`config/types/config.go`; docs/ct.md §10.6).
   * Decoding and validation follow this order, which differs from the converter order.
   */
  readonly index: number;
  /** The field's Go definition for a dialect; undefined when the dialect has no such field. */
  readonly def: (dialect: Dialect) => FieldDef | undefined;
  /** `types.Config`'s `Validate<Name>()` hook for this field, if it has one. */
  readonly validate?: (config: GoStruct) => Report;
}

/**
 * One CLC section. `C` is the section's part of `ContainerLinuxConfig` (an interface with the
 * documented top-level key), or `{}` for sections nested under another one.
 */
export interface SectionDescriptor<C extends object = object> {
  /** ct's source file for the section; named in wiring errors. */
  readonly source: string;
  /** The top-level config field, for sections that own one. */
  readonly configField?: ConfigFieldDescriptor;
  /** The converter; runs at the section's place in the list. */
  readonly translate?: Translator;
  /** What the conformance runner may exercise once this section is wired. */
  readonly capability?: Capability;
  /** Type-only: carries `C` for `ContainerLinuxConfig`; never set. */
  readonly configType?: C;
}

/** The config type a descriptor contributes. */
export type SectionConfigOf<D> = D extends SectionDescriptor<infer C> ? C : never;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The typed config of a list of descriptors: the intersection of each section's config type. */
export type ConfigOfSections<L extends readonly SectionDescriptor<object>[]> = UnionToIntersection<SectionConfigOf<L[number]>>;
