/** ct's gce dynamic data in etcd and flannel sections reaches the instance intact (docs/ct.md §8). */
import 'cdktf/lib/testing/adapters/jest';
import { synthProps, type Json } from './synth-helpers';

const CONFIG = `
etcd:
  version: 3.3.9
  name: "{HOSTNAME}"
  advertise_client_urls: "http://{PRIVATE_IPV4}:2379"
  initial_advertise_peer_urls: "http://{PRIVATE_IPV4}:2380"
  listen_peer_urls: "http://{PRIVATE_IPV4}:2380"
  initial_cluster: "{HOSTNAME}=http://{PRIVATE_IPV4}:2380"
flannel:
  version: 0.7.1
  etcd_endpoints: "http://{PRIVATE_IPV4}:2379"
  public_ip: "{PUBLIC_IPV4}"
`;

/** The user-data as Terraform hands it to Google: the template's `$${` escapes undone. */
function userData(instance: Json): Json {
  const rendered = (instance.metadata['user-data'] as string).replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  return JSON.parse(rendered);
}

function dropin(ignition: Json, unit: string): string {
  const found = ignition.systemd.units.find((u: Json) => u.name === unit);
  expect(found).toBeDefined();
  return found.dropins[0].contents;
}

test('etcd and flannel drop-ins use the gce metadata variables', () => {
  const ignition = userData(synthProps({ config: CONFIG }).instance);

  expect(dropin(ignition, 'etcd-member.service')).toBe(
    [
      '[Unit]',
      'Requires=coreos-metadata.service',
      'After=coreos-metadata.service',
      '',
      '[Service]',
      'EnvironmentFile=/run/metadata/coreos',
      'Environment="ETCD_IMAGE_TAG=v3.3.9"',
      'ExecStart=',
      'ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\',
      '  --name="${COREOS_GCE_HOSTNAME}" \\',
      '  --listen-peer-urls="http://${COREOS_GCE_IP_LOCAL_0}:2380" \\',
      '  --initial-advertise-peer-urls="http://${COREOS_GCE_IP_LOCAL_0}:2380" \\',
      '  --initial-cluster="${COREOS_GCE_HOSTNAME}=http://${COREOS_GCE_IP_LOCAL_0}:2380" \\',
      '  --advertise-client-urls="http://${COREOS_GCE_IP_LOCAL_0}:2379"',
    ].join('\n'),
  );
  const flannel = dropin(ignition, 'flanneld.service');
  expect(flannel).toContain('EnvironmentFile=/run/metadata/coreos');
  expect(flannel).toContain('--etcd-endpoints="http://${COREOS_GCE_IP_LOCAL_0}:2379"');
  expect(flannel).toContain('--public-ip="${COREOS_GCE_IP_EXTERNAL_0}"');
});

test('the metadata variables reach Terraform escaped, never as references', () => {
  const raw = synthProps({ config: CONFIG }).instance.metadata['user-data'] as string;
  expect(raw).toContain('$${COREOS_GCE_HOSTNAME}');
  expect(raw.replace(/\$\$\{/g, '')).not.toContain('${');
});
