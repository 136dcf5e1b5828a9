/**
 * Terraform reads every string in `cdk.tf.json` as a template, and cdktf does not escape literal
 * `${` or `%{` (docs/cdktf.md §2.4, "Terraform-template escaping"). These helpers write literal text so
 * that Terraform passes it through byte for byte.
 */

/** One piece of a Terraform template: literal text, or an interpolation (a cdktf string token). */
export type TemplatePart = { readonly literal: string } | { readonly interpolation: string };

/** Escapes a string with no interpolations: `${` becomes `$${` and `%{` becomes `%%{`. */
export function escapeTerraformTemplate(literal: string): string {
  // A replacer function, because in a replacement string `$$` collapses back to `$`.
  return literal.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}

/**
 * Joins literals and interpolations into one template string. With interpolations present, a run
 * of `$` before `{` (or before an interpolation) is written as the expression `${"$…"}` instead of
 * the `$${` escape: cdktf scans such strings for `${` and renders a token that follows an unclosed
 * `${` as a bare expression, and a `$` just before an interpolation would fuse into `$${`.
 */
export function terraformTemplate(parts: readonly TemplatePart[]): string {
  if (parts.every((part) => 'literal' in part)) {
    return escapeTerraformTemplate(parts.map((part) => ('literal' in part ? part.literal : '')).join(''));
  }
  return parts.map((part) => ('literal' in part ? escapeLiteralNextToInterpolations(part.literal) : part.interpolation)).join('');
}

function escapeLiteralNextToInterpolations(literal: string): string {
  return literal
    .replace(/%\{/g, () => '%%{')
    .replace(/\$+(?=\{|$)/g, (dollars) => `\${"${dollars}"}`);
}

/**
 * A literal as a quoted HCL string for a cdktf function argument. cdktf passes an argument that is
 * already quoted through, escaping only `${` (as `$${`) and newlines, so the rest is done here.
 */
export function hclStringArgument(literal: string): string {
  const body = literal
    .replace(/[\\"]/g, (c) => `\\${c}`)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
    .replace(/%\{/g, '%%{');
  return `"${body}"`;
}
