/** Token and event vocabulary shared by the scanner and the parser (yamlh.go). */
import type { Mark } from './errors';

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

export interface Token {
  readonly kind: TokenKind;
  readonly start: Mark;
  readonly end: Mark;
  /** Scalar text, anchor/alias name, tag handle or %TAG handle. */
  readonly value: string;
  /** Tag suffix or %TAG prefix. */
  readonly suffix: string;
  readonly style: number;
  readonly major: number;
  readonly minor: number;
}

export function token(kind: TokenKind, start: Mark, end: Mark, value = '', suffix = '', style = 0): Token {
  return { kind, start, end, value, suffix, style, major: 0, minor: 0 };
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

export interface YamlEvent {
  readonly kind: EventKind;
  readonly start: Mark;
  readonly end: Mark;
  readonly anchor: string;
  /** Tag after handle expansion (`tag:yaml.org,2002:str`, `!foo`, `!`); '' when none. */
  readonly tag: string;
  readonly value: string;
  /** Plain scalar without tag (or with the `!` tag): go-yaml's `implicit`. */
  readonly implicit: boolean;
  readonly style: number;
  /** Collections: flow style. */
  readonly flow: boolean;
}
