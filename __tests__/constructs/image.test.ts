import 'cdktf/lib/testing/adapters/jest';
import { AnnotationMetadataEntryType } from 'cdktf';
import { Image, ImageDistribution } from '../../constructs/image';
import { construct, synthProps } from './synth-helpers';

const CONFIG = 'passwd:\n  users:\n    - name: core\n';
const FCOS = 'variant: fcos\nversion: 1.5.0\n';

describe('Image presets', () => {
  test.each([
    [Image.coreos(), 'coreos-stable', ImageDistribution.COREOS],
    [Image.coreos('beta'), 'coreos-beta', ImageDistribution.COREOS],
    [Image.coreos('alpha'), 'coreos-alpha', ImageDistribution.COREOS],
    [Image.flatcar(), 'projects/kinvolk-public/global/images/family/flatcar-stable', ImageDistribution.FLATCAR],
    [Image.flatcar('lts'), 'projects/kinvolk-public/global/images/family/flatcar-lts', ImageDistribution.FLATCAR],
    [Image.fedoraCoreOS('next'), 'projects/fedora-coreos-cloud/global/images/family/fedora-coreos-next', ImageDistribution.FEDORA_COREOS],
    [Image.custom('projects/x/global/images/y'), 'projects/x/global/images/y', ImageDistribution.CUSTOM],
  ])('%j', (image, name, distribution) => {
    expect(image.image).toBe(name);
    expect(image.distribution).toBe(distribution);
  });

  test.each([
    ['coreos-beta', ImageDistribution.COREOS],
    ['projects/coreos-cloud/global/images/coreos-stable-2512-3-0-v20200605', ImageDistribution.COREOS],
    ['kinvolk-public/flatcar-stable', ImageDistribution.FLATCAR],
    ['fedora-coreos-cloud/fedora-coreos-stable', ImageDistribution.FEDORA_COREOS],
    ['debian-cloud/debian-12', ImageDistribution.CUSTOM],
  ])('a plain string %s is recognized as %s', (image, distribution) => {
    expect(Image.of(image).distribution).toBe(distribution);
  });
});

describe('CoreOSInstance image', () => {
  const warningsOf = (image: Image) =>
    construct({ config: CONFIG, image }).node.metadata.filter((e) => e.type === AnnotationMetadataEntryType.WARN).map((e) => String(e.data));

  test('a preset becomes the boot disk image', () => {
    const { instance } = synthProps({ config: CONFIG, image: Image.flatcar('beta') });
    expect(instance.boot_disk.initialize_params.image).toBe('projects/kinvolk-public/global/images/family/flatcar-beta');
  });

  test('CoreOS warns and names the Flatcar preset; Flatcar does not warn', () => {
    expect(warningsOf(Image.coreos('beta'))).toEqual([expect.stringMatching(/^image "coreos-beta": CoreOS Container Linux reached end of life in 2020.*Image\.flatcar\('stable'\)/)]);
    expect(warningsOf(Image.flatcar())).toEqual([]);
  });

  test('Fedora CoreOS takes Butane only: a Container Linux Config is refused with what to write instead', () => {
    const refusal =
      /^CoreOSInstance stack\/vm: image "projects\/fedora-coreos-cloud\/global\/images\/family\/fedora-coreos-stable" is Fedora CoreOS, which takes Ignition spec 3 from a Butane config: write the config in Butane \(variant: fcos, version: 1\.5\.0\); a Container Linux Config is for Flatcar$/;
    expect(() => construct({ config: CONFIG, image: Image.fedoraCoreOS() })).toThrow(refusal);
    expect(() => construct({ config: CONFIG, image: Image.fedoraCoreOS(), ignitionVersion: '3.3.0' })).toThrow(refusal);
    expect(() => construct({ config: CONFIG, image: 'fedora-coreos-cloud/fedora-coreos-stable' })).toThrow(/takes Ignition spec 3 from a Butane config/);
    const { instance } = synthProps({ config: FCOS + CONFIG, image: Image.fedoraCoreOS() });
    expect(JSON.parse(instance.metadata['user-data']).ignition.version).toBe('3.4.0');
  });

  test.each([
    ['etcd:\n  name: node-0\n', 'etcd'],
    ['flannel:\n  etcd_prefix: /coreos.com/network\n', 'flannel'],
    ['update:\n  group: stable\n', 'update'],
    ['locksmith:\n  reboot_strategy: reboot\n', 'locksmith'],
  ])('Fedora CoreOS refuses a Container Linux snippet with %j', (section, name) => {
    expect(() => construct({ config: FCOS + CONFIG, image: Image.fedoraCoreOS() }).addSnippet(section)).toThrow(
      `CoreOSInstance stack/vm: addSnippet(): the ${name} section configures a Container Linux service that Fedora CoreOS does not have`,
    );
  });

  test('CoreOS Container Linux cannot boot spec 3; Flatcar can', () => {
    expect(() => construct({ config: CONFIG, ignitionVersion: '3.3.0' })).toThrow(/is CoreOS Container Linux, which boots Ignition spec 2 only/);
    expect(() => construct({ config: CONFIG + 'etcd:\n  name: x\n', image: Image.flatcar(), ignitionVersion: '3.3.0' })).not.toThrow();
  });
});
