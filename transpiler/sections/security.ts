/** CLC `ignition.security` (ct's `config/types/security.go`): TLS certificate authorities. */
import { Report } from '../diagnostics';
import type { Translator } from '../convert';
import { field, slice, str, struct, type GoStruct, type StructDef } from '../schema';
import { appendTo, convertVerification, verificationDef, type VerificationConfig } from './common';
import type { SectionDescriptor } from '../section';

/** A certificate authority Ignition trusts when fetching remote resources. */
export interface CaReferenceConfig {
  /** URL of the PEM bundle, copied verbatim. */
  readonly source: string;
  /** Expected hash of the bundle. */
  readonly verification?: VerificationConfig;
}

/** The `ignition.security` section. */
export interface SecurityConfig {
  /** TLS settings. */
  readonly tls?: {
    /** Additional certificate authorities. */
    readonly certificate_authorities?: readonly CaReferenceConfig[];
  };
}

const caReferenceDef: StructDef = {
  goName: 'types.CaReference',
  fields: [field('Source', 'source', str), field('Verification', 'verification', struct(verificationDef))],
};

const tlsDef: StructDef = {
  goName: 'types.TLS',
  fields: [field('CertificateAuthorities', 'certificate_authorities', slice(struct(caReferenceDef)))],
};

export const securityDef: StructDef = {
  goName: 'types.Security',
  fields: [field('TLS', 'tls', struct(tlsDef))],
};

export const securityTranslator: Translator = (config, _ast, out) => {
  const security = (config.ignition as GoStruct).security as GoStruct;
  for (const ca of security.tls.certificate_authorities ?? []) {
    // the source is copied verbatim, never re-serialised (docs/ct.md §5.1)
    appendTo(out.ignition.security.tls, 'certificateAuthorities', {
      source: ca.source,
      verification: convertVerification(ca.verification),
    });
  }
  return new Report();
};

/** The security section (ct's `config/types/security.go`). */
export const securitySection: SectionDescriptor = {
  source: 'config/types/security.go',
  translate: securityTranslator,
};
