/** Flatcar's undocumented top-level `version` key (ct's `config/types/config.go`; docs/ct.md §5). */
import { Report } from '../diagnostics';
import { field, int } from '../schema';
import type { SectionDescriptor } from '../section';

/** The section's part of `ContainerLinuxConfig`. */
export interface VersionSectionConfig {
  /** Flatcar only: must be 0 when given. */
  readonly version?: number | bigint;
}

const flatcarVersionField = field('Version', 'version', int);

/** Flatcar's `ValidateVersion`: only 0 is accepted; upstream has no such field (an unknown key). */
export const versionSection: SectionDescriptor<VersionSectionConfig> = {
  source: 'config/types/config.go',
  configField: {
    key: 'version',
    index: 0,
    def: (dialect) => (dialect === 'flatcar' ? flatcarVersionField : undefined),
    validate: (config) => (config.version === 0 ? new Report() : Report.of('error', 'Invalid version. Only version 0 is supported')),
  },
};
