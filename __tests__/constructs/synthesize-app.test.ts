/**
 * synthesizeApp and errors found only at synth (a config merged from snippets): reported once, as
 * a message naming the construct, before cdktf's synth, run directly and under the cdktf CLI.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { App, Aspects, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ConstructError } from '../../constructs/construct-error';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { GoogleProvider } from '../../constructs/google';
import { Image } from '../../constructs/image';
import { synthesizeApp } from '../../constructs/synthesize-app';
import { runSynthChecks } from '../../constructs/synth-checks';

const CLI_ENV = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';
const BASE = { zone: 'us-central1-c', machineType: 'e2-small' } as const;
// Fine alone; two of them are over Google Cloud's metadata limit, which only the merged config shows.
const bigFile = (file: string): string =>
  `storage:\n  files:\n    - path: ${file}\n      filesystem: root\n      mode: 0644\n      contents:\n        inline: ${'a'.repeat(150_000)}\n`;
const tooLarge = (vm: string): RegExp =>
  new RegExp(`^Error: CoreOSInstance stack/${vm}: instance "${vm}": the user-data \\(Ignition config\\) is \\d+ bytes, over 262144 bytes .*; make it smaller: .*\\n$`);

let outdir: string;
let written: string[];
let write: jest.SpyInstance;

beforeEach(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'synthesize-app-'));
  written = [];
  write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
});

afterEach(() => {
  write.mockRestore();
  process.exitCode = undefined;
  delete process.env[CLI_ENV];
  rmSync(outdir, { recursive: true, force: true });
});

/** A stack with `vms` instances; those named in `broken` get a snippet that makes their config too large. */
function buildStack(app: App, vms: string[], broken: string[]): TerraformStack {
  const stack = new TerraformStack(app, 'stack');
  new GoogleProvider(stack, 'google', { project: 'my-project' });
  for (const id of vms) {
    const vm = new CoreOSInstance(stack, id, { ...BASE, config: bigFile('/etc/one') });
    if (broken.includes(id)) vm.addSnippet(bigFile('/etc/two'), 'addSnippet() from test');
  }
  return stack;
}

interface Annotation {
  constructPath: string;
  level: string;
  message: string;
  stacktrace?: string[];
}

function annotations(): Annotation[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return manifest.stacks.stack.annotations;
}

describe('run directly', () => {
  test('an error of a merged config is printed once, without a stack, before anything is written', () => {
    synthesizeApp(new App({ outdir }), (app) => buildStack(app, ['vm'], ['vm']), {});
    expect(written).toEqual([expect.stringMatching(tooLarge('vm'))]);
    expect(process.exitCode).toBe(1);
    expect(existsSync(path.join(outdir, 'manifest.json'))).toBe(false);
  });

  test('every instance whose merged config fails is reported, each once', () => {
    synthesizeApp(new App({ outdir }), (app) => buildStack(app, ['a', 'b', 'c'], ['a', 'c']), {});
    expect(written).toEqual([expect.stringMatching(tooLarge('a')), expect.stringMatching(tooLarge('c'))]);
    expect(process.exitCode).toBe(1);
  });

  // Aspects run inside app.synth(), after the checks: the validation, or else the user-data's producer, throws.
  test.each([
    ['with validations', false],
    ['without validations', true],
  ])('a snippet added by an aspect during synth is reported the same way (%s)', (_, skipValidation) => {
    const addSnippet: IAspect = {
      visit: (node: IConstruct) => {
        if (node instanceof CoreOSInstance) node.addSnippet(bigFile('/etc/two'), 'addSnippet() from an aspect');
      },
    };
    synthesizeApp(new App({ outdir, skipValidation }), (app) => Aspects.of(buildStack(app, ['vm'], [])).add(addSnippet), {});
    expect(written).toEqual([expect.stringMatching(tooLarge('vm'))]);
    expect(process.exitCode).toBe(1);
  });

  test('a good app synthesizes without a word', () => {
    synthesizeApp(new App({ outdir }), (app) => buildStack(app, ['vm'], []), {});
    expect({ written, exitCode: process.exitCode }).toEqual({ written: [], exitCode: undefined });
    expect(existsSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'))).toBe(true);
  });
});

describe('under the cdktf CLI', () => {
  test('it is one error annotation on the instance, without a stack trace, and the synth finishes', () => {
    // cdktf reads the variable when a stack is created; the CLI sets it for the whole app process.
    process.env[CLI_ENV] = '1';
    synthesizeApp(new App({ outdir }), (app) => buildStack(app, ['vm', 'ok'], ['vm']), { [CLI_ENV]: '1' });
    expect(written).toEqual([]);
    const errors = annotations().filter((annotation) => annotation.level === '@cdktf/error');
    expect(errors).toEqual([
      {
        constructPath: 'stack/vm',
        level: '@cdktf/error',
        message: expect.stringMatching(/^instance "vm": the user-data \(Ignition config\) is \d+ bytes, over 262144 bytes/),
      },
    ]);
  });
});

test('with strict, a warning that only the merged config has is a synth-time error the checks report', () => {
  // Each file alone is far from the limit; together they are over 90% of it, which warns.
  const file = (name: string): string => bigFile(name).replace('a'.repeat(150_000), 'a'.repeat(120_000));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'stack');
  new GoogleProvider(stack, 'google', { project: 'my-project' });
  const vm = new CoreOSInstance(stack, 'vm', { ...BASE, image: Image.flatcar('stable'), strict: true, config: file('/etc/one') });
  vm.addSnippet(file('/etc/two'), 'addSnippet() from test');
  expect(runSynthChecks(app).map((error) => error.message)).toEqual([
    expect.stringMatching(
      /^CoreOSInstance stack\/vm: instance "vm": the user-data is \d+ bytes, 9\d% of 262144 bytes \(256 KiB\), .*\n\(strict: true makes every warning an error\)$/,
    ),
  ]);
});

test('runSynthChecks returns nothing for good constructs, and each failure once', () => {
  const app = new App({ outdir });
  buildStack(app, ['a', 'b'], ['b']);
  expect(runSynthChecks(app).map((error) => error.construct.node.path)).toEqual(['stack/b']);
});

test('a library user calling app.synth() gets the error, which prints without the construct tree when uncaught', () => {
  const app = new App({ outdir });
  buildStack(app, ['vm'], ['vm']);
  let thrown: unknown;
  try {
    app.synth();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConstructError);
  expect((thrown as ConstructError).detail).toMatch(/^instance "vm": the user-data \(Ignition config\) is \d+ bytes, over 262144 bytes/);
  // Node prints an uncaught error with its own properties: not the construct tree it refers to.
  expect(inspect(thrown)).not.toMatch(/construct:|_children/);
});
