/**
 * Builds the node tree of the first document, as go-yaml's `parser.parse()` does for `Unmarshal`.
 * Later documents are never built; v2 still reads one event past the first document (its parser
 * pre-fetches), so a syntax error right at the start of the second document fails in v2 only.
 */
import { failf, type YamlFlavor, YamlSyntaxError } from './errors';
import type { ScalarStyle, YamlKind, YamlNode } from './node';
import { Parser } from './parser';
import { readSource } from './reader';
import { plainTag, shortTag } from './resolve';
import { Scanner } from './scanner';
import { Ev, Style, type YamlEvent } from './tokens';
import { startYamlWork, yamlWork } from './work';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type BuildNode = Mutable<YamlNode> & { children: BuildNode[] };

/** Scanner style numbers (0 for collections) to names. */
const STYLES: readonly ScalarStyle[] = ['plain', 'plain', 'single', 'double', 'literal', 'folded'];

/** The children of every scalar and alias: they never get any, so they share one empty list. */
const NO_CHILDREN: BuildNode[] = [];
Object.freeze(NO_CHILDREN);

function newNode(kind: YamlKind, ev: YamlEvent, tag: string, value = ''): BuildNode {
  const n: BuildNode = {
    kind,
    line: ev.line,
    column: ev.column,
    tag,
    value,
    style: STYLES[ev.style],
    flow: ev.flow,
    anchor: ev.anchor,
    // Every node gets the same fields, in the same order, so they share one hidden class.
    alias: undefined,
    children: kind === 'scalar' || kind === 'alias' ? NO_CHILDREN : [],
    explicitTag: ev.tag !== '' ? ev.tag : undefined,
  };
  return n;
}

function scalarTag(ev: YamlEvent, flavor: YamlFlavor): string {
  if (ev.tag !== '' && ev.tag !== '!') return shortTag(ev.tag);
  if (ev.style !== Style.Plain) return '!!str';
  return plainTag(ev.value, flavor);
}

function collectionTag(ev: YamlEvent, fallback: string): string {
  return ev.tag !== '' && ev.tag !== '!' ? shortTag(ev.tag) : fallback;
}

class Composer {
  private readonly anchors = new Map<string, BuildNode>();
  private readonly aliases: BuildNode[] = [];

  constructor(
    private readonly parser: Parser,
    private readonly flavor: YamlFlavor,
  ) {}

  private register(n: BuildNode): void {
    if (n.anchor !== '') this.anchors.set(n.anchor, n);
  }

  firstDocument(): YamlNode | undefined {
    this.parser.next(); // STREAM-START
    const start = this.parser.next() as YamlEvent;
    if (start.kind === Ev.StreamEnd) return undefined;
    const doc = newNode('document', start, '');
    doc.children.push(this.root());
    this.parser.next(); // DOCUMENT-END
    if (this.flavor === 'v2') {
      this.parser.next();
      // The fork looks aliases up when decoding, so the last anchor of that name wins.
      for (let i = 0; i < this.aliases.length; i++) {
        const a = this.aliases[i];
        const target = this.anchors.get(a.value);
        if (target) {
          a.alias = target;
          a.tag = target.tag;
        }
      }
    }
    return doc;
  }

  private root(): BuildNode {
    const stack: BuildNode[] = [];
    let root: BuildNode | undefined;
    do {
      const ev = this.parser.next() as YamlEvent;
      let n: BuildNode;
      switch (ev.kind) {
        case Ev.Scalar: {
          n = newNode('scalar', ev, scalarTag(ev, this.flavor), ev.value);
          this.register(n);
          break;
        }
        case Ev.Alias: {
          n = newNode('alias', ev, '', ev.anchor);
          n.anchor = '';
          if (this.flavor === 'v3') {
            const target = this.anchors.get(ev.anchor);
            if (!target) failf(`unknown anchor '${ev.anchor}' referenced`);
            n.alias = target;
            n.tag = target.tag;
          } else {
            this.aliases.push(n);
          }
          break;
        }
        case Ev.SequenceStart:
        case Ev.MappingStart: {
          const seq = ev.kind === Ev.SequenceStart;
          n = newNode(seq ? 'sequence' : 'mapping', ev, collectionTag(ev, seq ? '!!seq' : '!!map'));
          this.register(n);
          break;
        }
        default:
          stack.pop();
          continue;
      }
      if (stack.length === 0) root = n;
      else stack[stack.length - 1].children.push(n);
      if (n.kind === 'sequence' || n.kind === 'mapping') stack.push(n);
    } while (stack.length > 0);
    return root as BuildNode;
  }
}

/** The document node of the first document, or undefined when the stream holds none. */
export function parseFirstDocument(input: string | Uint8Array, flavor: YamlFlavor): YamlNode | undefined {
  startYamlWork();
  let scanner: Scanner | undefined;
  try {
    scanner = new Scanner(readSource(input), flavor);
    return new Composer(new Parser(scanner), flavor).firstDocument();
  } catch (e) {
    if (e instanceof YamlSyntaxError) throw e.toYamlError(flavor);
    throw e;
  } finally {
    if (scanner) {
      yamlWork.chars += scanner.charsRead;
      yamlWork.tokens += scanner.tokensRead;
    }
  }
}
