/**
 * What the etcd and Kubernetes PKIs (cluster-pki.ts, kubernetes/kubernetes-pki.ts) share: one
 * provider of each kind per stack, and the checks of validity and early-renewal settings.
 */
import { TerraformProvider, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

/** The stack's provider of `type` (e.g. `tls`), or a new one made by `create`: the `required_providers` entry pinning the bindings' provider. */
export function ensureProvider(scope: Construct, type: string, create: (stack: TerraformStack) => void): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === type)) create(stack);
}

/** 10 years: a CA should outlive its cluster, since replacing it re-issues and redistributes every certificate at once. */
export const DEFAULT_CA_VALIDITY_HOURS = 10 * 365 * 24;
/** 1 year: short enough that a leaked key's certificate stops working, long enough for yearly applies. */
export const DEFAULT_CERT_VALIDITY_HOURS = 365 * 24;
/** 30 days: any `terraform apply` in a certificate's last 30 days replaces it with a fresh one. */
export const DEFAULT_EARLY_RENEWAL_HOURS = 30 * 24;

/** How long a PKI's CAs and leaf certificates last, and when an apply renews them (EtcdPki, KubernetesPki). */
export interface PkiValidityProps {
  /**
   * The CAs' validity, in hours.
   * @default DEFAULT_CA_VALIDITY_HOURS (10 years): a CA should outlive the cluster; replacing it
   * re-issues every certificate at once
   */
  readonly caValidityHours?: number;
  /**
   * `early_renewal_hours` of the CAs: an apply this close to a CA's end replaces it, and with it
   * every certificate it signed (they are re-signed in the same apply).
   * @default 0: renewing a CA is a planned rotation of the whole cluster (`terraform apply
   * -replace`), not something a routine apply should start
   */
  readonly caEarlyRenewalHours?: number;
  /**
   * Validity of every leaf certificate, in hours; at most caValidityHours.
   * @default DEFAULT_CERT_VALIDITY_HOURS (1 year)
   */
  readonly certValidityHours?: number;
  /**
   * `early_renewal_hours` of the leaf certificates: an apply within this many hours of a
   * certificate's end replaces it (the key stays). Less than certValidityHours.
   * @default DEFAULT_EARLY_RENEWAL_HOURS (30 days): a monthly apply keeps every certificate valid
   */
  readonly earlyRenewalHours?: number;
}

/** Validity and early renewal of a PKI's CAs and leaf certificates, in hours. */
export interface ValiditySettings {
  readonly caValidity: number;
  readonly caEarly: number;
  readonly validity: number;
  readonly early: number;
}

function hoursProblems(name: string, value: number, minimum: number): string[] {
  return Number.isInteger(value) && value >= minimum ? [] : [`${name} must be a whole number of hours, at least ${minimum} (got ${value})`];
}

/**
 * What is wrong with the settings (props caValidityHours, caEarlyRenewalHours, certValidityHours,
 * earlyRenewalHours), each with what to do instead; `cas` names what a CA renewal replaces.
 */
export function validityProblems(s: ValiditySettings, cas = 'the CA'): string[] {
  const problems = [
    ...hoursProblems('caValidityHours', s.caValidity, 1),
    ...hoursProblems('certValidityHours', s.validity, 1),
    ...hoursProblems('caEarlyRenewalHours', s.caEarly, 0),
    ...hoursProblems('earlyRenewalHours', s.early, 0),
  ];
  if (s.validity > s.caValidity) {
    problems.push(`certValidityHours (${s.validity}) exceeds caValidityHours (${s.caValidity}): a certificate cannot be trusted longer than its CA; shorten it or lengthen the CA's`);
  }
  if (s.early >= s.validity) {
    problems.push(`earlyRenewalHours (${s.early}) must be less than certValidityHours (${s.validity}), or every apply would replace every certificate`);
  }
  if (s.caEarly >= s.caValidity) {
    problems.push(`caEarlyRenewalHours (${s.caEarly}) must be less than caValidityHours (${s.caValidity}), or every apply would replace ${cas} and every certificate`);
  }
  return problems;
}
