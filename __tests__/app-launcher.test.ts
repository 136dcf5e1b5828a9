/**
 * The cdktf app command end to end, in a temporary copy of the project: scripts/app-launcher.js
 * rebuilds what changed before synthesizing, and a bad config is reported once, at its
 * file:line:column, without stack frames, both run directly and under the real `cdktf synth`.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const PROJECT_FILES = ['main.ts', 'index.ts', 'constructs', 'transpiler', 'configs', 'cdktf.json', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
// No network: no version check, and terraform's (absent) CLI config file is not looked up.
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null', APP_LAUNCHER_VERBOSE: '1' };

jest.setTimeout(180_000);

let project: string;

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'app-launcher-'));
  for (const file of PROJECT_FILES) cpSync(path.join(ROOT, file), path.join(project, file), { recursive: true, preserveTimestamps: true });
  cpSync(path.join(ROOT, 'scripts', 'app-launcher.js'), path.join(project, 'scripts', 'app-launcher.js'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  // `npm run build`'s output and build info, as after `npm ci`: later runs rebuild incrementally
  // (a build from scratch costs 10-15 s of the suite's time; `npm ci` proves that one)
  if (existsSync(path.join(ROOT, 'dist', '.tsbuildinfo'))) cpSync(path.join(ROOT, 'dist'), path.join(project, 'dist'), { recursive: true, preserveTimestamps: true });
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

function launch(): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['scripts/app-launcher.js'], { cwd: project, env: ENV, encoding: 'utf8' });
}

function coreosStack(): { resource: { google_compute_instance: Record<string, { machine_type: string }> } } {
  return JSON.parse(readFileSync(path.join(project, 'cdktf.out', 'stacks', 'coreos', 'cdk.tf.json'), 'utf8'));
}

function machineTypes(): string[] {
  return Object.values(coreosStack().resource.google_compute_instance).map((instance) => instance.machine_type);
}

function edit(file: string, change: (text: string) => string): void {
  const full = path.join(project, file);
  writeFileSync(full, change(readFileSync(full, 'utf8')));
}

test('runs the current build, skips the build when nothing changed, rebuilds after an edit', () => {
  // as after `npm ci`: a build (or none, for a copy without build info) that the launcher brings up to date
  const first = launch();
  expect(first.status).toBe(0);
  expect(machineTypes()).toEqual(['f1-micro']);

  const unchanged = launch();
  expect({ status: unchanged.status, stderr: unchanged.stderr }).toEqual({ status: 0, stderr: '' });

  edit('main.ts', (text) => text.replace("machineType: 'f1-micro'", "machineType: 'e2-micro'"));
  const edited = launch();
  expect(edited.status).toBe(0);
  expect(edited.stderr).toMatch(/rebuilt/);
  expect(machineTypes()).toEqual(['e2-micro']);
});

describe('a bad configs/core.yaml', () => {
  const original = readFileSync(path.join(ROOT, 'configs', 'core.yaml'), 'utf8');
  afterEach(() => writeFileSync(path.join(project, 'configs', 'core.yaml'), original));

  test('a typo in a key fails the synth at configs/core.yaml:1:1, printed once, without a stack', () => {
    edit('configs/core.yaml', (text) => text.replace(/^passwd:/, 'paswd:'));
    const result = launch();
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Error: CoreOSInstance coreos/us-central1-c--f1-micro: configs/core.yaml:1:1: error: Config has unrecognized key: paswd (at paswd); ' +
        'fix the key (a typo leaves that part of the config out), or set allowUnknownKeys: true to accept it\n',
    );
  });

  test('a YAML syntax error names the line and column where the parser stopped', () => {
    edit('configs/core.yaml', (text) => text.replace('    - name: adrian\n', '    - name: adrian\n      shell: [a\n'));
    const result = launch();
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("Error: CoreOSInstance coreos/us-central1-c--f1-micro: configs/core.yaml:5:13: error: yaml: did not find expected ',' or ']'\n");
  });

  test('under the real `cdktf synth`, the error is printed once, as an error annotation, without a stack', () => {
    edit('configs/core.yaml', (text) => text.replace(/^passwd:/, 'paswd:'));
    const cli = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
    const result = spawnSync(cli, ['synth'], { cwd: project, env: { ...ENV, CI: '1', FORCE_COLOR: '0' }, encoding: 'utf8' });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status).not.toBe(0);
    expect(output.split('configs/core.yaml:1:1: error: Config has unrecognized key: paswd')).toHaveLength(2);
    expect(output).toContain('ERROR [coreos/us-central1-c--f1-micro]: configs/core.yaml:1:1: error: Config has unrecognized key: paswd (at paswd); fix the key');
    expect(output).not.toMatch(/^\s+at /m);
  });
});

describe('an error found only at synth (a snippet makes the merged config too large)', () => {
  let before: string;
  beforeAll(() => {
    before = readFileSync(path.join(project, 'main.ts'), 'utf8');
    edit('main.ts', (text) =>
      text.replace(
        '      configVariables: { ssh_public_key: sshPublicKey.stringValue },\n    });\n',
        "      configVariables: { ssh_public_key: sshPublicKey.stringValue },\n    });\n    this.instance.addFile({ path: '/etc/big', contents: { inline: 'a'.repeat(300_000) } });\n",
      ),
    );
  });
  afterAll(() => writeFileSync(path.join(project, 'main.ts'), before));
  const message = /instance "us-central1-c--f1-micro": the user-data \(Ignition config\) is \d+ bytes, over 262144 bytes/;

  test('run directly, it is printed once, without a stack', () => {
    const result = launch();
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('app-launcher:'));
    expect(lines).toEqual([expect.stringMatching(/^Error: CoreOSInstance coreos\/us-central1-c--f1-micro: instance "us-central1-c--f1-micro": the user-data/)]);
  });

  test('under the real `cdktf synth`, it is printed once, as an error annotation, without a stack', () => {
    const cli = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
    const result = spawnSync(cli, ['synth'], { cwd: project, env: { ...ENV, CI: '1', FORCE_COLOR: '0' }, encoding: 'utf8' });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status).not.toBe(0);
    expect(output.split(new RegExp(message.source, 'g'))).toHaveLength(2);
    expect(output).toMatch(/ERROR \[coreos\/us-central1-c--f1-micro\]: instance "us-central1-c--f1-micro": the user-data/);
    expect(output).not.toMatch(/Validation failed/);
    expect(output).not.toMatch(/^\s+at /m);
  });
});

// Last: it leaves the copy broken.
test('a type error stops the synth, and the last good build is not run', () => {
  edit('main.ts', (text) => text.replace("machineType: 'e2-micro'", 'machineType: 42'));
  const broken = launch();
  expect(broken.status).not.toBe(0);
  expect(broken.stdout + broken.stderr).toMatch(/main\.ts\(\d+,\d+\): error TS2322/);
  expect(broken.stderr).toContain('app-launcher: the build failed');
});
