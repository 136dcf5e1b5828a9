/**
 * Port of butane `config/util/merge.go` `MergeTranslatedConfigs`: merges a parent and a child
 * Ignition config (Ignition merge semantics, ignition-v3/merge.ts) and maps both sides'
 * TranslationSets through the merge transcript, so every output path still leads back to the YAML.
 * Butane uses it with generated config (mount units, boot_device, grub) as the parent and the
 * user's translated config as the child (docs/butane.md §5.6, §5.7).
 */
import type { GoStruct, GoType } from '../schema';
import { mergeStructTranscribe, TAG_CHILD } from '../ignition-v3/merge';
import { pathString } from './path';
import { TranslationSet } from './translation-set';

export function mergeTranslatedConfigs(
  parent: GoStruct,
  parentTs: TranslationSet,
  child: GoStruct,
  childTs: TranslationSet,
  type: GoType,
): { config: GoStruct; ts: TranslationSet } {
  const { result, transcript } = mergeStructTranscribe(parent, child, type);
  if (parentTs.fromTag !== childTs.fromTag || parentTs.toTag !== childTs.toTag) {
    throw new Error(
      `mismatched translation tags, ${parentTs.fromTag} != ${childTs.fromTag} || ${parentTs.toTag} != ${childTs.toTag}`,
    );
  }
  const ts = new TranslationSet(parentTs.fromTag, parentTs.toTag);
  for (const m of transcript) {
    const side = m.fromTag === TAG_CHILD ? childTs : parentTs;
    const source = side.get(m.from);
    // The transcript names leaves the side's own set may not cover.
    if (!source) continue;
    // A field built from both sides is credited to the child, the user's own text.
    if (ts.set.has(pathString(m.to)) && m.fromTag !== TAG_CHILD) continue;
    ts.addTranslation(source.from, m.to);
  }
  return { config: result, ts };
}
