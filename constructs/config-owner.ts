/**
 * The config side shared by CoreOSInstance and WorkerPool: a base Container Linux Config that other
 * constructs add to (`addSnippet`, `addUnit`, `addFile`, `addUser`), rendered once at synth and read
 * by the user-data through a value produced at synth. Errors of the merged config fail the synth:
 * synthesizeApp reports them before synthesizing (synth-checks.ts); otherwise producing the value
 * or the validation throws them as a ConstructError (app.synth, Testing.synth).
 */
import { Annotations, DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import type { FileConfig, GeneratedOutput, SystemdUnitConfig, UserConfig } from '../transpiler';
import { stringTokensIn } from './config-tokens';
import { ConfigComposition, fileSnippet, unitSnippet, userSnippet, type ClcSnippet } from './config-composition';
import type { ConfigSource } from './config-source';
import { Image, ImageDistribution } from './image';
import { producedString } from './produced-string';
import type { RenderedUserData, RenderUserDataOptions } from './render-user-data';
import { addSynthCheck } from './synth-checks';

export abstract class ConfigOwner extends Construct {
  private composition?: ConfigComposition;
  private readonly quoteSafeTokens = new Set<string>();
  private renderedOnce = false;
  // Set once the merged config's error has gone to synthesizeApp, which reports it and fails the app.
  private failedBeforeSynth = false;

  /**
   * The Ignition config as ct wrote it (after every snippet), with the config's tokens back in
   * place. Terraform gets file contents that hold tokens as a `data:;base64,` URL instead.
   */
  public get ignition(): Record<string, unknown> {
    return this.rendered().ignition;
  }

  /**
   * What the transpiler generated for the config's sections (e.g. etcd's drop-in of
   * etcd-member.service), with how it wrote values there; see `TranspileResult.generated`.
   */
  public get generated(): readonly GeneratedOutput[] {
    return this.rendered().generated;
  }

  /** The Ignition JSON as Terraform receives it (after every snippet): escaped, tokens as interpolations. */
  public get userData(): string {
    return this.rendered().userData;
  }

  /**
   * Merges more Container Linux Config (YAML text or a typed object) into this config. The snippet
   * must transpile on its own, must not conflict with what is there, must not configure a service
   * the image lacks, and with `strict` must not warn (all checked now); the merged config is
   * rendered once, at synth (its size is checked then). Merge rules: see clc-merge.ts.
   * @param origin how messages name the snippet, e.g. `addSnippet() from EtcdCluster`
   */
  public addSnippet(snippet: ClcSnippet, origin = 'addSnippet()'): void {
    this.guard(() => this.config().add(snippet, origin));
  }

  /** Adds a systemd unit, or drop-ins to a unit of that name. @param from who adds it, for messages */
  public addUnit(unit: SystemdUnitConfig, from?: string): void {
    this.addSnippet(unitSnippet(unit), originOf('addUnit', from));
  }

  /** Adds a file (on the `root` filesystem unless it says otherwise). @param from who adds it, for messages */
  public addFile(file: FileConfig, from?: string): void {
    this.addSnippet(fileSnippet(file), originOf('addFile', from));
  }

  /** Adds a user, or SSH keys and groups to a user of that name. @param from who adds it, for messages */
  public addUser(user: UserConfig, from?: string): void {
    this.addSnippet(userSnippet(user), originOf('addUser', from));
  }

  /**
   * Declares that the tokens in `value` resolve to printable ASCII other than `<`, `>` and `&`
   * (a Google Cloud project id, say: 6-30 characters of a-z, 0-9 and -). ct `%q`-quotes etcd and
   * flannel options; Terraform's jsonencode quotes such values byte for byte alike, so a token
   * declared here raises no warning there.
   */
  public declareQuoteSafe(value: string): void {
    for (const token of stringTokensIn(value)) this.quoteSafeTokens.add(token);
  }

  /** How messages name this construct, e.g. `CoreOSInstance stack/vm`. */
  protected abstract describe(): string;

  /** Renders the base config now (its errors fail construction) and registers the synth-time check. */
  protected initConfig(source: () => ConfigSource, options: RenderUserDataOptions): void {
    const describeToken = (token: string): string => this.describeToken(token);
    const isQuoteSafe = (token: string): boolean => this.quoteSafeTokens.has(token);
    this.composition = this.guard(() => new ConfigComposition(source(), { describeToken, isQuoteSafe, ...options }));
    this.annotate(this.composition.base.warnings);
    // Throws rather than returns the problem, so that it reaches synthesizeApp as a ConstructError
    // (when an aspect added a snippet during synth) instead of cdktf's "Validation failed".
    this.node.addValidation({
      validate: () => {
        this.rendered();
        return [];
      },
    });
    addSynthCheck(this, () => this.renderBeforeSynth());
  }

  /** Throws the problems, if any, as one error that names this construct. */
  protected refuse(problems: readonly string[]): void {
    if (problems.length > 0) throw new ConstructError(this, this.describe(), problems.join('; '));
  }

  /** CoreOS Container Linux images are gone from GCE; with `strict`, an error like every other warning. */
  protected warnAboutRetiredImage(image: Image, strict: boolean): void {
    if (image.distribution !== ImageDistribution.COREOS) return;
    const warning =
      `image "${image.image}": CoreOS Container Linux reached end of life in 2020 and its GCE images were removed; ` +
      `new instances need e.g. image: Image.flatcar('stable') ("${Image.flatcar('stable').image}"), which boots the same Ignition`;
    if (strict) this.refuse([`${warning} (strict: true makes every warning an error)`]);
    Annotations.of(this).addWarning(warning);
  }

  /** The user-data, read at synth. */
  protected lazyUserData(): string {
    return producedString(() => this.rendered().userData);
  }

  protected rendered(): RenderedUserData {
    const composition = this.config();
    // After a reported failure, the synth goes on with the base config, so that cdktf does not
    // raise the same error a second time; the app fails all the same.
    if (!composition.hasSnippets || this.failedBeforeSynth) return composition.base;
    const rendered = this.guard(() => composition.render());
    if (!this.renderedOnce) this.annotate(composition.warningsBeyondBase(rendered));
    this.renderedOnce = true;
    return rendered;
  }

  /** Runs `step`, prefixing any error it throws with this construct's description. */
  protected guard<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      throw new ConstructError(this, this.describe(), (error as Error).message);
    }
  }

  private config(): ConfigComposition {
    if (!this.composition) throw new Error(`${this.describe()}: initConfig() was not called`);
    return this.composition;
  }

  /** A token as Terraform will see it, e.g. `${var.project}`. */
  private describeToken(token: string): string {
    try {
      return String(Tokenization.resolve(token, { scope: this, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false }));
    } catch {
      return token;
    }
  }

  /** The synth check (synth-checks.ts): renders the merged config before cdktf's synth reads it. */
  private renderBeforeSynth(): void {
    try {
      this.rendered();
    } catch (error) {
      this.failedBeforeSynth = true;
      throw error;
    }
  }

  private annotate(warnings: readonly string[]): void {
    for (const warning of warnings) Annotations.of(this).addWarning(warning);
  }
}

function originOf(method: string, from: string | undefined): string {
  return from ? `${method}() from ${from}` : `${method}()`;
}
