import type { Path } from './path';

/** One report entry before positions are attached: vcontext's `report.Entry` minus its marker. */
export interface ButaneEntry {
  readonly kind: 'error' | 'warning' | 'info';
  readonly message: string;
  /** YAML path for the source phases, JSON path for Ignition's validation (mapped back by the caller). */
  readonly path: Path;
}
