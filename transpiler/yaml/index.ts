/**
 * The YAML engine of the ct port: a TypeScript port of go-yaml's libyaml reader, scanner and
 * parser, node building and decoding, in the two flavors ct builds use: `v2` is the 2017
 * github.com/ajeddeloh/yaml fork (ct v0.9.0), `v3` is gopkg.in/yaml.v3 (Flatcar ct v0.9.4).
 */
import type { GoType } from '../schema';
import { parseFirstDocument } from './compose';
import { decodeDocument } from './decode';
import type { YamlFlavor } from './errors';
import type { YamlNode } from './node';
import { startYamlWork } from './work';

export { YamlError, type YamlFlavor, type YamlPosition } from './errors';
export type { ScalarStyle, YamlKind, YamlNode } from './node';
export { nodeFromValue } from './from-value';
export { lastYamlWork, type YamlWork } from './work';

/**
 * The document node of the first document in `input` (go-yaml reads only the first), or
 * undefined when the stream holds no document (empty or comments only: "Configuration is empty").
 * An explicit empty document (`---`) is a document whose root is a null scalar.
 * Throws YamlError with go-yaml's message on syntax errors.
 */
export function parseDocument(input: string | Uint8Array, flavor: YamlFlavor): YamlNode | undefined {
  lastParsed = parseFirstDocument(input, flavor);
  return lastParsed;
}

/** The last document parsed: decoding another one (a typed config's) starts a new work count. */
let lastParsed: YamlNode | undefined;

/**
 * go-yaml `Unmarshal` of `doc` into a value of `type` (schema.ts representation). Throws YamlError
 * with go-yaml's text: `yaml: unmarshal errors:\n  line N: ...` for type errors (all collected),
 * or a single `yaml: ...` error for fatal ones. Errors thrown by `embedded` hooks propagate as-is.
 */
export function decode(doc: YamlNode | undefined, type: GoType, flavor: YamlFlavor): unknown {
  if (doc !== lastParsed) startYamlWork();
  lastParsed = undefined;
  return decodeDocument(doc, type, flavor);
}
