/** WorkerPool: instance template, regional group, health check, rolling updates, Spot, validation. */
import 'cdktf/lib/testing/adapters/jest';
import { WorkerPool, type WorkerPoolProps } from '../../constructs/worker-pool';
import { transpile } from '../../transpiler';
import { evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';
import { newStack, resourcesOf, synthJson, type Json } from './cluster-helpers';

const PROPS: WorkerPoolProps = { name: 'demo-workers', region: 'us-central1' };
const CONFIG = 'systemd:\n  units:\n    - name: app.service\n      enabled: true\n      contents: "[Service]\\nExecStart=/usr/bin/sleep infinity\\n\\n[Install]\\nWantedBy=multi-user.target\\n"\n';

function synthPool(props: Partial<WorkerPoolProps> = {}, extend?: (pool: WorkerPool) => void): { pool: WorkerPool; template: Json; group: Json; healthCheck: Json } {
  const stack = newStack();
  const pool = new WorkerPool(stack, 'workers', { ...PROPS, ...props });
  extend?.(pool);
  const terraform = synthJson(stack);
  const only = (type: string): Json => {
    const found = resourcesOf(terraform, type);
    expect(found).toHaveLength(1);
    return found[0][1];
  };
  return {
    pool,
    template: only('google_compute_region_instance_template'),
    group: only('google_compute_region_instance_group_manager'),
    healthCheck: only('google_compute_health_check'),
  };
}

describe('a default pool', () => {
  const { pool, template, group, healthCheck } = synthPool({ size: 3, config: CONFIG, tags: ['demo-worker'] }, (p) =>
    p.addUnit({ name: 'app.service', dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=X=1\n' }] }, 'test'),
  );

  test('the template carries the merged config as user-data, exactly as Flatcar\'s ct writes it for the Flatcar image', () => {
    const merged = `${CONFIG}      dropins:\n        - name: 10-env.conf\n          contents: "[Service]\\nEnvironment=X=1\\n"\n`;
    const expected = transpile(merged, { platform: 'gce', dialect: 'flatcar' }).json;
    expect(evaluateTerraformTemplate(template.metadata['user-data'], {})).toBe(expected);
    expect(pool.ignition).toEqual(JSON.parse(expected));
  });

  test('the template is replaced before it is destroyed, under a name prefix', () => {
    expect(template).toMatchObject({
      name_prefix: 'demo-workers-',
      region: 'us-central1',
      machine_type: 'e2-small',
      disk: [{ boot: true, auto_delete: true, source_image: 'projects/kinvolk-public/global/images/family/flatcar-stable' }],
      network_interface: [{ network: 'default' }],
      tags: ['demo-worker'],
      lifecycle: { create_before_destroy: true },
    });
    expect(template.network_interface[0]).not.toHaveProperty('access_config');
    expect(template).not.toHaveProperty('scheduling');
    expect(template).not.toHaveProperty('service_account');
  });

  test('the regional group spreads over three zones, autoheals and rolls out by surge', () => {
    expect(group).toMatchObject({
      name: 'demo-workers',
      base_instance_name: 'demo-workers',
      region: 'us-central1',
      target_size: 3,
      distribution_policy_zones: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
      version: [{ name: 'primary', instance_template: expect.stringMatching(/^\$\{google_compute_region_instance_template\.workers_Template_[0-9A-F]{8}\.self_link\}$/) }],
      auto_healing_policies: { health_check: expect.stringMatching(/^\$\{google_compute_health_check\.workers_HealthCheck_[0-9A-F]{8}\.id\}$/), initial_delay_sec: 300 },
      update_policy: { type: 'PROACTIVE', minimal_action: 'REPLACE', max_surge_fixed: 3, max_unavailable_fixed: 0 },
    });
    expect(pool.instanceGroupManager.node.id).toBe('Resource');
  });

  test('a pool of its own (no ContainerLinuxCluster) connects to sshd by default: the only port every Container Linux has', () => {
    expect(healthCheck).toMatchObject({ name: 'demo-workers-health', tcp_health_check: { port: 22 } });
    expect(healthCheck).not.toHaveProperty('http_health_check');
    expect([pool.healthCheckPort, pool.healthCheckPath]).toEqual([22, undefined]);
  });
});

describe('options', () => {
  test('Spot workers stop rather than delete, as managed groups require', () => {
    const { template } = synthPool({ spot: true });
    expect(template.scheduling).toEqual({ provisioning_model: 'SPOT', preemptible: true, automatic_restart: false, instance_termination_action: 'STOP' });
  });

  test('disk, service account, scopes, external IP, HTTP health check, surge and image drift', () => {
    const { template, group, healthCheck } = synthPool({
      bootDiskSizeGb: 40,
      bootDiskType: 'pd-ssd',
      serviceAccountEmail: 'workers@p.iam.gserviceaccount.com',
      scopes: ['logging-write'],
      assignExternalIp: true,
      healthCheckPort: 8080,
      healthCheckPath: '/healthz',
      maxSurge: 0,
      maxUnavailable: 3,
      ignoreImageDrift: true,
      zones: ['us-central1-b', 'us-central1-c', 'us-central1-f'],
    });
    expect(template.disk[0]).toMatchObject({ disk_size_gb: 40, disk_type: 'pd-ssd' });
    expect(template.service_account).toEqual({ email: 'workers@p.iam.gserviceaccount.com', scopes: ['logging-write'] });
    expect(template.network_interface[0].access_config).toEqual([{}]);
    expect(template.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['disk[0].source_image'] });
    expect(healthCheck.http_health_check).toEqual({ port: 8080, request_path: '/healthz' });
    expect(healthCheck).not.toHaveProperty('tcp_health_check');
    expect(group.update_policy).toMatchObject({ max_surge_fixed: 0, max_unavailable_fixed: 3 });
    expect(group.distribution_policy_zones).toEqual(['us-central1-b', 'us-central1-c', 'us-central1-f']);
  });
});

describe('validation', () => {
  const build = (props: Partial<WorkerPoolProps>) => () => new WorkerPool(newStack(), 'workers', { ...PROPS, ...props });

  test('refuses surges a regional group cannot do', () => {
    expect(build({ maxSurge: 2 })).toThrow('maxSurge (2) and maxUnavailable (0) must each be 0 or at least the number of zones (3) in a regional group');
    expect(build({ maxSurge: 0 })).toThrow('maxSurge and maxUnavailable cannot both be 0');
  });

  test('refuses bad names, regions and sizes', () => {
    expect(build({ name: 'Workers' })).toThrow('name "Workers" must be 1-36 characters');
    expect(build({ region: 'nowhere1' })).toThrow('region "nowhere1" is not a Compute Engine region name');
    expect(build({ size: -1 })).toThrow('size must be a whole number, 0 or more (got -1)');
  });

  test('refuses a health check port that is no port and a path without its leading /', () => {
    expect(build({ healthCheckPort: 0 })).toThrow('healthCheckPort must be a port number, 1 to 65535 (got 0)');
    expect(build({ healthCheckPort: 70000 })).toThrow('healthCheckPort must be a port number, 1 to 65535 (got 70000)');
    expect(build({ healthCheckPort: 80, healthCheckPath: 'healthz' })).toThrow('healthCheckPath "healthz" must start with /');
  });

  test('refuses two pools of one name in a stack', () => {
    const stack = newStack();
    new WorkerPool(stack, 'a', PROPS);
    expect(() => new WorkerPool(stack, 'b', PROPS)).toThrow('WorkerPool stack/b: duplicate instance group name "demo-workers": stack/b and stack/a both use it');
  });
});
