/** Token and event vocabulary shared by the scanner and the parser (yamlh.go). */

export const Tok = {
  StreamStart: 1,
  StreamEnd: 2,
  VersionDirective: 3,
  TagDirective: 4,
  DocumentStart: 5,
  DocumentEnd: 6,
  BlockSequenceStart: 7,
  BlockMappingStart: 8,
  BlockEnd: 9,
  FlowSequenceStart: 10,
  FlowSequenceEnd: 11,
  FlowMappingStart: 12,
  FlowMappingEnd: 13,
  BlockEntry: 14,
  FlowEntry: 15,
  Key: 16,
  Value: 17,
  Alias: 18,
  Anchor: 19,
  Tag: 20,
  Scalar: 21,
} as const;
export type TokenKind = (typeof Tok)[keyof typeof Tok];

/** Scalar styles as the scanner reports them. */
export const Style = { Plain: 1, Single: 2, Double: 3, Literal: 4, Folded: 5 } as const;

/**
 * A token, at the 0-based line and column where it starts. Of libyaml's marks nothing else is
 * read: the end of a token only matters for one-character indicators (see the parser).
 */
export interface Token {
  readonly kind: TokenKind;
  readonly line: number;
  readonly column: number;
  /** Scalar text, anchor/alias name, tag handle, %TAG handle, or %YAML version as `major.minor`. */
  readonly value: string;
  /** Tag suffix or %TAG prefix. */
  readonly suffix: string;
  readonly style: number;
}

// A factory returning one literal shape: cheaper than a class with fields while the code is cold.
export function token(kind: TokenKind, line: number, column: number, value = '', suffix = '', style = 0): Token {
  return { kind, line, column, value, suffix, style };
}

export const Ev = {
  StreamStart: 1,
  StreamEnd: 2,
  DocumentStart: 3,
  DocumentEnd: 4,
  Alias: 5,
  Scalar: 6,
  SequenceStart: 7,
  SequenceEnd: 8,
  MappingStart: 9,
  MappingEnd: 10,
} as const;
export type EventKind = (typeof Ev)[keyof typeof Ev];

/**
 * A parser event. The parser fills one object in place, as libyaml fills the caller's
 * `yaml_event_t`, so it is valid until the next event. Only what the composer reads is kept:
 * the start position, not the end mark or `implicit`.
 */
export interface YamlEvent {
  kind: EventKind;
  line: number;
  column: number;
  anchor: string;
  /** Tag after handle expansion (`tag:yaml.org,2002:str`, `!foo`, `!`); '' when none. */
  tag: string;
  value: string;
  style: number;
  /** Collections: flow style. */
  flow: boolean;
}
