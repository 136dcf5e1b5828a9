/**
 * Test helper: a stack holding one KubernetesPki for the `demo` cluster (an internal API load
 * balancer at 10.128.0.100, an external one at 34.120.0.7 named k8s.example.com) and every
 * kubeconfig it renders as a sensitive output, synthesized to Terraform JSON.
 */
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { KubernetesPki, type KubernetesPkiProps } from '../../constructs/kubernetes/kubernetes-pki';

export const DEMO = {
  clusterName: 'demo',
  internalLbIp: '10.128.0.100',
  externalLbIp: '34.120.0.7',
  externalName: 'k8s.example.com',
} as const;
export const INTERNAL_API_SERVER = `https://${DEMO.internalLbIp}:6443`;
export const EXTERNAL_API_SERVER = `https://${DEMO.externalName}:6443`;

/** The kubeconfigs, by output name. */
export const KUBECONFIG_OUTPUTS = ['controller-manager-kubeconfig', 'scheduler-kubeconfig', 'admin-kubeconfig', 'admin-kubeconfig-external', 'bootstrap-kubeconfig'] as const;
export type KubeconfigOutput = (typeof KUBECONFIG_OUTPUTS)[number];

export interface SynthesizedKubernetesPki {
  readonly pki: KubernetesPki;
  readonly json: Record<string, unknown>;
  /** Each kubeconfig output's value: the kubeconfig text with Terraform references in it. */
  readonly kubeconfigs: Readonly<Record<KubeconfigOutput, string>>;
}

export function demoPkiProps(props: Partial<KubernetesPkiProps> = {}): KubernetesPkiProps {
  return { clusterName: DEMO.clusterName, apiServerIps: [DEMO.internalLbIp, DEMO.externalLbIp], apiServerDnsNames: [DEMO.externalName], ...props };
}

/** The PKI in a stack of its own, its kubeconfigs as outputs, and the stack's Terraform JSON. */
export function synthesizeKubernetesPki(props: Partial<KubernetesPkiProps> = {}): SynthesizedKubernetesPki {
  const stack = new TerraformStack(Testing.app(), 'kubernetes-pki-stack');
  const pki = new KubernetesPki(stack, 'kubernetes-pki', demoPkiProps(props));
  const values: Record<KubeconfigOutput, string> = {
    'controller-manager-kubeconfig': pki.controllerManagerKubeconfig(),
    'scheduler-kubeconfig': pki.schedulerKubeconfig(),
    'admin-kubeconfig': pki.adminKubeconfig(),
    'admin-kubeconfig-external': pki.adminKubeconfig(EXTERNAL_API_SERVER),
    'bootstrap-kubeconfig': pki.bootstrapKubeconfig(INTERNAL_API_SERVER),
  };
  for (const name of KUBECONFIG_OUTPUTS) new TerraformOutput(stack, name, { value: values[name], sensitive: true });
  const json = JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
  const outputs = json.output as Record<string, { value: string; sensitive: boolean }>;
  const kubeconfigs = Object.fromEntries(KUBECONFIG_OUTPUTS.map((name) => [name, outputs[name].value])) as Record<KubeconfigOutput, string>;
  return { pki, json, kubeconfigs };
}
