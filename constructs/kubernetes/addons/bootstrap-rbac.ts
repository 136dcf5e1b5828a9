/**
 * What lets nodes join and people administer: the bootstrap-token Secret, the bindings for TLS
 * bootstrap and CSR auto-approval, the groups our client certificates carry, and the `in-cluster`
 * ConfigMap. As Typhoon's `resources/manifests/` (poseidon/terraform-render-bootstrap
 * `bootstrap-token.yaml`, `bootstrap-*-cluster-role-binding.yaml` @924beb4b, `in-cluster.yaml`
 * @720adbeb, `kubelet-delete-cluster-role.yaml` @5b2fbbef), except that admins are a revocable
 * group bound to cluster-admin rather than `system:masters`.
 */
import { ADMIN_GROUP, KUBELET_API_ADMIN_GROUP } from '../cluster-settings';
import type { ResolvedAddonOptions } from './addon-options';
import { ADDON_NAMESPACE, type KubeObject, clusterRole, clusterRoleBinding, configMap, groupSubject } from './kube-objects';

/** The group every bootstrap token authenticates as (kube-apiserver's bootstrap authenticator). */
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
/** The `in-cluster` ConfigMap: where Cilium reaches the apiservers before Service IPs work. */
export const IN_CLUSTER_CONFIG_MAP = 'in-cluster';

export function renderBootstrapRbac(options: ResolvedAddonOptions): KubeObject[] {
  return [
    bootstrapTokenSecret(options),
    // TLS bootstrap: a token holder may create a CSR, and its CSR for a node client certificate is approved.
    clusterRoleBinding('bootstrap-node', 'system:node-bootstrapper', [groupSubject(BOOTSTRAPPERS_GROUP)]),
    clusterRoleBinding('bootstrap-approve-new', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [groupSubject(BOOTSTRAPPERS_GROUP)]),
    // Rotation: a node's CSR to renew its own client certificate is approved.
    clusterRoleBinding('bootstrap-approve-renew', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [groupSubject('system:nodes')]),
    // The admin kubeconfig's group: a binding one can delete, where system:masters cannot be revoked.
    clusterRoleBinding('cdktf-coreos:cluster-admins', 'cluster-admin', [groupSubject(ADMIN_GROUP)]),
    // The apiserver's client certificate towards kubelets (logs, exec, port-forward).
    clusterRoleBinding('cdktf-coreos:kubelet-api-admins', 'system:kubelet-api-admin', [groupSubject(KUBELET_API_ADMIN_GROUP)]),
    configMap(IN_CLUSTER_CONFIG_MAP, { 'apiserver-host': options.apiServerHost, 'apiserver-port': String(options.apiServerPort) }),
    ...(options.nodeSelfDelete ? kubeletDelete() : []),
  ];
}

/** The Secret kube-apiserver's bootstrap authenticator looks up: `bootstrap-token-<id>`, in kube-system. */
function bootstrapTokenSecret(options: ResolvedAddonOptions): KubeObject {
  const token = options.bootstrapToken;
  const extraGroups = token.extraGroups ?? [];
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'bootstrap.kubernetes.io/token',
    metadata: { name: `bootstrap-token-${token.id}`, namespace: ADDON_NAMESPACE },
    stringData: {
      description: 'cdktf-coreos node bootstrap token',
      'token-id': token.id,
      'token-secret': token.secret,
      ...(token.expiration === undefined ? {} : { expiration: token.expiration }),
      'usage-bootstrap-authentication': 'true',
      ...(token.signing === true ? { 'usage-bootstrap-signing': 'true' } : {}),
      ...(extraGroups.length > 0 ? { 'auth-extra-groups': extraGroups.join(',') } : {}),
    },
  };
}

/** Typhoon's role for a node that drains and deletes itself on shutdown (NodeRestriction keeps it to itself). */
function kubeletDelete(): KubeObject[] {
  return [
    clusterRole('kubelet-delete', [
      { apiGroups: [''], resources: ['nodes'], verbs: ['delete'] },
      { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'statefulsets'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    ]),
    clusterRoleBinding('kubelet-delete', 'kubelet-delete', [groupSubject('system:nodes')]),
  ];
}
