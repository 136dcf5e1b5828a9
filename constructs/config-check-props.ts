/** How strictly a construct checks its Container Linux Config: shared by every construct that has one. */
import type { Dialect } from '../transpiler';

export interface ConfigCheckProps {
  /**
   * Which ct the config is written for: `coreos` (upstream ct v0.9.0, Ignition 2.2.0) or `flatcar`
   * (Flatcar's ct v0.9.4, Ignition 2.3.0, with Flatcar's extra keys and etcd versions).
   * @default - the image's: `flatcar` for Flatcar images, `coreos` for any other
   */
  readonly dialect?: Dialect;
  /**
   * Makes every warning about the config an error, as `ct --strict` does.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Accepts keys the config's schema does not have, with a warning (ct's behaviour). Without it a
   * typo such as `paswd:` fails synth instead of silently leaving that part out of the VM.
   * @default false: an unknown key is an error
   */
  readonly allowUnknownKeys?: boolean;
}

/** The props above, picked from a construct's props to pass on. */
export function configCheckProps(props: ConfigCheckProps): ConfigCheckProps {
  return { dialect: props.dialect, strict: props.strict, allowUnknownKeys: props.allowUnknownKeys };
}
