/** CLC `ignition` (ct's `config/types/config.go` converter): config append/replace and timeouts. */
import type { AstNode } from '../ast';
import { Report } from '../diagnostics';
import type { Translator } from '../convert';
import { field, int, ptr, slice, str, struct, type GoStruct, type StructDef } from '../schema';
import { parseUrl } from '../go/url';
import { appendTo, convertVerification, reportAt, verificationDef, type VerificationConfig } from './common';
import { securityDef, type SecurityConfig } from './security';
import type { SectionDescriptor } from '../section';

/** A remote Ignition config to merge or to use instead. */
export interface ConfigReferenceConfig {
  /** URL of the config, copied verbatim (it is only checked for parse errors). */
  readonly source: string;
  /** Expected hash of the config. */
  readonly verification?: VerificationConfig;
}

/** The `ignition` section: how Ignition itself behaves. */
export interface IgnitionConfig {
  /** Other configs to merge in or to replace this one with. */
  readonly config?: {
    /** Configs merged into this one, in order. */
    readonly append?: readonly ConfigReferenceConfig[];
    /** A config that replaces this one. */
    readonly replace?: ConfigReferenceConfig;
  };
  /** HTTP timeouts in seconds; every value given, even 0 or negative, is emitted. */
  readonly timeouts?: {
    /** Time to wait for response headers. */
    readonly http_response_headers?: number | bigint;
    /** Total time for an HTTP request. */
    readonly http_total?: number | bigint;
  };
  /** TLS trust settings. */
  readonly security?: SecurityConfig;
}

const configReferenceDef: StructDef = {
  goName: 'types.ConfigReference',
  fields: [field('Source', 'source', str), field('Verification', 'verification', struct(verificationDef))],
};

const ignitionConfigDef: StructDef = {
  goName: 'types.IgnitionConfig',
  fields: [
    field('Append', 'append', slice(struct(configReferenceDef))),
    field('Replace', 'replace', ptr(struct(configReferenceDef))),
  ],
};

const timeoutsDef: StructDef = {
  goName: 'types.Timeouts',
  fields: [field('HTTPResponseHeaders', 'http_response_headers', ptr(int)), field('HTTPTotal', 'http_total', ptr(int))],
};

export const ignitionDef: StructDef = {
  goName: 'types.Ignition',
  fields: [
    field('Config', 'config', struct(ignitionConfigDef)),
    field('Timeouts', 'timeouts', struct(timeoutsDef)),
    field('Security', 'security', struct(securityDef)),
  ],
};

/** ct's `convertConfigReference`: the source is parsed only to detect errors (docs/ct.md §5.1). */
function convertConfigReference(ref: GoStruct, node: AstNode | undefined): { ref?: GoStruct; report: Report } {
  const parsed = parseUrl(ref.source as string);
  if (parsed.error !== undefined) return { report: reportAt('error', parsed.error, node?.child('source')) };
  return { ref: { source: ref.source, verification: convertVerification(ref.verification) }, report: new Report() };
}

export const ignitionTranslator: Translator = (config, ast, out) => {
  const report = new Report();
  const ignition = config.ignition as GoStruct;
  out.ignition.timeouts.httpResponseHeaders = ignition.timeouts.http_response_headers;
  out.ignition.timeouts.httpTotal = ignition.timeouts.http_total;

  const appendNode = ast?.child('ignition', 'config', 'append');
  (ignition.config.append ?? []).forEach((ref: GoStruct, i: number) => {
    const converted = convertConfigReference(ref, appendNode?.child(i));
    report.merge(converted.report);
    if (converted.ref) appendTo(out.ignition.config, 'append', converted.ref);
  });

  const replace = ignition.config.replace as GoStruct | undefined;
  if (replace) {
    const converted = convertConfigReference(replace, ast?.child('ignition', 'config', 'replace'));
    report.merge(converted.report);
    if (converted.ref) out.ignition.config.replace = converted.ref;
  }
  return report;
};

/** The section's part of `ContainerLinuxConfig`. */
export interface IgnitionSectionConfig {
  /** How Ignition itself behaves: remote configs, timeouts, TLS. */
  readonly ignition?: IgnitionConfig;
}

/** The top-level field (ct's `types.Config`). */
const ignitionField = field('Ignition', 'ignition', struct(ignitionDef));

/** The ignition section (ct's `config/types/config.go`). */
export const ignitionSection: SectionDescriptor<IgnitionSectionConfig> = {
  source: 'config/types/config.go',
  configField: { key: 'ignition', index: 1, def: () => ignitionField },
  translate: ignitionTranslator,
};
