/** libyaml's parser (parserc.go): the LL(1) state machine turning tokens into events. */
import { type Mark, YamlSyntaxError, ZERO_MARK } from './errors';
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

/** Tokens after a block indicator that mean its node is empty. */
const BLOCK_ENTRY_STOPS: readonly TokenKind[] = [Tok.BlockEntry, Tok.BlockEnd];
const INDENTLESS_ENTRY_STOPS: readonly TokenKind[] = [Tok.BlockEntry, Tok.Key, Tok.Value, Tok.BlockEnd];
const BLOCK_MAPPING_STOPS: readonly TokenKind[] = [Tok.Key, Tok.Value, Tok.BlockEnd];

interface TagDirective {
  readonly handle: string;
  readonly prefix: string;
}

const DEFAULT_TAG_DIRECTIVES: readonly TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

function event(
  kind: EventKind,
  start: Mark,
  end: Mark,
  anchor = '',
  tag = '',
  value = '',
  implicit = false,
  style = 0,
  flow = false,
): YamlEvent {
  return { kind, start, end, anchor, tag, value, implicit, style, flow };
}

export class Parser {
  private state: State = S.StreamStart;
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: TagDirective[] = [];

  constructor(private readonly scanner: Scanner) {}

  /** The next event, or undefined once the stream has ended. */
  next(): YamlEvent | undefined {
    if (this.scanner.streamEndProduced || this.state === S.End) return undefined;
    return this.dispatch();
  }

  private error(problem: string, problemMark: Mark, context?: Mark): never {
    throw new YamlSyntaxError('parser', problem, problemMark, context ?? ZERO_MARK);
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

  private dispatch(): YamlEvent {
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

  private streamStart(): YamlEvent {
    const t = this.peek();
    if (t.kind !== Tok.StreamStart) this.error('did not find expected <stream-start>', t.start);
    this.state = S.ImplicitDocumentStart;
    this.skip();
    return event(Ev.StreamStart, t.start, t.end);
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
      return event(Ev.DocumentStart, t.start, t.end, '', '', '', true);
    }
    if (t.kind !== Tok.StreamEnd) {
      const start = t.start;
      this.processDirectives();
      t = this.peek();
      if (t.kind !== Tok.DocumentStart) this.error('did not find expected <document start>', t.start);
      this.states.push(S.DocumentEnd);
      this.state = S.DocumentContent;
      this.skip();
      return event(Ev.DocumentStart, start, t.end);
    }
    this.state = S.End;
    this.skip();
    return event(Ev.StreamEnd, t.start, t.end);
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
      return this.emptyScalar(t.start);
    }
    return this.node(true, false);
  }

  private documentEnd(): YamlEvent {
    const t = this.peek();
    const start = t.start;
    let end = t.start;
    let implicit = true;
    if (t.kind === Tok.DocumentEnd) {
      end = t.end;
      this.skip();
      implicit = false;
    }
    this.tagDirectives = [];
    this.state = S.DocumentStart;
    return event(Ev.DocumentEnd, start, end, '', '', '', implicit);
  }

  private node(block: boolean, indentlessSequence: boolean): YamlEvent {
    let t = this.peek();
    if (t.kind === Tok.Alias) {
      this.pop();
      this.skip();
      return event(Ev.Alias, t.start, t.end, t.value);
    }
    let start = t.start;
    let end = t.start;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let anchor = '';
    let tagMark = ZERO_MARK;
    if (t.kind === Tok.Anchor) {
      anchor = t.value;
      start = t.start;
      end = t.end;
      this.skip();
      t = this.peek();
      if (t.kind === Tok.Tag) {
        tagToken = true;
        tagHandle = t.value;
        tagSuffix = t.suffix;
        tagMark = t.start;
        end = t.end;
        this.skip();
        t = this.peek();
      }
    } else if (t.kind === Tok.Tag) {
      tagToken = true;
      tagHandle = t.value;
      tagSuffix = t.suffix;
      start = t.start;
      tagMark = t.start;
      end = t.end;
      this.skip();
      t = this.peek();
      if (t.kind === Tok.Anchor) {
        anchor = t.value;
        end = t.end;
        this.skip();
        t = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagHandle.length === 0) {
        tag = tagSuffix;
      } else {
        const d = this.tagDirectives.find((x) => x.handle === tagHandle);
        if (d) tag = d.prefix + tagSuffix;
        if (tag.length === 0) this.error('found undefined tag handle', tagMark, start);
      }
    }
    const implicit = tag.length === 0;
    if (indentlessSequence && t.kind === Tok.BlockEntry) {
      this.state = S.IndentlessSequenceEntry;
      return event(Ev.SequenceStart, start, t.end, anchor, tag, '', implicit);
    }
    if (t.kind === Tok.Scalar) {
      const plainImplicit = (tag.length === 0 && t.style === Style.Plain) || tag === '!';
      this.pop();
      this.skip();
      return event(Ev.Scalar, start, t.end, anchor, tag, t.value, plainImplicit, t.style);
    }
    if (t.kind === Tok.FlowSequenceStart) {
      this.state = S.FlowSequenceFirstEntry;
      return event(Ev.SequenceStart, start, t.end, anchor, tag, '', implicit, 0, true);
    }
    if (t.kind === Tok.FlowMappingStart) {
      this.state = S.FlowMappingFirstKey;
      return event(Ev.MappingStart, start, t.end, anchor, tag, '', implicit, 0, true);
    }
    if (block && t.kind === Tok.BlockSequenceStart) {
      this.state = S.BlockSequenceFirstEntry;
      return event(Ev.SequenceStart, start, t.end, anchor, tag, '', implicit);
    }
    if (block && t.kind === Tok.BlockMappingStart) {
      this.state = S.BlockMappingFirstKey;
      return event(Ev.MappingStart, start, t.end, anchor, tag, '', implicit);
    }
    if (anchor.length > 0 || tag.length > 0) {
      this.pop();
      return event(Ev.Scalar, start, end, anchor, tag, '', implicit, Style.Plain);
    }
    this.error('did not find expected node content', t.start, start);
  }

  private blockSequenceEntry(first: boolean): YamlEvent {
    this.enterCollection(first);
    const t = this.peek();
    if (t.kind === Tok.BlockEntry) return this.blockNodeAfterIndicator(BLOCK_ENTRY_STOPS, S.BlockSequenceEntry, false);
    if (t.kind === Tok.BlockEnd) return this.leaveCollection(t, Ev.SequenceEnd);
    const context = this.marks.pop() as Mark;
    this.error("did not find expected '-' indicator", t.start, context);
  }

  private indentlessSequenceEntry(): YamlEvent {
    const t = this.peek();
    if (t.kind === Tok.BlockEntry) return this.blockNodeAfterIndicator(INDENTLESS_ENTRY_STOPS, S.IndentlessSequenceEntry, false);
    this.pop();
    return event(Ev.SequenceEnd, t.start, t.start);
  }

  private blockMappingKey(first: boolean): YamlEvent {
    this.enterCollection(first);
    const t = this.peek();
    if (t.kind === Tok.Key) return this.blockNodeAfterIndicator(BLOCK_MAPPING_STOPS, S.BlockMappingValue, true);
    if (t.kind === Tok.BlockEnd) return this.leaveCollection(t, Ev.MappingEnd);
    const context = this.marks.pop() as Mark;
    this.error('did not find expected key', t.start, context);
  }

  private blockMappingValue(): YamlEvent {
    const t = this.peek();
    if (t.kind === Tok.Value) return this.blockNodeAfterIndicator(BLOCK_MAPPING_STOPS, S.BlockMappingKey, true);
    this.state = S.BlockMappingKey;
    return this.emptyScalar(t.start);
  }

  /**
   * Skips the indicator (`-`, `?` or `:`) just peeked, then parses the node after it, or gives an
   * empty scalar at the indicator's end when one of `stops` follows; `next` is the state after.
   */
  private blockNodeAfterIndicator(stops: readonly TokenKind[], next: State, indentlessSequence: boolean): YamlEvent {
    const mark = this.peek().end;
    this.skip();
    if (!stops.includes(this.peek().kind)) {
      this.states.push(next);
      return this.node(true, indentlessSequence);
    }
    this.state = next;
    return this.emptyScalar(mark);
  }

  /** The collection start token is skipped once, remembering where the collection began. */
  private enterCollection(first: boolean): void {
    if (!first) return;
    this.marks.push(this.peek().start);
    this.skip();
  }

  private leaveCollection(t: Token, kind: EventKind): YamlEvent {
    this.pop();
    this.marks.pop();
    this.skip();
    return event(kind, t.start, t.end);
  }

  /** Between flow entries a `,` is required; returns the token after it. */
  private flowEntrySeparator(first: boolean, missing: string): Token {
    const t = this.peek();
    if (first) return t;
    if (t.kind !== Tok.FlowEntry) {
      const context = this.marks.pop() as Mark;
      this.error(missing, t.start, context);
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
        return event(Ev.MappingStart, t.start, t.end, '', '', '', true, 0, true);
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
    const mark = t.end;
    this.skip();
    this.state = S.FlowSequenceEntryMappingValue;
    return this.emptyScalar(mark);
  }

  private flowSequenceEntryMappingValue(): YamlEvent {
    return this.flowValue(Tok.FlowSequenceEnd, S.FlowSequenceEntryMappingEnd);
  }

  private flowSequenceEntryMappingEnd(): YamlEvent {
    const t = this.peek();
    this.state = S.FlowSequenceEntry;
    return event(Ev.MappingEnd, t.start, t.start);
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
        return this.emptyScalar(t.start);
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
      return this.emptyScalar(this.peek().start);
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
    return this.emptyScalar(t.start);
  }

  private emptyScalar(mark: Mark): YamlEvent {
    return event(Ev.Scalar, mark, mark, '', '', '', true, Style.Plain);
  }

  private processDirectives(): void {
    let t = this.peek();
    let sawVersion = false;
    while (t.kind === Tok.VersionDirective || t.kind === Tok.TagDirective) {
      if (t.kind === Tok.VersionDirective) {
        if (sawVersion) this.error('found duplicate %YAML directive', t.start);
        if (t.major !== 1 || t.minor !== 1) this.error('found incompatible YAML document', t.start);
        sawVersion = true;
      } else {
        if (this.tagDirectives.some((d) => d.handle === t.value)) this.error('found duplicate %TAG directive', t.start);
        this.tagDirectives.push({ handle: t.value, prefix: t.suffix });
      }
      this.skip();
      t = this.peek();
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) {
      if (!this.tagDirectives.some((x) => x.handle === d.handle)) this.tagDirectives.push(d);
    }
  }
}
