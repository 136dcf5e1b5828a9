/**
 * What the Kubernetes renderers share: manifests and config files are written as JSON text, which
 * is also YAML, so the kubelet (static pods, `--config`) and kubectl (`apply`, kubeconfigs) read it
 * alike. Keys come out in the order the objects were built, so two renders of the same input are
 * byte-identical. Pure (no cdktf).
 */

/** `obj` as the file a node gets: two-space JSON and a final newline. */
export function renderJson(obj: unknown): string {
  return `${JSON.stringify(obj, null, 2)}\n`;
}

// cdktf's encoding of a string token, `${TfToken[TOKEN.12]}` (cdktf/lib/tokens/private/encoding.js;
// constructs/config-tokens.ts matches the same text). Renderers pass such values through unchecked.
const STRING_TOKEN = /\$\{TfToken\[/;

/** True when `value` carries a cdktf token, i.e. it is known only at apply time. */
export function hasToken(value: string): boolean {
  return STRING_TOKEN.test(value);
}

/** The part of `value` known at synth: all of it, or the text before its first token. */
export function textBeforeToken(value: string): string {
  const at = value.search(STRING_TOKEN);
  return at < 0 ? value : value.slice(0, at);
}

/** Throws one error listing every problem, prefixed by the renderer's name; returns when there are none. */
export function refuseProblems(renderer: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`${renderer}: ${problems.join('; ')}`);
}
