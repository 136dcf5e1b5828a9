/**
 * Ignition's reflection walker (`config/validate/validate.go`, as vendored by ct v0.9.0 and Flatcar
 * ct v0.9.4), generic over the Go-type descriptors of schema.ts. ct runs it twice: on the decoded
 * CLC with unknown-key checking (phase 1), and on the Ignition output without it (phase 3).
 *
 * Neither vendored version checks duplicate list entries; that came later in Ignition.
 */
import type { AstNode } from './ast';
import { Report } from './diagnostics';
import { zeroValue, type FieldDef, type GoStruct, type GoType, type StructDef } from './schema';

/**
 * Validates `value` (a Go-shaped value of `type`) against its YAML node. Order, as in Go: the
 * value's own `Validate()` (a fatal result stops descent), then each struct field's
 * `Validate<Field>()` and the field itself, then unknown keys. Entries without a position get the
 * nearest node that was found (ct-spec 10.5).
 */
export function validate(value: unknown, type: GoType, ast: AstNode | undefined, checkUnusedKeys: boolean): Report {
  const report = new Report();
  switch (type.kind) {
    case 'ptr':
      // A nil pointer is skipped; otherwise the element is validated at the same node.
      if (value === undefined || value === null) return report;
      return placeAt(validate(value, type.elem, ast, checkUnusedKeys), ast);
    case 'named': {
      if (type.validate && mergeOwn(report, type.validate(value), ast)) return report;
      return report.merge(placeAt(validate(value, type.elem, ast, checkUnusedKeys), ast));
    }
    case 'struct': {
      const obj = withZeroFields(type.def, value);
      if (type.def.validate && mergeOwn(report, type.def.validate(obj), ast)) return report;
      return report.merge(placeAt(validateStruct(obj, type.def, ast, checkUnusedKeys), ast));
    }
    case 'slice': {
      if (!Array.isArray(value)) return report;
      value.forEach((item, i) => {
        const node = ast?.sliceChild(i) ?? ast;
        report.merge(placeAt(validate(item, type.elem, node, checkUnusedKeys), ast));
      });
      return report;
    }
    default:
      return report;
  }
}

/** Merges a `Validate()` result positioned at `ast`; true when it is fatal (stop descending). */
function mergeOwn(into: Report, own: Report, ast: AstNode | undefined): boolean {
  into.merge(placeAt(own, ast));
  return own.isFatal();
}

/** Ignition's `AddPosition` with a node's value position (a no-op without a node). */
function placeAt(report: Report, node: AstNode | undefined): Report {
  if (node) {
    const { line, column } = node.valuePosition;
    report.addPosition(line, column, node.path);
  }
  return report;
}

interface WalkedField {
  readonly field: FieldDef;
  readonly value: unknown;
}

function validateStruct(obj: GoStruct, def: StructDef, ast: AstNode | undefined, checkUnusedKeys: boolean): Report {
  const report = new Report();
  const keys = ast?.keyValueMap();
  const usedKeys = new Set<string>();
  const tags: string[] = [];

  for (const { field, value } of fieldsOf(def, obj)) {
    let fieldNode: AstNode | undefined;
    if (keys) {
      tags.push(field.key);
      usedKeys.add(field.key);
      fieldNode = keys.get(field.key);
    }
    // Entries default to the struct's own node when the field's key is absent.
    let positionNode = ast;
    const fieldValidator = def.fieldValidators?.[field.name];
    if (fieldValidator) {
      if (fieldNode) positionNode = fieldNode;
      report.merge(placeAt(fieldValidator(obj), positionNode));
    }
    report.merge(placeAt(validate(value, field.type, fieldNode, checkUnusedKeys), positionNode));
  }

  if (keys && checkUnusedKeys) {
    for (const [key, node] of keys) {
      if (usedKeys.has(key)) continue;
      const { line, column } = node.keyPosition;
      report.add('warning', `Config has unrecognized key: ${key}`, line, column, node.path);
      const typo = tags.find((tag) => equalFold(tag, key));
      if (typo !== undefined) report.add('info', `Did you mean ${typo} instead of ${key}`, line, column, node.path);
    }
  }
  return report;
}

/**
 * Go's `getFields`: the struct's fields in order, with anonymous struct fields flattened in place
 * and the `embedded` options struct (ct's etcd/flannel) appended. Flattened fields keep the outer
 * struct's `Validate<Field>` hooks, as Go's `MethodByName` on the outer value would find them.
 */
function fieldsOf(def: StructDef, obj: GoStruct): WalkedField[] {
  const out: WalkedField[] = [];
  for (const field of def.fields) {
    if (field.anonymous && field.type.kind === 'struct') {
      out.push(...fieldsOf(field.type.def, withZeroFields(field.type.def, obj[field.key])));
    } else {
      out.push({ field, value: obj[field.key] });
    }
  }
  const options = def.embedded?.(obj);
  if (options) out.push(...fieldsOf(options, withZeroFields(options, obj)));
  return out;
}

/** A shallow copy holding every field, absent non-pointer fields filled with Go zero values. */
function withZeroFields(def: StructDef, value: unknown): GoStruct {
  const obj: GoStruct = typeof value === 'object' && value !== null ? { ...(value as GoStruct) } : {};
  for (const field of def.fields) {
    if (obj[field.key] === undefined && field.type.kind !== 'ptr') obj[field.key] = zeroValue(field.type);
  }
  return obj;
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
