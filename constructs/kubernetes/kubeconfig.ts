/**
 * A kubeconfig as JSON text (valid YAML, read alike by kubectl, the kubelet and the control-plane
 * components): one cluster, one user, one context, current. Pure (no cdktf): the PEMs and the
 * token may be cdktf token strings, passed through untouched.
 *
 * The certificate and key go in as base64 `*-data` fields through the caller's `base64`: a
 * construct passes cdktf's `Fn.base64encode`, so that Terraform encodes the PEM at apply. A raw
 * PEM substituted into the text would put its newlines inside a JSON string.
 */

/** A user that authenticates with a client certificate (control-plane components, the admin). */
export interface KubeconfigCertificateUser {
  /** The client certificate, PEM (or a Terraform reference to one). */
  readonly clientCertPem: string;
  /** Its private key, PEM (or a Terraform reference to one). */
  readonly clientKeyPem: string;
}

/** A user that authenticates with a bearer token (the kubelet's bootstrap token). */
export interface KubeconfigTokenUser {
  /** The token, e.g. `<id>.<secret>` (or a Terraform reference to one). Written as is: tokens need no encoding. */
  readonly token: string;
}

export interface KubeconfigOptions {
  /** The cluster entry's name; also the user's and the context's unless named below. */
  readonly clusterName: string;
  /** The apiserver's URL, `https://HOST:PORT`; may hold tokens (a load balancer's address). */
  readonly server: string;
  /** The CA that signed the apiserver's serving certificate, PEM (or a Terraform reference to one). */
  readonly caCertPem: string;
  /** The credentials. */
  readonly user: KubeconfigCertificateUser | KubeconfigTokenUser;
  /**
   * Base64 of a string, applied to the PEMs. A construct passes `Fn.base64encode` (PEMs are
   * Terraform references at synth); a test passes `(s) => Buffer.from(s).toString('base64')`.
   */
  readonly base64: (text: string) => string;
  /**
   * The user entry's name.
   * @default clusterName: kubectl merges kubeconfigs by entry name, so names specific to the
   * cluster keep two clusters' credentials apart
   */
  readonly userName?: string;
  /**
   * The context's name.
   * @default clusterName
   */
  readonly contextName?: string;
}

/** The kubeconfig, as `JSON.stringify(config, null, 2)` plus a newline. */
export function renderKubeconfig(options: KubeconfigOptions): string {
  return `${JSON.stringify(kubeconfigObject(options), null, 2)}\n`;
}

/** The kubeconfig as an object, in the key order renderKubeconfig writes. */
export function kubeconfigObject(options: KubeconfigOptions): Record<string, unknown> {
  const problems = kubeconfigProblems(options);
  if (problems.length > 0) throw new Error(`kubeconfig for cluster "${options.clusterName}": ${problems.join('; ')}`);
  const userName = options.userName ?? options.clusterName;
  const contextName = options.contextName ?? options.clusterName;
  const user =
    'token' in options.user
      ? { token: options.user.token }
      : { 'client-certificate-data': options.base64(options.user.clientCertPem), 'client-key-data': options.base64(options.user.clientKeyPem) };
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: options.clusterName, cluster: { server: options.server, 'certificate-authority-data': options.base64(options.caCertPem) } }],
    users: [{ name: userName, user }],
    contexts: [{ name: contextName, context: { cluster: options.clusterName, user: userName } }],
    'current-context': contextName,
  };
}

/** cdktf's string tokens (`${TfToken[...]}`) and Terraform references both start so: checked at apply, not here. */
const isUnresolved = (value: string) => value.includes('${');

function kubeconfigProblems(options: KubeconfigOptions): string[] {
  const problems: string[] = [];
  const nonEmpty = (what: string, value: string | undefined) => {
    if (value !== undefined && value.trim() === '') problems.push(`${what} is empty`);
  };
  nonEmpty('clusterName', options.clusterName);
  nonEmpty('userName', options.userName);
  nonEmpty('contextName', options.contextName);
  nonEmpty('caCertPem', options.caCertPem);
  if (!isUnresolved(options.server) && !/^https:\/\/[^/\s]+(\/\S*)?$/.test(options.server)) {
    problems.push(`server "${options.server}" must be an https:// URL such as https://10.0.0.2:6443: the apiserver serves TLS only`);
  }
  if ('token' in options.user) {
    nonEmpty('user.token', options.user.token);
    if ('clientCertPem' in options.user) problems.push('user has both a token and a client certificate: give one');
  } else {
    nonEmpty('user.clientCertPem', options.user.clientCertPem);
    nonEmpty('user.clientKeyPem', options.user.clientKeyPem);
  }
  return problems;
}
