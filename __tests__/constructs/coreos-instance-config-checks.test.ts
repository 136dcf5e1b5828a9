/** How strictly a CoreOSInstance checks its config: unknown keys, `strict`, and the dialect from the image. */
import 'cdktf/lib/testing/adapters/jest';
import { AnnotationMetadataEntryType, App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ConstructError } from '../../constructs/construct-error';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { ContainerLinuxCluster } from '../../constructs/container-linux-cluster';
import { Image } from '../../constructs/image';
import { transpile } from '../../transpiler';
import { evaluateTerraformTemplate } from './evaluate-terraform-template';
import { construct, synthProps } from './synth-helpers';

const FLATCAR = Image.flatcar('stable');
const TYPO = 'passwd:\n  users:\n    - name: core\n      ssh_authorised_keys:\n        - ssh-ed25519 AAAA\n';

function warningsOf(vm: CoreOSInstance): string[] {
  return vm.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
}

describe('unknown keys', () => {
  test('are an error by default, at the key, saying how to fix it', () => {
    expect(() => construct({ image: FLATCAR, config: TYPO })).toThrow(
      new Error(
        'CoreOSInstance stack/vm: inline config:4:7: error: Config has unrecognized key: ssh_authorised_keys (at passwd.users[0].ssh_authorised_keys); ' +
          'fix the key (a typo leaves that part of the config out), or set allowUnknownKeys: true to accept it',
      ),
    );
  });

  test('are a ConstructError, so apps print them without a stack', () => {
    expect(() => construct({ image: FLATCAR, config: 'paswd:\n  users: []\n' })).toThrow(ConstructError);
  });

  test('in a typed config, are located by their path', () => {
    const typed = { passwd: { users: [{ name: 'core' }] }, storge: {} } as never;
    expect(() => construct({ image: FLATCAR, config: typed })).toThrow(/^CoreOSInstance stack\/vm: inline config: error: Config has unrecognized key: storge \(at storge\);/);
  });

  test('in a snippet are refused when it is added, in the instance\'s dialect', () => {
    const vm = construct({ image: FLATCAR, config: 'passwd:\n  users:\n    - name: core\n' });
    expect(() => vm.addSnippet('systemd:\n  unit:\n    - name: x.service\n', 'test')).toThrow(
      /^CoreOSInstance stack\/vm: test:2:3: error: Config has unrecognized key: unit \(at systemd.unit\); fix the key/,
    );
    expect(() => vm.addSnippet('storage:\n  files:\n    - path: /etc/x\n      contents:\n        inline: x\n', 'test')).not.toThrow();
  });

  test('are a warning, as in ct, with allowUnknownKeys', () => {
    const vm = construct({ image: FLATCAR, config: TYPO, allowUnknownKeys: true });
    expect(warningsOf(vm)).toEqual(['inline config:4:7: warning: Config has unrecognized key: ssh_authorised_keys (at passwd.users[0].ssh_authorised_keys)']);
  });

  test('in a cluster\'s config are refused too, and allowed with the cluster\'s allowUnknownKeys', () => {
    const cluster = (allowUnknownKeys?: boolean): ContainerLinuxCluster =>
      new ContainerLinuxCluster(new TerraformStack(Testing.app(), 'stack'), 'cluster', {
        clusterName: 'demo',
        region: 'us-central1',
        project: 'my-project',
        config: TYPO,
        allowUnknownKeys,
      });
    expect(() => cluster()).toThrow(/EtcdCluster stack\/cluster\/etcd|CoreOSInstance stack\/cluster\/etcd\/member-0: inline config:4:7: error: Config has unrecognized key/);
    expect(() => cluster(true)).not.toThrow();
  });
});

describe('strict', () => {
  test('makes ct\'s warnings errors', () => {
    const deprecated = 'passwd:\n  users:\n    - name: core\n      create:\n        uid: 1000\n';
    expect(warningsOf(construct({ image: FLATCAR, config: deprecated }))).toHaveLength(1);
    expect(() => construct({ image: FLATCAR, config: deprecated, strict: true })).toThrow(/^CoreOSInstance stack\/vm: inline config:3:7: warning: the create object has been deprecated.*\n\(strict: true makes every warning an error\)$/);
  });

  test('also refuses a token whose quoting cannot be checked', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const server = new TerraformVariable(stack, 'server', { type: 'string' });
    const props = { zone: 'us-central1-c', machineType: 'e2-small', image: FLATCAR, config: `update:\n  server: "${server.stringValue}"\n` };
    expect(warningsOf(new CoreOSInstance(stack, 'lenient', props))).toEqual([expect.stringContaining('the URL is not validated')]);
    expect(() => new CoreOSInstance(stack, 'strict', { ...props, strict: true })).toThrow(/the URL is not validated[\s\S]*strict: true/);
  });

  test('also refuses the retired CoreOS image', () => {
    expect(() => construct({ image: Image.coreos('stable'), config: 'passwd: {}\n', strict: true })).toThrow(
      /^CoreOSInstance stack\/vm: image "coreos-stable": CoreOS Container Linux reached end of life.*\(strict: true makes every warning an error\)$/,
    );
  });

  test('is off by default and leaves a clean config alone', () => {
    expect(() => construct({ image: FLATCAR, config: 'passwd:\n  users:\n    - name: core\n', strict: true })).not.toThrow();
  });
});

describe('the dialect', () => {
  const CONFIG = 'passwd:\n  users:\n    - name: core\n';

  test('is Flatcar\'s for a Flatcar image: Ignition 2.3.0 exactly as Flatcar\'s ct writes it', () => {
    const { instance } = synthProps({ image: FLATCAR, config: CONFIG });
    expect(evaluateTerraformTemplate(instance.metadata['user-data'], {})).toBe(transpile(CONFIG, { platform: 'gce', dialect: 'flatcar' }).json);
    expect(JSON.parse(instance.metadata['user-data']).ignition.version).toBe('2.3.0');
  });

  test('is upstream ct\'s for a CoreOS image, and for an image it does not know', () => {
    expect(JSON.parse(synthProps({ image: Image.coreos('stable'), config: CONFIG }).instance.metadata['user-data']).ignition.version).toBe('2.2.0');
    expect(JSON.parse(synthProps({ image: Image.custom('my-image'), config: CONFIG }).instance.metadata['user-data']).ignition.version).toBe('2.2.0');
  });

  test('can be set: a file without a filesystem needs the flatcar dialect (root by default)', () => {
    const flatcarOnly = 'storage:\n  files:\n    - path: /etc/x\n      contents:\n        inline: x\n';
    expect(() => construct({ image: Image.custom('my-image'), config: flatcarOnly })).toThrow(/inline config:3:7: error: /);
    const { instance } = synthProps({ image: Image.custom('my-image'), config: flatcarOnly, dialect: 'flatcar' });
    expect(JSON.parse(instance.metadata['user-data']).storage.files[0]).toMatchObject({ filesystem: 'root', path: '/etc/x' });
    expect(JSON.parse(synthProps({ image: FLATCAR, config: CONFIG, dialect: 'coreos' }).instance.metadata['user-data']).ignition.version).toBe('2.2.0');
  });
});

describe('errors in an app', () => {
  test('synthesizeApp prints a ConstructError once, without a stack, and sets the exit code', async () => {
    const { synthesizeApp } = await import('../../constructs/synthesize-app');
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      synthesizeApp(new App({ outdir: '/nonexistent' }), (app) => construct({ config: 'paswd: {}\n' }, 'vm') && app, {});
      expect(written).toEqual([expect.stringMatching(/^Error: CoreOSInstance stack\/vm: inline config:1:1: error: Config has unrecognized key: paswd .*\n$/)]);
      expect(process.exitCode).toBe(1);
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
    }
  });
});
