/**
 * Ignition's reflection walker (`config/validate/validate.go`, as vendored by ct v0.9.0 and Flatcar
 * ct v0.9.4), generic over the Go-type descriptors of schema.ts. ct runs it twice: on the decoded
 * CLC with unknown-key checking (phase 1), and on the Ignition output without it (phase 3).
 *
 * Neither vendored version checks duplicate list entries; that came later in Ignition.
 */
import type { AstNode } from './ast';
import { Report, type Diagnostic } from './diagnostics';
import { optionsDefOf, zeroValue, type GoStruct, type GoType, type StructDef } from './schema';

// ct's warning for a key the config's schema does not have, worded as ct words it.
const UNRECOGNIZED_KEY = 'Config has unrecognized key: ';

/** Whether `diagnostic` is ct's warning for an unknown key (a typo such as `paswd`). */
export function isUnrecognizedKey(diagnostic: Diagnostic): boolean {
  return diagnostic.unknownKey === true || (diagnostic.severity === 'warning' && diagnostic.message.startsWith(UNRECOGNIZED_KEY));
}

/**
 * Validates `value` (a Go-shaped value of `type`) against its YAML node. Order, as in Go: the
 * value's own `Validate()` (a fatal result stops descent), then each struct field's
 * `Validate<Field>()` and the field itself, then unknown keys. Entries without a position get the
 * nearest node that was found (docs/ct.md §10.5).
 */
export function validate(value: unknown, type: GoType, ast: AstNode | undefined, checkUnusedKeys: boolean): Report {
  const report = new Report();
  new Walker(report, checkUnusedKeys).walk(value, type, ast);
  return report;
}

/**
 * One walk, appending to one report. Go builds a report per value and merges it into its parent's
 * after `AddPosition(node)`; here a value's entries are the ones appended while walking it, and
 * are positioned in place, which gives the same entries in the same order.
 */
class Walker {
  constructor(
    private readonly report: Report,
    private readonly checkUnusedKeys: boolean,
  ) {}

  /** Validates `value` and gives its entries that have no position the position of `ast`. */
  walk(value: unknown, type: GoType, ast: AstNode | undefined): void {
    const from = this.report.entries.length;
    this.walkValue(value, type, ast);
    this.placeFrom(from, ast);
  }

  private walkValue(value: unknown, type: GoType, ast: AstNode | undefined): void {
    switch (type.kind) {
      case 'ptr':
        // A nil pointer is skipped; otherwise the element is validated at the same node.
        if (value !== undefined && value !== null) this.walkValue(value, type.elem, ast);
        return;
      case 'named':
        if (type.validate && this.mergeOwn(type.validate(value))) return;
        this.walkValue(value, type.elem, ast);
        return;
      case 'struct':
        this.walkStruct(withZeroFields(type.def, value), type.def, ast);
        return;
      case 'slice':
        if (!Array.isArray(value)) return;
        for (let i = 0; i < value.length; i++) this.walk(value[i], type.elem, ast?.sliceChild(i) ?? ast);
        return;
      default:
        return;
    }
  }

  /** Merges a `Validate()` result; true when it is fatal (stop descending). */
  private mergeOwn(own: Report): boolean {
    this.report.merge(own);
    return own.isFatal();
  }

  /** Ignition's `AddPosition` with a node's value position, for the entries from index `from` on. */
  private placeFrom(from: number, node: AstNode | undefined): void {
    if (!node || from === this.report.entries.length) return;
    const { line, column } = node.valuePosition;
    this.report.addPosition(line, column, node.path, from);
  }

  private walkStruct(obj: GoStruct, def: StructDef, ast: AstNode | undefined): void {
    if (def.validate && this.mergeOwn(def.validate(obj))) return;
    const keys = ast?.keyValueMap();
    const tags: string[] | undefined = keys && this.checkUnusedKeys ? [] : undefined;
    this.walkFields(def, obj, def, obj, keys, tags);

    // forEach, not for-of: no entry pair per key while this still runs unoptimised
    if (keys && tags) keys.forEach((node, key) => this.checkKnown(tags, key, node));
  }

  private checkKnown(tags: readonly string[], key: string, node: AstNode): void {
    if (tags.includes(key)) return;
    const { line, column } = node.keyPosition;
    this.report.add('warning', `${UNRECOGNIZED_KEY}${key}`, line, column, node.path);
    const typo = tags.find((tag) => equalFold(tag, key));
    if (typo !== undefined) this.report.add('info', `Did you mean ${typo} instead of ${key}`, line, column, node.path);
  }

  /**
   * Go's `getFields` walked in place: `def`'s fields of `values` in order, anonymous struct fields
   * flattened and the `embedded` options struct (ct's etcd/flannel) appended. Flattened fields keep
   * the outer struct's (`owner`, `obj`) `Validate<Field>` hooks, as Go's `MethodByName` on the outer
   * value would find them. `tags` collects the field keys when unknown keys are checked.
   */
  private walkFields(
    owner: StructDef,
    obj: GoStruct,
    def: StructDef,
    values: GoStruct,
    keys: ReadonlyMap<string, AstNode> | undefined,
    tags: string[] | undefined,
  ): void {
    const options = optionsDefOf(def, values);
    const fields = def.fields;
    // indexed loops here and below: for-of allocates an iterator and a result per step until optimised
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      if (field.anonymous && field.type.kind === 'struct') {
        const inner = field.type.def;
        this.walkFields(owner, obj, inner, withZeroFields(inner, values[field.key]), keys, tags);
        continue;
      }
      if (tags) tags.push(field.key);
      const fieldValidator = owner.fieldValidators?.[field.name];
      // a plain scalar field yields no entries of its own, so neither its node nor a walk is needed
      if (!fieldValidator && isPlain(field.type)) continue;
      // Entries default to the struct's own node (placed by the caller) when the field's key is absent.
      const fieldNode = keys?.get(field.key);
      if (fieldValidator) {
        const from = this.report.entries.length;
        this.report.merge(fieldValidator(obj));
        this.placeFrom(from, fieldNode);
      }
      this.walk(values[field.key], field.type, fieldNode);
    }
    if (options) this.walkFields(owner, obj, options, withZeroFields(options, values), keys, tags);
  }
}

/** A type whose values the walker has nothing to check in: a scalar, or a pointer to one. */
function isPlain(type: GoType): boolean {
  const t = type.kind === 'ptr' ? type.elem : type;
  return t.kind === 'string' || t.kind === 'int' || t.kind === 'uint' || t.kind === 'bool';
}

/**
 * The struct with every field, absent non-pointer fields filled with Go zero values: the value
 * itself when it already has them all (decoded and translated structs do), else a shallow copy.
 */
function withZeroFields(def: StructDef, value: unknown): GoStruct {
  const given = typeof value === 'object' && value !== null ? (value as GoStruct) : undefined;
  if (given && !lacksField(def, given)) return given;
  const obj: GoStruct = { ...given };
  const fields = def.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.type.kind !== 'ptr' && obj[field.key] === undefined) obj[field.key] = zeroValue(field.type);
  }
  return obj;
}

function lacksField(def: StructDef, value: GoStruct): boolean {
  const fields = def.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.type.kind !== 'ptr' && value[field.key] === undefined) return true;
  }
  return false;
}

/** Go's `strings.EqualFold` (simple Unicode case folding), rune by rune. */
export function equalFold(a: string, b: string): boolean {
  const ra = [...a];
  const rb = [...b];
  if (ra.length !== rb.length) return false;
  return ra.every((c, i) => {
    const d = rb[i];
    return c === d || c.toLowerCase() === d.toLowerCase() || c.toUpperCase() === d.toUpperCase();
  });
}
