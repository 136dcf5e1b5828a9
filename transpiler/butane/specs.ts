/** The Butane specs this port translates, apart from the translator so that callers can list them cheaply. */
import type { IgnitionVersion } from '../ignition-v3/types';

/** The variant/version pairs this port translates, with the Ignition spec each emits (docs/butane.md §3). */
export type SupportedSpec = { readonly ignition: IgnitionVersion } & (
  | { readonly variant: 'flatcar'; readonly version: '1.0.0' | '1.1.0' }
  | { readonly variant: 'fcos'; readonly version: '1.4.0' | '1.5.0' | '1.6.0' }
);

export const SUPPORTED_SPECS: readonly SupportedSpec[] = [
  { variant: 'flatcar', version: '1.0.0', ignition: '3.3.0' },
  { variant: 'flatcar', version: '1.1.0', ignition: '3.4.0' },
  { variant: 'fcos', version: '1.4.0', ignition: '3.3.0' },
  { variant: 'fcos', version: '1.5.0', ignition: '3.4.0' },
  { variant: 'fcos', version: '1.6.0', ignition: '3.5.0' },
];
