/**
 * A text that identifies plain data exactly, for hashing into a cache key: like JSON, but it keeps
 * what JSON loses (`undefined`, array holes, -0, NaN and the infinities) and bytes. Anything else
 * (functions, class instances, symbols, bigints, cycles, nesting deeper than MAX_DEPTH) gives
 * undefined: such a value is not cached.
 */
const MAX_DEPTH = 200;

export function cacheKeyText(value: unknown): string | undefined {
  const parts: string[] = [];
  return write(value, parts, 0) ? parts.join('') : undefined;
}

function write(value: unknown, parts: string[], depth: number): boolean {
  switch (typeof value) {
    case 'string':
      parts.push(JSON.stringify(value));
      return true;
    case 'number':
      parts.push(Object.is(value, -0) ? '-0' : String(value));
      return true;
    case 'boolean':
      parts.push(String(value));
      return true;
    case 'undefined':
      parts.push('undefined');
      return true;
    case 'object':
      if (value === null) {
        parts.push('null');
        return true;
      }
      if (depth >= MAX_DEPTH) return false;
      if (value instanceof Uint8Array) {
        parts.push(`bytes(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')})`);
        return true;
      }
      if (Array.isArray(value)) return writeArray(value, parts, depth);
      return writeObject(value, parts, depth);
    default:
      return false;
  }
}

function writeArray(value: readonly unknown[], parts: string[], depth: number): boolean {
  parts.push('[');
  for (let index = 0; index < value.length; index++) {
    if (index > 0) parts.push(',');
    if (!(index in value)) parts.push('hole');
    else if (!write(value[index], parts, depth + 1)) return false;
  }
  parts.push(']');
  return true;
}

function writeObject(value: object, parts: string[], depth: number): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  parts.push('{');
  let first = true;
  // insertion order, as the transpiler walks it (order can matter to the output)
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || descriptor.get || descriptor.set) return false;
    if (!first) parts.push(',');
    first = false;
    parts.push(JSON.stringify(key), ':');
    if (!write(descriptor.value, parts, depth + 1)) return false;
  }
  parts.push('}');
  return true;
}
