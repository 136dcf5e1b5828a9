/**
 * CLC `storage.files`, `storage.directories` and `storage.links` (ct's `config/types/files.go`).
 * One converter handles all three, in that order (docs/ct.md §4).
 */
import type { AstNode } from '../ast';
import type { ConvertContext, Dialect, Translator } from '../convert';
import { Report } from '../diagnostics';
import { bool, field, int, ptr, str, struct, type GoStruct, type StructDef } from '../schema';
import { escapeDataUrl } from '../go/dataurl';
import { parseUrl } from '../go/url';
import { appendTo, convertVerification, errorMessage, GoPanic, reportAt, verificationDef, type VerificationConfig } from './common';
import { goPathJoin } from './gopath';
import type { SectionDescriptor } from '../section';

/** Owner of a file, directory or link: by id or by name, not both. */
export interface NodeOwnerConfig {
  /** Numeric id; 0 is emitted too. */
  readonly id?: number | bigint;
  /** Name, resolved on the machine. */
  readonly name?: string;
}

/** Fields shared by files, directories and links. */
export interface NodeConfig {
  /** Filesystem name (`root` or a `storage.filesystems` name). Flatcar defaults it to `root`. */
  readonly filesystem?: string;
  /** Absolute path inside the filesystem. */
  readonly path: string;
  /** Owning user. */
  readonly user?: NodeOwnerConfig;
  /** Owning group. */
  readonly group?: NodeOwnerConfig;
  /** Replace an existing node at the path. */
  readonly overwrite?: boolean;
}

/** Where a file's contents come from: at most one of inline, local and remote.url. */
export interface FileContentsConfig {
  /** Literal text; becomes a `data:,` URL. */
  readonly inline?: string;
  /** Path relative to `filesDir` (`--files-dir`) whose bytes are embedded. */
  readonly local?: string;
  /** A resource Ignition fetches. */
  readonly remote?: {
    /** http, https, s3, tftp, oem or data URL. */
    readonly url?: string;
    /** `gzip` when the resource is compressed. */
    readonly compression?: string;
    /** Expected hash of the resource. */
    readonly verification?: VerificationConfig;
  };
}

/** A regular file. */
export interface FileConfig extends NodeConfig {
  /** Permission bits (write octal in YAML, e.g. 0644). @default 0644, with a warning */
  readonly mode?: number | bigint;
  /** Contents of the file. @default empty */
  readonly contents?: FileContentsConfig;
  /** Append to an existing file instead of replacing it. */
  readonly append?: boolean;
}

/** A directory. */
export interface DirectoryConfig extends NodeConfig {
  /** Permission bits. @default 0755, with a warning */
  readonly mode?: number | bigint;
}

/** A symbolic or hard link. */
export interface LinkConfig extends NodeConfig {
  /** Make a hard link instead of a symbolic one. */
  readonly hard?: boolean;
  /** What the link points to (absolute for symbolic links on CoreOS). */
  readonly target: string;
}

const DEFAULT_FILE_MODE = 0o644;
const DEFAULT_DIR_MODE = 0o755;

const ownerDef = (goName: string): StructDef => ({
  goName,
  fields: [field('Id', 'id', ptr(int)), field('Name', 'name', str)],
});
const fileUserDef = ownerDef('types.FileUser');
const fileGroupDef = ownerDef('types.FileGroup');

const remoteDef: StructDef = {
  goName: 'types.Remote',
  fields: [
    field('Url', 'url', str),
    field('Compression', 'compression', str),
    field('Verification', 'verification', struct(verificationDef)),
  ],
};

const fileContentsDef: StructDef = {
  goName: 'types.FileContents',
  fields: [field('Remote', 'remote', struct(remoteDef)), field('Inline', 'inline', str), field('Local', 'local', str)],
  validate: (contents) => {
    const sources = [contents.remote.url, contents.inline, contents.local].filter((s) => s !== '').length;
    return sources > 1 ? Report.of('error', 'only one of the following can be set: local, inline, remote.url') : new Report();
  },
};

const nodeFields = [
  field('Filesystem', 'filesystem', str),
  field('Path', 'path', str),
  field('User', 'user', ptr(struct(fileUserDef))),
  field('Group', 'group', ptr(struct(fileGroupDef))),
];

/** The file mode warning; Flatcar downgrades it to info for appends (docs/ct.md §5.5). */
function fileModeCheck(dialect: Dialect) {
  return (file: GoStruct): Report => {
    if (file.mode !== undefined) return new Report();
    if (dialect === 'flatcar' && file.append) {
      return Report.of('info', 'mode unspecified for file, defaulting to 0644 if the file does not exist');
    }
    return Report.of('warning', 'mode unspecified for file, defaulting to 0644');
  };
}

export function fileDef(dialect: Dialect): StructDef {
  return {
    goName: 'types.File',
    fields: [
      ...nodeFields,
      field('Mode', 'mode', ptr(int)),
      field('Contents', 'contents', struct(fileContentsDef)),
      field('Overwrite', 'overwrite', ptr(bool)),
      field('Append', 'append', bool),
    ],
    fieldValidators: { Mode: fileModeCheck(dialect) },
  };
}

export const directoryDef: StructDef = {
  goName: 'types.Directory',
  fields: [...nodeFields, field('Mode', 'mode', ptr(int)), field('Overwrite', 'overwrite', ptr(bool))],
  fieldValidators: {
    Mode: (dir) => (dir.mode === undefined ? Report.of('warning', 'mode unspecified for directory, defaulting to 0755') : new Report()),
  },
};

export const linkDef: StructDef = {
  goName: 'types.Link',
  fields: [...nodeFields, field('Hard', 'hard', bool), field('Target', 'target', str), field('Overwrite', 'overwrite', ptr(bool))],
};

/** The Ignition `Node` part shared by files, directories and links. */
function convertNode(node: GoStruct, dialect: Dialect): GoStruct {
  const owner = (o: GoStruct | undefined) => (o ? { id: o.id, name: o.name } : undefined);
  return {
    // Flatcar fills in the root filesystem; upstream leaves it for Ignition to reject (docs/ct.md §5.5)
    filesystem: node.filesystem === '' && dialect === 'flatcar' ? 'root' : node.filesystem,
    path: node.path,
    overwrite: node.overwrite,
    user: owner(node.user),
    group: owner(node.group),
  };
}

type SourceResult = { source?: string; report?: Report };

function localSource(local: string, fileNode: AstNode | undefined, ctx: ConvertContext): SourceResult {
  const at = fileNode?.child('contents', 'local');
  if (ctx.filesDir === '') {
    return { report: reportAt('error', 'local files require setting the --files-dir flag to the directory that contains the file', at) };
  }
  try {
    return { source: 'data:,' + escapeDataUrl(ctx.readFile(goPathJoin(ctx.filesDir, local))) };
  } catch (err) {
    return { report: reportAt('error', errorMessage(err), at) };
  }
}

function remoteSource(url: string, fileNode: AstNode | undefined): SourceResult {
  const parsed = parseUrl(url);
  if (parsed.error !== undefined) {
    return { report: reportAt('error', parsed.error, fileNode?.child('contents', 'remote', 'url')) };
  }
  const source = parsed.url.toString();
  // Make the YAML tree look like Ignition's, so URL checks point at `remote.url` (docs/ct.md §10.5).
  // ct skips this without a file node, and panics when an alias or merge key hides `remote` or `url` (docs/ct.md §9).
  if (!fileNode) return { source };
  const remoteNode = fileNode.child('contents', 'remote');
  const urlNode = remoteNode?.child('url');
  if (!remoteNode || !urlNode) throw new GoPanic('interface conversion: astnode.AstNode is nil, not astyaml.YamlNode');
  fileNode.changeKey('contents', 'contents', remoteNode);
  remoteNode.changeKey('url', 'source', urlNode);
  return { source };
}

/** Later sources override earlier ones, like ct's successive ifs; any error drops the file. */
function fileSource(contents: GoStruct, fileNode: AstNode | undefined, ctx: ConvertContext): SourceResult {
  let source: string | undefined;
  if (contents.inline !== '') source = 'data:,' + escapeDataUrl(contents.inline as string);
  for (const step of [
    contents.local !== '' ? () => localSource(contents.local, fileNode, ctx) : undefined,
    contents.remote.url !== '' ? () => remoteSource(contents.remote.url, fileNode) : undefined,
  ]) {
    if (!step) continue;
    const result = step();
    if (result.report) return result;
    source = result.source;
  }
  return { source: source || 'data:,' };
}

export const filesTranslator: Translator = (config, ast, out, ctx) => {
  const report = new Report();
  const storage = config.storage as GoStruct;
  const filesNode = ast?.child('storage', 'files');
  (storage.files ?? []).forEach((file: GoStruct, i: number) => {
    const contents = file.contents as GoStruct;
    const result = fileSource(contents, filesNode?.child(i), ctx);
    if (result.report) {
      report.merge(result.report);
      return;
    }
    appendTo(out.storage, 'files', {
      ...convertNode(file, ctx.dialect),
      mode: file.mode ?? DEFAULT_FILE_MODE,
      append: file.append,
      // compression and verification come from `remote` whatever the source (docs/ct.md §5.5)
      contents: {
        source: result.source,
        compression: contents.remote.compression,
        verification: convertVerification(contents.remote.verification),
      },
    });
  });
  for (const dir of storage.directories ?? []) {
    appendTo(out.storage, 'directories', { ...convertNode(dir, ctx.dialect), mode: dir.mode ?? DEFAULT_DIR_MODE });
  }
  for (const link of storage.links ?? []) {
    appendTo(out.storage, 'links', { ...convertNode(link, ctx.dialect), hard: link.hard, target: link.target });
  }
  return report;
};

/** The files section (ct's `config/types/files.go`). */
export const filesSection: SectionDescriptor = {
  source: 'config/types/files.go',
  translate: filesTranslator,
  capability: 'files-dir',
};
