/**
 * Every add-on object of every variant passes kubernetes-models' validate() and the strict
 * unknown-field check (__tests__/kubernetes/schema.ts), and the cross-references between them hold.
 */
import { addonObjects } from '../../constructs/kubernetes/addons';
import { VARIANTS } from './addons-fixtures';
import { referenceProblems } from './addons-references';
import { kubernetesSchemaProblems } from './schema';

// The distinct objects of all variants, each checked once.
const all = Object.values(VARIANTS).flatMap((options) => addonObjects(options));
const distinct = [...new Map(all.map((o) => [JSON.stringify(o), o])).values()];

describe('add-on objects against the Kubernetes schemas (kubernetes-models 5.1.0)', () => {
  test('every object passes its model validate() and has no field its schema lacks', () => {
    expect(distinct.flatMap((o) => kubernetesSchemaProblems(o))).toEqual([]);
  });

  test('the checks refuse a wrong type and an unknown field (they can fail)', () => {
    const base = distinct.find((o) => o.kind === 'DaemonSet')!;
    const spec = base.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
    const container = spec.template.spec.containers[0];
    const withBogus = { ...base, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers: [{ ...container, bogusField: 1 }] } } } };
    const wrongType = { ...base, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers: [{ ...container, name: 7 }] } } } };
    expect(kubernetesSchemaProblems(withBogus)).toEqual([expect.stringMatching(/containers\[0\]\.bogusField is not a field/)]);
    expect(kubernetesSchemaProblems(wrongType)).toEqual([expect.stringMatching(/containers\/0\/name must be string/)]);
  });
});

describe.each(Object.entries(VARIANTS))('cross-references, %s', (_name, options) => {
  test('bindings, service accounts, mounted ConfigMaps and Secrets, selectors and ports all resolve', () => {
    expect(referenceProblems(addonObjects(options))).toEqual([]);
  });
});

test('the reference check finds a missing service account and a missing ConfigMap (it can fail)', () => {
  const objects = addonObjects(VARIANTS['default (cilium)']);
  const without = objects.filter((o) => !(o.kind === 'ServiceAccount' && o.metadata.name === 'coredns') && !(o.kind === 'ConfigMap' && o.metadata.name === 'in-cluster'));
  expect(referenceProblems(without)).toEqual(
    expect.arrayContaining([
      'ClusterRoleBinding system:coredns: no ServiceAccount kube-system/coredns',
      'Deployment kube-system/coredns: no ServiceAccount coredns',
      'DaemonSet kube-system/cilium: no ConfigMap in-cluster',
    ]),
  );
});
