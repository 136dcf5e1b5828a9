/** A path into a YAML document (snake_case keys) or an Ignition config (JSON keys), as vcontext's `path.ContextPath` holds it. */
export type Path = readonly (string | number)[];

/** vcontext's `ContextPath.String()`: `$` then `.`-joined elements (`$.storage.files.0.mode`). */
export function pathString(path: Path): string {
  return path.length === 0 ? '$' : '$.' + path.join('.');
}
