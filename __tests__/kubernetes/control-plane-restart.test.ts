/**
 * The restart after a certificate renewal, run with sh on the controller's rendered manifests: it
 * changes exactly the secrets-generation annotation of each (so the kubelet recreates the pod),
 * leaves valid Pods, no dot file behind, and a manifest without the annotation untouched.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RESTART_CONTROL_PLANE_SH, SECRETS_GENERATION_ANNOTATION, SECRETS_GENERATION_AT_BOOT } from '../../constructs/kubernetes/control-plane-restart';
import { renderStaticPodManifests } from '../../constructs/kubernetes/static-pods';
import { expectValidKubernetesObject } from './schema';

const manifests = renderStaticPodManifests({ etcdServers: ['https://127.0.0.1:2379'], serviceCidr: '10.3.0.0/16', podCidr: '10.20.0.0/14', allocateNodeCidrs: false });

describe('restart-control-plane', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'restart-control-plane-'));
  const script = path.join(dir, 'restart-control-plane');
  const manifestsDir = path.join(dir, 'manifests');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(script, RESTART_CONTROL_PLANE_SH, { mode: 0o755 });
  execFileSync('mkdir', [manifestsDir]);
  for (const m of manifests) writeFileSync(path.join(manifestsDir, path.basename(m.path)), m.contents);
  const foreign = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "mine"}}\n';
  writeFileSync(path.join(manifestsDir, 'mine.json'), foreign);
  const run = () => execFileSync('sh', [script, manifestsDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  test('every control-plane pod is written with the annotation at boot', () => {
    for (const m of manifests) expect(JSON.parse(m.contents).metadata.annotations).toEqual({ [SECRETS_GENERATION_ANNOTATION]: SECRETS_GENERATION_AT_BOOT });
  });

  test('changes exactly the annotation of each control-plane manifest, to the time of the restart', () => {
    run();
    for (const m of manifests) {
      const after = JSON.parse(readFileSync(path.join(manifestsDir, path.basename(m.path)), 'utf8'));
      const stamp = after.metadata.annotations[SECRETS_GENERATION_ANNOTATION] as string;
      expect(stamp).toMatch(/^\d{8}T\d{6}Z$/);
      expect(after).toEqual({ ...JSON.parse(m.contents), metadata: { ...JSON.parse(m.contents).metadata, annotations: { [SECRETS_GENERATION_ANNOTATION]: stamp } } });
      expectValidKubernetesObject(after);
    }
  });

  test('leaves no dot file for the kubelet to skip, and a manifest without the annotation as it was', () => {
    expect(readdirSync(manifestsDir).sort()).toEqual(['kube-apiserver.json', 'kube-controller-manager.json', 'kube-scheduler.json', 'mine.json']);
    expect(readFileSync(path.join(manifestsDir, 'mine.json'), 'utf8')).toBe(foreign);
  });

  test('an empty or missing directory is not an error', () => {
    expect(() => execFileSync('sh', [script, path.join(dir, 'none')], { stdio: 'ignore' })).not.toThrow();
  });
});
