/** libyaml's parser (parserc.go): the LL(1) state machine turning tokens into events. */
import { YamlSyntaxError } from './errors';
import type { Scanner } from './scanner';
import { Ev, type EventKind, Style, Tok, type Token, type TokenKind, type YamlEvent } from './tokens';

const S = {
  StreamStart: 0,
  ImplicitDocumentStart: 1,
  DocumentStart: 2,
  DocumentContent: 3,
  DocumentEnd: 4,
  BlockNode: 5,
  BlockNodeOrIndentlessSequence: 6,
  FlowNode: 7,
  BlockSequenceFirstEntry: 8,
  BlockSequenceEntry: 9,
  IndentlessSequenceEntry: 10,
  BlockMappingFirstKey: 11,
  BlockMappingKey: 12,
  BlockMappingValue: 13,
  FlowSequenceFirstEntry: 14,
  FlowSequenceEntry: 15,
  FlowSequenceEntryMappingKey: 16,
  FlowSequenceEntryMappingValue: 17,
  FlowSequenceEntryMappingEnd: 18,
  FlowMappingFirstKey: 19,
  FlowMappingKey: 20,
  FlowMappingValue: 21,
  FlowMappingEmptyValue: 22,
  End: 23,
} as const;
type State = (typeof S)[keyof typeof S];

/** Tokens after a block indicator that mean its node is empty, as bit sets of token kinds. */
const BLOCK_ENTRY_STOPS = (1 << Tok.BlockEntry) | (1 << Tok.BlockEnd);
const INDENTLESS_ENTRY_STOPS = (1 << Tok.BlockEntry) | (1 << Tok.Key) | (1 << Tok.Value) | (1 << Tok.BlockEnd);
const BLOCK_MAPPING_STOPS = (1 << Tok.Key) | (1 << Tok.Value) | (1 << Tok.BlockEnd);

interface TagDirective {
  readonly handle: string;
  readonly prefix: string;
}

const DEFAULT_TAG_DIRECTIVES: readonly TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

export class Parser {
  private state: State = S.StreamStart;
  private readonly states: State[] = [];
  /** Lines where the open collections began: the context line of their errors. */
  private readonly marks: number[] = [];
  private tagDirectives: TagDirective[] = [];
  private readonly event: YamlEvent = { kind: Ev.StreamStart, line: 0, column: 0, anchor: '', tag: '', value: '', style: 0, flow: false };

  constructor(private readonly scanner: Scanner) {}

  /** The next event (the same object, refilled), or undefined once the stream has ended. */
  next(): YamlEvent | undefined {
    if (this.scanner.streamEndProduced || this.state === S.End) return undefined;
    switch (this.state) {
      case S.StreamStart:
        return this.streamStart();
      case S.ImplicitDocumentStart:
        return this.documentStart(true);
      case S.DocumentStart:
        return this.documentStart(false);
      case S.DocumentContent:
        return this.documentContent();
      case S.DocumentEnd:
        return this.documentEnd();
      case S.BlockNode:
        return this.node(true, false);
      case S.BlockNodeOrIndentlessSequence:
        return this.node(true, true);
      case S.FlowNode:
        return this.node(false, false);
      case S.BlockSequenceFirstEntry:
        return this.blockSequenceEntry(true);
      case S.BlockSequenceEntry:
        return this.blockSequenceEntry(false);
      case S.IndentlessSequenceEntry:
        return this.indentlessSequenceEntry();
      case S.BlockMappingFirstKey:
        return this.blockMappingKey(true);
      case S.BlockMappingKey:
        return this.blockMappingKey(false);
      case S.BlockMappingValue:
        return this.blockMappingValue();
      case S.FlowSequenceFirstEntry:
        return this.flowSequenceEntry(true);
      case S.FlowSequenceEntry:
        return this.flowSequenceEntry(false);
      case S.FlowSequenceEntryMappingKey:
        return this.flowSequenceEntryMappingKey();
      case S.FlowSequenceEntryMappingValue:
        return this.flowSequenceEntryMappingValue();
      case S.FlowSequenceEntryMappingEnd:
        return this.flowSequenceEntryMappingEnd();
      case S.FlowMappingFirstKey:
        return this.flowMappingKey(true);
      case S.FlowMappingKey:
        return this.flowMappingKey(false);
      case S.FlowMappingValue:
        return this.flowMappingValue(false);
      case S.FlowMappingEmptyValue:
        return this.flowMappingValue(true);
      default:
        throw new Error('invalid parser state');
    }
  }

  private emit(kind: EventKind, line: number, column: number, anchor = '', tag = '', value = '', style = 0, flow = false): YamlEvent {
    const ev = this.event;
    ev.kind = kind;
    ev.line = line;
    ev.column = column;
    ev.anchor = anchor;
    ev.tag = tag;
    ev.value = value;
    ev.style = style;
    ev.flow = flow;
    return ev;
  }

  private error(problem: string, problemLine: number, contextLine = 0, problemColumn = -1): never {
    throw new YamlSyntaxError('parser', problem, problemLine, contextLine, problemColumn);
  }

  private peek(): Token {
    return this.scanner.peekToken();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private pop(): void {
    this.state = this.states.pop() as State;
  }

  private streamStart(): YamlEvent {
    const t = this.peek();
    if (t.kind !== Tok.StreamStart) this.error('did not find expected <stream-start>', t.line, 0, t.column);
    this.state = S.ImplicitDocumentStart;
    this.skip();
    return this.emit(Ev.StreamStart, t.line, t.column);
  }

  private documentStart(implicit: boolean): YamlEvent {
    let t = this.peek();
    if (!implicit) {
      while (t.kind === Tok.DocumentEnd) {
        this.skip();
        t = this.peek();
      }
    }
    if (
      implicit &&
      t.kind !== Tok.VersionDirective &&
      t.kind !== Tok.TagDirective &&
      t.kind !== Tok.DocumentStart &&
      t.kind !== Tok.StreamEnd
    ) {
      this.processDirectives();
      this.states.push(S.DocumentEnd);
      this.state = S.BlockNode;
      return this.emit(Ev.DocumentStart, t.line, t.column);
    }
    if (t.kind !== Tok.StreamEnd) {
      const line = t.line;
      const column = t.column;
      this.processDirectives();
      t = this.peek();
      if (t.kind !== Tok.DocumentStart) this.error('did not find expected <document start>', t.line, 0, t.column);
      this.states.push(S.DocumentEnd);
      this.state = S.DocumentContent;
      this.skip();
      return this.emit(Ev.DocumentStart, line, column);
    }
    this.state = S.End;
    this.skip();
    return this.emit(Ev.StreamEnd, t.line, t.column);
  }

  private documentContent(): YamlEvent {
    const t = this.peek();
    if (
      t.kind === Tok.VersionDirective ||
      t.kind === Tok.TagDirective ||
      t.kind === Tok.DocumentStart ||
      t.kind === Tok.DocumentEnd ||
      t.kind === Tok.StreamEnd
    ) {
      this.pop();
      return this.emptyScalar(t.line, t.column);
    }
    return this.node(true, false);
  }

  private documentEnd(): YamlEvent {
    const t = this.peek();
    if (t.kind === Tok.DocumentEnd) this.skip();
    this.tagDirectives = [];
    this.state = S.DocumentStart;
    return this.emit(Ev.DocumentEnd, t.line, t.column);
  }

  private node(block: boolean, indentlessSequence: boolean): YamlEvent {
    let t = this.peek();
    if (t.kind === Tok.Alias) {
      this.pop();
      this.skip();
      return this.emit(Ev.Alias, t.line, t.column, t.value);
    }
    const line = t.line;
    const column = t.column;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let anchor = '';
    let tagLine = 0;
    if (t.kind === Tok.Anchor) {
      anchor = t.value;
      this.skip();
      t = this.peek();
      if (t.kind === Tok.Tag) {
        tagToken = true;
        tagHandle = t.value;
        tagSuffix = t.suffix;
        tagLine = t.line;
        this.skip();
        t = this.peek();
      }
    } else if (t.kind === Tok.Tag) {
      tagToken = true;
      tagHandle = t.value;
      tagSuffix = t.suffix;
      tagLine = t.line;
      this.skip();
      t = this.peek();
      if (t.kind === Tok.Anchor) {
        anchor = t.value;
        this.skip();
        t = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagHandle.length === 0) {
        tag = tagSuffix;
      } else {
        const d = this.tagDirective(tagHandle);
        if (d) tag = d.prefix + tagSuffix;
        if (tag.length === 0) this.error('found undefined tag handle', tagLine, line);
      }
    }
    if (indentlessSequence && t.kind === Tok.BlockEntry) {
      this.state = S.IndentlessSequenceEntry;
      return this.emit(Ev.SequenceStart, line, column, anchor, tag);
    }
    if (t.kind === Tok.Scalar) {
      this.pop();
      this.skip();
      return this.emit(Ev.Scalar, line, column, anchor, tag, t.value, t.style);
    }
    if (t.kind === Tok.FlowSequenceStart) {
      this.state = S.FlowSequenceFirstEntry;
      return this.emit(Ev.SequenceStart, line, column, anchor, tag, '', 0, true);
    }
    if (t.kind === Tok.FlowMappingStart) {
      this.state = S.FlowMappingFirstKey;
      return this.emit(Ev.MappingStart, line, column, anchor, tag, '', 0, true);
    }
    if (block && t.kind === Tok.BlockSequenceStart) {
      this.state = S.BlockSequenceFirstEntry;
      return this.emit(Ev.SequenceStart, line, column, anchor, tag);
    }
    if (block && t.kind === Tok.BlockMappingStart) {
      this.state = S.BlockMappingFirstKey;
      return this.emit(Ev.MappingStart, line, column, anchor, tag);
    }
    if (anchor.length > 0 || tag.length > 0) {
      this.pop();
      return this.emit(Ev.Scalar, line, column, anchor, tag, '', Style.Plain);
    }
    this.error('did not find expected node content', t.line, line, t.column);
  }

  private blockSequenceEntry(first: boolean): YamlEvent {
    this.enterCollection(first);
    const t = this.peek();
    if (t.kind === Tok.BlockEntry) return this.blockNodeAfterIndicator(BLOCK_ENTRY_STOPS, S.BlockSequenceEntry, false);
    if (t.kind === Tok.BlockEnd) return this.leaveCollection(t, Ev.SequenceEnd);
    const context = this.marks.pop() as number;
    this.error("did not find expected '-' indicator", t.line, context, t.column);
  }

  private indentlessSequenceEntry(): YamlEvent {
    const t = this.peek();
    if (t.kind === Tok.BlockEntry) return this.blockNodeAfterIndicator(INDENTLESS_ENTRY_STOPS, S.IndentlessSequenceEntry, false);
    this.pop();
    return this.emit(Ev.SequenceEnd, t.line, t.column);
  }

  private blockMappingKey(first: boolean): YamlEvent {
    this.enterCollection(first);
    const t = this.peek();
    if (t.kind === Tok.Key) return this.blockNodeAfterIndicator(BLOCK_MAPPING_STOPS, S.BlockMappingValue, true);
    if (t.kind === Tok.BlockEnd) return this.leaveCollection(t, Ev.MappingEnd);
    const context = this.marks.pop() as number;
    this.error('did not find expected key', t.line, context, t.column);
  }

  private blockMappingValue(): YamlEvent {
    const t = this.peek();
    if (t.kind === Tok.Value) return this.blockNodeAfterIndicator(BLOCK_MAPPING_STOPS, S.BlockMappingKey, true);
    this.state = S.BlockMappingKey;
    return this.emptyScalar(t.line, t.column);
  }

  /**
   * Skips the indicator (`-`, `?` or `:`) just peeked, then parses the node after it, or gives an
   * empty scalar at the indicator's end when one of `stops` follows; `next` is the state after.
   * The end is one column on: a simple key's zero-width KEY is always followed by its content.
   */
  private blockNodeAfterIndicator(stops: number, next: State, indentlessSequence: boolean): YamlEvent {
    const indicator = this.peek();
    this.skip();
    if ((stops & (1 << this.peek().kind)) === 0) {
      this.states.push(next);
      return this.node(true, indentlessSequence);
    }
    this.state = next;
    return this.emptyScalar(indicator.line, indicator.column + 1);
  }

  /** The collection start token is skipped once, remembering where the collection began. */
  private enterCollection(first: boolean): void {
    if (!first) return;
    this.marks.push(this.peek().line);
    this.skip();
  }

  private leaveCollection(t: Token, kind: EventKind): YamlEvent {
    this.pop();
    this.marks.pop();
    this.skip();
    return this.emit(kind, t.line, t.column);
  }

  /** Between flow entries a `,` is required; returns the token after it. */
  private flowEntrySeparator(first: boolean, missing: string): Token {
    const t = this.peek();
    if (first) return t;
    if (t.kind !== Tok.FlowEntry) {
      const context = this.marks.pop() as number;
      this.error(missing, t.line, context, t.column);
    }
    this.skip();
    return this.peek();
  }

  private flowSequenceEntry(first: boolean): YamlEvent {
    this.enterCollection(first);
    let t = this.peek();
    if (t.kind !== Tok.FlowSequenceEnd) {
      t = this.flowEntrySeparator(first, "did not find expected ',' or ']'");
      if (t.kind === Tok.Key) {
        this.state = S.FlowSequenceEntryMappingKey;
        this.skip();
        return this.emit(Ev.MappingStart, t.line, t.column, '', '', '', 0, true);
      }
      if (t.kind !== Tok.FlowSequenceEnd) {
        this.states.push(S.FlowSequenceEntry);
        return this.node(false, false);
      }
    }
    return this.leaveCollection(t, Ev.SequenceEnd);
  }

  private flowSequenceEntryMappingKey(): YamlEvent {
    const t = this.peek();
    if (t.kind !== Tok.Value && t.kind !== Tok.FlowEntry && t.kind !== Tok.FlowSequenceEnd) {
      this.states.push(S.FlowSequenceEntryMappingValue);
      return this.node(false, false);
    }
    this.skip();
    this.state = S.FlowSequenceEntryMappingValue;
    return this.emptyScalar(t.line, t.column + 1);
  }

  private flowSequenceEntryMappingValue(): YamlEvent {
    return this.flowValue(Tok.FlowSequenceEnd, S.FlowSequenceEntryMappingEnd);
  }

  private flowSequenceEntryMappingEnd(): YamlEvent {
    const t = this.peek();
    this.state = S.FlowSequenceEntry;
    return this.emit(Ev.MappingEnd, t.line, t.column);
  }

  private flowMappingKey(first: boolean): YamlEvent {
    this.enterCollection(first);
    let t = this.peek();
    if (t.kind !== Tok.FlowMappingEnd) {
      t = this.flowEntrySeparator(first, "did not find expected ',' or '}'");
      if (t.kind === Tok.Key) {
        this.skip();
        t = this.peek();
        if (t.kind !== Tok.Value && t.kind !== Tok.FlowEntry && t.kind !== Tok.FlowMappingEnd) {
          this.states.push(S.FlowMappingValue);
          return this.node(false, false);
        }
        this.state = S.FlowMappingValue;
        return this.emptyScalar(t.line, t.column);
      }
      if (t.kind !== Tok.FlowMappingEnd) {
        this.states.push(S.FlowMappingEmptyValue);
        return this.node(false, false);
      }
    }
    return this.leaveCollection(t, Ev.MappingEnd);
  }

  private flowMappingValue(empty: boolean): YamlEvent {
    if (empty) {
      this.state = S.FlowMappingKey;
      const t = this.peek();
      return this.emptyScalar(t.line, t.column);
    }
    return this.flowValue(Tok.FlowMappingEnd, S.FlowMappingKey);
  }

  /** After `:` in a flow collection: the value node, or an empty scalar when `,` or `collectionEnd` follows. */
  private flowValue(collectionEnd: TokenKind, next: State): YamlEvent {
    let t = this.peek();
    if (t.kind === Tok.Value) {
      this.skip();
      t = this.peek();
      if (t.kind !== Tok.FlowEntry && t.kind !== collectionEnd) {
        this.states.push(next);
        return this.node(false, false);
      }
    }
    this.state = next;
    return this.emptyScalar(t.line, t.column);
  }

  private emptyScalar(line: number, column: number): YamlEvent {
    return this.emit(Ev.Scalar, line, column, '', '', '', Style.Plain);
  }

  private tagDirective(handle: string): TagDirective | undefined {
    const ds = this.tagDirectives;
    for (let i = 0; i < ds.length; i++) if (ds[i].handle === handle) return ds[i];
    return undefined;
  }

  private processDirectives(): void {
    let t = this.peek();
    let sawVersion = false;
    while (t.kind === Tok.VersionDirective || t.kind === Tok.TagDirective) {
      if (t.kind === Tok.VersionDirective) {
        if (sawVersion) this.error('found duplicate %YAML directive', t.line, 0, t.column);
        if (t.value !== '1.1') this.error('found incompatible YAML document', t.line, 0, t.column);
        sawVersion = true;
      } else {
        if (this.tagDirective(t.value)) this.error('found duplicate %TAG directive', t.line, 0, t.column);
        this.tagDirectives.push({ handle: t.value, prefix: t.suffix });
      }
      this.skip();
      t = this.peek();
    }
    for (let i = 0; i < DEFAULT_TAG_DIRECTIVES.length; i++) {
      const d = DEFAULT_TAG_DIRECTIVES[i];
      if (!this.tagDirective(d.handle)) this.tagDirectives.push(d);
    }
  }
}
