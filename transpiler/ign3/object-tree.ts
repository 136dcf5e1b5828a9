/**
 * A JS value given to `translateToV33` instead of JSON text, as the tree Go's decoder would see
 * for `JSON.stringify(value)`: keys in order, numbers as text (bigints exactly), values JSON has
 * no form for left out (in arrays: null). A cycle or nesting past Go's limit is a syntax error.
 */
import { JsonNumber, JsonObject, JsonSyntaxError, MAX_NESTING_DEPTH, type JsonValue } from './json-tree';

function convert(value: unknown, depth: number, open: Set<object>): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? new JsonNumber(String(value)) : null;
    case 'bigint':
      return new JsonNumber(value.toString());
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (depth >= MAX_NESTING_DEPTH || open.has(value)) throw new JsonSyntaxError('not representable as JSON');
  open.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => convert(v, depth + 1, open) ?? null);
    const out = new JsonObject();
    for (const [key, v] of Object.entries(value)) {
      const c = convert(v, depth + 1, open);
      if (c === undefined) continue;
      out.keys.push(key);
      out.values.push(c);
    }
    return out;
  } finally {
    open.delete(value);
  }
}

export function objectToJsonTree(value: object): JsonValue {
  try {
    return convert(value, 0, new Set()) ?? null;
  } catch (err) {
    // deep nesting can exhaust the JS stack before Go's limit: the same refusal
    if (err instanceof RangeError) throw new JsonSyntaxError('nesting too deep');
    throw err;
  }
}
