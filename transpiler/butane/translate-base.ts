/**
 * Butane's base translation (`base/v0_x/translate.go`, `translate/translate.go`; docs/butane.md §5):
 * the YAML struct is copied into Ignition's by Go field name, recording in a TranslationSet where
 * every output path came from, with custom translators for what is sugar: resources (`inline`,
 * `local`), units and drop-ins (`contents_local`) and users (`ssh_authorized_keys_local`).
 */
import type { FieldDef, GoStruct, GoType, StructDef } from '../schema';
import { goStringBytes, goStringFromBytes } from '../go/raw-bytes';
import { makeDataUrl } from './data-url';
import type { ButaneEntry } from './entry';
import { ERR_NO_FILES_DIR, readLocalFile, type ButaneFs } from './files-dir';
import type { Path } from './path';
import { TranslationSet } from './translation-set';

export interface TranslateOptions {
  /** `-d`: '' when not given. */
  readonly filesDir: string;
  readonly fs: ButaneFs;
}

export interface Translated {
  readonly config: GoStruct;
  readonly ts: TranslationSet;
  readonly entries: ButaneEntry[];
}

const deref = (t: GoType): GoType => (t.kind === 'named' ? deref(t.elem) : t);

const goFieldMaps = new WeakMap<StructDef, Map<string, FieldDef>>();
function fieldsByGoName(def: StructDef): Map<string, FieldDef> {
  let m = goFieldMaps.get(def);
  if (!m) goFieldMaps.set(def, (m = new Map(def.fields.map((f) => [f.name, f]))));
  return m;
}

/** The unqualified Go type name (`v0_5.Resource` → `Resource`): custom translators are chosen by it. */
const typeName = (def: StructDef): string => def.goName.slice(def.goName.lastIndexOf('.') + 1);

class Translator {
  readonly ts = new TranslationSet('yaml', 'json');
  readonly entries: ButaneEntry[] = [];

  constructor(private readonly options: TranslateOptions) {}

  /** `translator.translate`: a custom translator for the type, else the same-type copy. */
  value(from: GoType, to: GoType, value: unknown, fromPath: Path, toPath: Path): unknown {
    const f = deref(from);
    const t = deref(to);
    switch (f.kind) {
      case 'ptr':
        if (value === undefined || value === null) return undefined;
        return this.value(f.elem, t.kind === 'ptr' ? t.elem : t, value, fromPath, toPath);
      case 'slice': {
        if (!Array.isArray(value)) return undefined;
        const elemTo = t.kind === 'slice' ? t.elem : t;
        const out = value.map((v, i) => this.value(f.elem, elemTo, v, [...fromPath, i], [...toPath, i]));
        this.ts.addTranslation(fromPath, toPath);
        return out;
      }
      case 'struct':
        if (t.kind !== 'struct') throw new Error(`butane: no translation from ${f.def.goName}`);
        return this.struct(f.def, t.def, value as GoStruct, fromPath, toPath);
      default:
        this.ts.addTranslation(fromPath, toPath);
        return value;
    }
  }

  private struct(from: StructDef, to: StructDef, value: GoStruct, fromPath: Path, toPath: Path): GoStruct {
    const out = this.copyFields(from, to, value, fromPath, toPath);
    switch (typeName(from)) {
      case 'Resource':
        this.resource(value, out, fromPath, toPath);
        break;
      case 'Unit':
      case 'Dropin':
        this.contentsLocal(value, out, fromPath, toPath);
        break;
      case 'PasswdUser':
        this.sshKeysLocal(value, out, fromPath, toPath);
        break;
    }
    return out;
  }

  /** The same-type copy: every field the Ignition struct also has (others are Butane's sugar or `auto_skip`). */
  private copyFields(from: StructDef, to: StructDef, value: GoStruct, fromPath: Path, toPath: Path): GoStruct {
    const out: GoStruct = {};
    const toFields = fieldsByGoName(to);
    for (const tf of to.fields) if (deref(tf.type).kind === 'struct') out[tf.key] = {};
    for (const ff of from.fields) {
      const tf = toFields.get(ff.name);
      if (!tf) continue;
      const v = this.value(ff.type, tf.type, value[ff.key], [...fromPath, ff.key], [...toPath, tf.key]);
      if (v !== undefined) out[tf.key] = v;
    }
    return out;
  }

  private error(path: Path, message: string): void {
    this.entries.push({ kind: 'error', message, path });
  }

  /** `translateResource`: `local` then `inline` become a data URL `source` (docs/butane.md §5.1). */
  private resource(from: GoStruct, to: GoStruct, fromPath: Path, toPath: Path): void {
    const encode = (contents: Uint8Array, at: Path): void => {
      const made = makeDataUrl(contents, to.compression as string | undefined, true);
      to.source = made.url;
      this.ts.addTranslation(at, [...toPath, 'source']);
      if (made.compression !== undefined) {
        to.compression = made.compression;
        this.ts.addTranslation(at, [...toPath, 'compression']);
      }
    };
    if (typeof from.local === 'string') {
      const at = [...fromPath, 'local'];
      try {
        encode(readLocalFile(this.options.fs, from.local, this.options.filesDir), at);
      } catch (err) {
        this.error(at, (err as Error).message);
        return;
      }
    }
    if (typeof from.inline === 'string') encode(goStringBytes(from.inline), [...fromPath, 'inline']);
  }

  /** `translateUnit`/`translateDropin` (v0_5 on): a non-empty `contents_local` becomes `contents`. */
  private contentsLocal(from: GoStruct, to: GoStruct, fromPath: Path, toPath: Path): void {
    const local = from.contents_local as string | undefined;
    if (local === undefined || local === '') return;
    const at = [...fromPath, 'contents_local'];
    try {
      to.contents = goStringFromBytes(readLocalFile(this.options.fs, local, this.options.filesDir));
    } catch (err) {
      this.error(at, (err as Error).message);
      return;
    }
    this.ts.addTranslation(at, [...toPath, 'contents']);
  }

  /** `translatePasswdUser` (v0_5 on): each key file's non-empty lines are appended to the keys. */
  private sshKeysLocal(from: GoStruct, to: GoStruct, fromPath: Path, toPath: Path): void {
    const files = from.ssh_authorized_keys_local as string[] | null | undefined;
    if (!files || files.length === 0) return;
    const at = [...fromPath, 'ssh_authorized_keys_local'];
    this.ts.addTranslation(at, [...toPath, 'sshAuthorizedKeys']);
    if (this.options.filesDir === '') {
      this.error(at, ERR_NO_FILES_DIR);
      return;
    }
    const keys: string[] = Array.isArray(to.sshAuthorizedKeys) ? (to.sshAuthorizedKeys as string[]) : [];
    files.forEach((file, i) => {
      let text: string;
      try {
        text = goStringFromBytes(readLocalFile(this.options.fs, file, this.options.filesDir));
      } catch (err) {
        this.error([...at, i], (err as Error).message);
        return;
      }
      for (const line of text.split(/\r?\n/)) {
        if (line === '') continue;
        this.ts.addTranslation([...at, i], [...toPath, 'sshAuthorizedKeys', keys.length]);
        keys.push(line);
      }
    });
    if (keys.length > 0) to.sshAuthorizedKeys = keys;
  }
}

/**
 * `ToIgn3_xUnvalidated` before mount units and trees: `ignition` (whose `version` Butane writes),
 * `kernel_arguments`, `passwd`, `storage`, `systemd`, each translated by field.
 */
export function translateBase(from: StructDef, to: StructDef, value: GoStruct, ignitionVersion: string, options: TranslateOptions): Translated {
  const tr = new Translator(options);
  const config: GoStruct = {};
  const fromFields = new Map(from.fields.map((f) => [f.key, f]));
  const toFields = new Map(to.fields.map((f) => [f.key, f]));
  const sections: readonly [string, string][] = [
    ['ignition', 'ignition'],
    ['kernel_arguments', 'kernelArguments'],
    ['passwd', 'passwd'],
    ['storage', 'storage'],
    ['systemd', 'systemd'],
  ];
  for (const [yamlKey, jsonKey] of sections) {
    const ff = fromFields.get(yamlKey);
    const tf = toFields.get(jsonKey);
    if (!ff || !tf) continue;
    const v = tr.value(ff.type, tf.type, value[yamlKey], [yamlKey], [jsonKey]);
    config[jsonKey] = v ?? {};
    if (yamlKey === 'ignition') {
      (config.ignition as GoStruct).version = ignitionVersion;
      tr.ts.addTranslation(['version'], ['ignition', 'version']);
      tr.ts.addTranslation(['ignition'], ['ignition']);
    }
  }
  return { config, ts: tr.ts, entries: tr.entries };
}
