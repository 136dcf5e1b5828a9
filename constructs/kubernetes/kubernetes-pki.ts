/**
 * A Kubernetes cluster's PKI as Terraform resources (hashicorp/tls, hashicorp/random), laid out as
 * kubeadm lays it out: the cluster CA; the apiserver's serving certificate; a separate client
 * certificate for the apiserver's calls to kubelets; the controller-manager's, the scheduler's and
 * the admin's client certificates; the service-account signing key pair; a front-proxy CA of its
 * own with its client certificate; and the kubelets' bootstrap token. Nothing is in
 * `system:masters`, a group RBAC cannot revoke: the admin's group is bound to `cluster-admin` by a
 * ClusterRoleBinding, the kubelet client's to `system:kubelet-api-admin`. (Typhoon's
 * poseidon/terraform-render-bootstrap `tls-k8s.tf` puts both its admin certificate and its apiserver
 * certificate, which doubles as the kubelet client, in `system:masters`; kubeadm left it in v1.29.)
 *
 * As with EtcdPki, every private key (the CAs' too) and the token live in the Terraform state.
 */
import { Fn, Token, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { CA_USES, CLIENT_USES, type EtcdPkiKeyAlgorithm } from '../cluster-pki';
import { ConstructError } from '../construct-error';
import { DEFAULT_CA_VALIDITY_HOURS, DEFAULT_CERT_VALIDITY_HOURS, DEFAULT_EARLY_RENEWAL_HOURS, ensureProvider, validityProblems, type PkiValidityProps } from '../pki-common';
import { RandomPassword, RandomProvider, TlsCertRequest, TlsLocallySignedCert, TlsPrivateKey, TlsProvider, TlsSelfSignedCert } from '../pki-providers';
import {
  ADMIN_GROUP,
  apiServiceIp,
  APISERVER_KUBELET_CLIENT_CN,
  CLUSTER_DOMAIN,
  DEFAULT_SERVICE_CIDR,
  FRONT_PROXY_CLIENT_CN,
  KUBELET_API_ADMIN_GROUP,
  LOCAL_API_SERVER,
} from './cluster-settings';
import { renderKubeconfig, type KubeconfigCertificateUser, type KubeconfigTokenUser } from './kubeconfig';

/** How each key is generated: `ECDSA` is P-256, `RSA` is 2048 bits (the same choice as EtcdPki's). */
export type KubernetesPkiKeyAlgorithm = EtcdPkiKeyAlgorithm;

/** The admin certificate's user name (kubeadm's for admin.conf); its group is ADMIN_GROUP. */
export const ADMIN_USER = 'kubernetes-admin';
export const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';
export const SCHEDULER_USER = 'system:kube-scheduler';
/** The apiserver serving certificate's common name (kubeadm's); a server certificate's CN names nobody. */
export const APISERVER_CN = 'kube-apiserver';
/** The one group no certificate here may carry: its members bypass RBAC and cannot be revoked. */
export const SYSTEM_MASTERS = 'system:masters';

/**
 * The DNS names of the `kubernetes` Service, by which pods reach the apiserver, and `localhost`.
 */
export const API_SERVICE_DNS_NAMES: readonly string[] = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${CLUSTER_DOMAIN}`, 'localhost'];

/** Bootstrap tokens are `[a-z0-9]{6}.[a-z0-9]{16}` (the apiserver's bootstrap-token authenticator refuses anything else). */
export const BOOTSTRAP_TOKEN_ID_LENGTH = 6;
export const BOOTSTRAP_TOKEN_SECRET_LENGTH = 16;

/**
 * A server key's `allowed_uses`. keyEncipherment only for RSA: RFC 5480 §3 forbids it on an EC
 * key, and an ECDHE handshake needs only the signature.
 */
export function serverUses(algorithm: KubernetesPkiKeyAlgorithm): readonly string[] {
  return algorithm === 'RSA' ? ['digital_signature', 'key_encipherment', 'server_auth'] : ['digital_signature', 'server_auth'];
}

export interface KubernetesPkiProps extends PkiValidityProps {
  /** The cluster's name (a literal): the CAs' common names are `<clusterName>-kubernetes-ca` and `<clusterName>-front-proxy-ca`, and the kubeconfigs name their cluster so. */
  readonly clusterName: string;
  /**
   * Addresses by which the apiserver is reached, each an IP SAN of its serving certificate: the
   * API load balancers' addresses, literals or tokens (an address resource's `address`). The
   * service IP and 127.0.0.1 are always added.
   */
  readonly apiServerIps: readonly string[];
  /**
   * DNS names by which the apiserver is reached from outside the cluster, each a SAN (e.g. the
   * external load balancer's name). The `kubernetes.default...` names and `localhost` are always added.
   * @default - none
   */
  readonly apiServerDnsNames?: readonly string[];
  /**
   * The Service range (a literal): its first address, the `kubernetes` Service's, is a SAN.
   * @default DEFAULT_SERVICE_CIDR ('10.3.0.0/16')
   */
  readonly serviceCidr?: string;
  /**
   * The algorithm of every certificate's key.
   * @default 'ECDSA' (P-256), as EtcdPki: kube-apiserver, the kubelet, kubectl and every client-go
   * program speak it; its handshakes are cheaper, Terraform generates it at once, and its PEMs are
   * a fraction of RSA's (the CA certificate travels in every worker's metadata)
   */
  readonly keyAlgorithm?: KubernetesPkiKeyAlgorithm;
  /**
   * The algorithm of the service-account signing key (`--service-account-key-file`,
   * `--service-account-signing-key-file`); the apiserver accepts both, signing RS256 or ES256.
   * @default 'RSA' (2048 bits, tokens signed RS256): the apiserver publishes this key through
   * service-account issuer discovery to OIDC relying parties (workload identity federation), and
   * RS256 is the one algorithm OpenID Connect Discovery 1.0 §3 requires every provider to offer
   */
  readonly serviceAccountKeyAlgorithm?: KubernetesPkiKeyAlgorithm;
}

/** The CAs of the PKI, by the name descriptions use as `issuer`. */
export type KubernetesCaName = 'ca' | 'frontProxyCa';
/** The leaf certificates of the PKI. */
export type KubernetesCertificateName = 'apiServer' | 'apiServerKubeletClient' | 'controllerManager' | 'scheduler' | 'admin' | 'frontProxyClient';

/** A certificate as the tls resources will make it: what tests and tooling read. */
export interface KubernetesCertificateDescription {
  readonly kind: 'ca' | 'server' | 'client';
  /** For a client certificate, the user (CN) and groups (O) the apiserver sees. */
  readonly subject: { readonly commonName: string; readonly organization?: string };
  /** SANs; may hold tokens (a load balancer's address). */
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** `allowed_uses`, in the tls provider's words. */
  readonly allowedUses: readonly string[];
  readonly isCa: boolean;
  /** The CA that signs it; undefined for a CA (self-signed). */
  readonly issuer?: KubernetesCaName;
  readonly keyAlgorithm: KubernetesPkiKeyAlgorithm;
  readonly validityHours: number;
  readonly earlyRenewalHours: number;
}

/** A CA's key and certificate, as Terraform references and resources. */
export interface KubernetesPkiCa {
  /** `cert_pem` of its `tls_self_signed_cert`. */
  readonly certPem: string;
  /** `private_key_pem` of its key: the controller-manager signs kubelet certificates with the cluster CA's. */
  readonly privateKeyPem: string;
  readonly description: KubernetesCertificateDescription;
  readonly key: TerraformResource;
  readonly certificate: TerraformResource;
}

/** A leaf certificate and its key, as Terraform references and resources. */
export interface KubernetesPkiCertificate {
  /** `cert_pem` of its `tls_locally_signed_cert`. */
  readonly certPem: string;
  /** `private_key_pem` of its `tls_private_key` (PKCS#1 for RSA, SEC 1 for ECDSA). */
  readonly privateKeyPem: string;
  readonly description: KubernetesCertificateDescription;
  readonly key: TerraformResource;
  readonly certRequest: TerraformResource;
  readonly certificate: TerraformResource;
}

/** The service-account token signing key pair. */
export interface KubernetesServiceAccountKey {
  /** `private_key_pem`: `--service-account-signing-key-file` (apiserver), `--service-account-private-key-file` (controller-manager). */
  readonly privateKeyPem: string;
  /** `public_key_pem` (PKIX): `--service-account-key-file`. */
  readonly publicKeyPem: string;
  readonly algorithm: KubernetesPkiKeyAlgorithm;
  readonly key: TerraformResource;
}

/** The whole PKI as plain data. */
export interface KubernetesPkiDescription {
  readonly ca: KubernetesCertificateDescription;
  readonly frontProxyCa: KubernetesCertificateDescription;
  readonly certificates: Readonly<Record<KubernetesCertificateName, KubernetesCertificateDescription>>;
  readonly serviceAccountKey: { readonly algorithm: KubernetesPkiKeyAlgorithm };
  readonly bootstrapToken: { readonly idLength: number; readonly secretLength: number; readonly characters: 'a-z0-9' };
}

/** A name that becomes a common name and a kubeconfig entry. */
const NAME = /^[a-z0-9]([a-z0-9._-]{0,62})$/;
/** Loose: a DNS name's shape (tokens are not checked). */
const DNS_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * The Kubernetes PKI of one cluster. Construct ids (Terraform addresses; keep them): `ca-key`,
 * `ca`; `front-proxy-ca-key`, `front-proxy-ca`; `<cert>-key`, `-csr`, `-cert` for `apiserver`,
 * `apiserver-kubelet-client`, `controller-manager`, `scheduler`, `admin`, `front-proxy-client`;
 * `service-account-key`; `bootstrap-token-id`, `bootstrap-token-secret`. It adds a `TlsProvider`
 * and a `RandomProvider` to the stack unless it has them. The kubeconfigs and the token hold
 * sensitive values: Terraform refuses a `TerraformOutput` of them unless it is `sensitive: true`.
 */
export class KubernetesPki extends Construct {
  /** The cluster CA: trusted for the apiserver's serving certificate and every client certificate. */
  public readonly ca: KubernetesPkiCa;
  /** The front-proxy CA (`--requestheader-client-ca-file`): apart from the cluster CA, so a front-proxy client certificate is no user. */
  public readonly frontProxyCa: KubernetesPkiCa;
  /** `--tls-cert-file`: server_auth only (Typhoon's doubles as a system:masters client). */
  public readonly apiServer: KubernetesPkiCertificate;
  /** `--kubelet-client-certificate`: CN APISERVER_KUBELET_CLIENT_CN, O KUBELET_API_ADMIN_GROUP. */
  public readonly apiServerKubeletClient: KubernetesPkiCertificate;
  public readonly controllerManager: KubernetesPkiCertificate;
  public readonly scheduler: KubernetesPkiCertificate;
  /** CN ADMIN_USER, O ADMIN_GROUP (bound to `cluster-admin`, revocable). */
  public readonly admin: KubernetesPkiCertificate;
  /** `--proxy-client-cert-file`: CN FRONT_PROXY_CLIENT_CN. */
  public readonly frontProxyClient: KubernetesPkiCertificate;
  public readonly serviceAccountKey: KubernetesServiceAccountKey;
  /** `<id>.<secret>`, the kubelets' bootstrap credential (a Terraform reference; sensitive). */
  public readonly bootstrapToken: string;
  /** The token's id: the bootstrap-token Secret's `token-id`, named `bootstrap-token-<id>`. */
  public readonly bootstrapTokenId: string;
  /** The token's secret: the Secret's `token-secret`. */
  public readonly bootstrapTokenSecret: string;
  public readonly bootstrapTokenIdResource: TerraformResource;
  public readonly bootstrapTokenSecretResource: TerraformResource;
  /** Everything above as plain data. */
  public readonly description: KubernetesPkiDescription;
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: KubernetesPkiProps) {
    super(scope, id);
    const s: Settled = {
      algorithm: props.keyAlgorithm ?? 'ECDSA',
      saAlgorithm: props.serviceAccountKeyAlgorithm ?? 'RSA',
      serviceCidr: props.serviceCidr ?? DEFAULT_SERVICE_CIDR,
      dnsNames: props.apiServerDnsNames ?? [],
      caValidity: props.caValidityHours ?? DEFAULT_CA_VALIDITY_HOURS,
      caEarly: props.caEarlyRenewalHours ?? 0,
      validity: props.certValidityHours ?? DEFAULT_CERT_VALIDITY_HOURS,
      early: props.earlyRenewalHours ?? DEFAULT_EARLY_RENEWAL_HOURS,
    };
    const problems = pkiProblems(props, s);
    if (problems.length > 0) throw new ConstructError(this, `KubernetesPki ${this.node.path}`, problems.join('; '));
    this.clusterName = props.clusterName;

    ensureProvider(this, 'tls', (stack) => new TlsProvider(stack, 'tls-provider'));
    ensureProvider(this, 'random', (stack) => new RandomProvider(stack, 'random-provider'));
    const keyConfig = (algorithm: KubernetesPkiKeyAlgorithm) => (algorithm === 'ECDSA' ? { algorithm, ecdsaCurve: 'P256' } : { algorithm, rsaBits: 2048 });

    const caDescription = (commonName: string): KubernetesCertificateDescription => ({
      kind: 'ca',
      subject: { commonName, organization: props.clusterName },
      dnsNames: [],
      ipAddresses: [],
      allowedUses: CA_USES,
      isCa: true,
      keyAlgorithm: s.algorithm,
      validityHours: s.caValidity,
      earlyRenewalHours: s.caEarly,
    });
    const selfSigned = (prefix: string, description: KubernetesCertificateDescription): KubernetesPkiCa => {
      const key = new TlsPrivateKey(this, `${prefix}-key`, keyConfig(s.algorithm));
      const certificate = new TlsSelfSignedCert(this, prefix, {
        privateKeyPem: key.privateKeyPem,
        subject: [{ ...description.subject }],
        isCaCertificate: true,
        setSubjectKeyId: true,
        allowedUses: [...description.allowedUses],
        validityPeriodHours: s.caValidity,
        earlyRenewalHours: s.caEarly,
      });
      return { certPem: certificate.certPem, privateKeyPem: key.privateKeyPem, description, key, certificate };
    };
    this.ca = selfSigned('ca', caDescription(`${props.clusterName}-kubernetes-ca`));
    this.frontProxyCa = selfSigned('front-proxy-ca', caDescription(`${props.clusterName}-front-proxy-ca`));
    const cas: Record<KubernetesCaName, KubernetesPkiCa> = { ca: this.ca, frontProxyCa: this.frontProxyCa };

    const issue = (prefix: string, description: KubernetesCertificateDescription): KubernetesPkiCertificate => {
      const signer = cas[description.issuer as KubernetesCaName];
      const key = new TlsPrivateKey(this, `${prefix}-key`, keyConfig(s.algorithm));
      const certRequest = new TlsCertRequest(this, `${prefix}-csr`, {
        privateKeyPem: key.privateKeyPem,
        subject: [{ ...description.subject }],
        dnsNames: description.dnsNames.length > 0 ? [...description.dnsNames] : undefined,
        ipAddresses: description.ipAddresses.length > 0 ? [...description.ipAddresses] : undefined,
      });
      const certificate = new TlsLocallySignedCert(this, `${prefix}-cert`, {
        certRequestPem: certRequest.certRequestPem,
        caPrivateKeyPem: signer.privateKeyPem,
        caCertPem: signer.certPem,
        allowedUses: [...description.allowedUses],
        setSubjectKeyId: true,
        validityPeriodHours: s.validity,
        earlyRenewalHours: s.early,
      });
      return { certPem: certificate.certPem, privateKeyPem: key.privateKeyPem, description, key, certRequest, certificate };
    };
    const leaf = (
      kind: 'server' | 'client',
      issuer: KubernetesCaName,
      subject: KubernetesCertificateDescription['subject'],
      sans: { dnsNames?: readonly string[]; ipAddresses?: readonly string[] } = {},
    ): KubernetesCertificateDescription => ({
      kind,
      subject,
      dnsNames: sans.dnsNames ?? [],
      ipAddresses: sans.ipAddresses ?? [],
      allowedUses: kind === 'server' ? serverUses(s.algorithm) : CLIENT_USES,
      isCa: false,
      issuer,
      keyAlgorithm: s.algorithm,
      validityHours: s.validity,
      earlyRenewalHours: s.early,
    });
    this.apiServer = issue(
      'apiserver',
      leaf('server', 'ca', { commonName: APISERVER_CN }, {
        dnsNames: unique([...API_SERVICE_DNS_NAMES, ...s.dnsNames]),
        ipAddresses: unique([...props.apiServerIps, apiServiceIp(s.serviceCidr), '127.0.0.1']),
      }),
    );
    this.apiServerKubeletClient = issue('apiserver-kubelet-client', leaf('client', 'ca', { commonName: APISERVER_KUBELET_CLIENT_CN, organization: KUBELET_API_ADMIN_GROUP }));
    // The components' RBAC roles bind their user names; no group needed.
    this.controllerManager = issue('controller-manager', leaf('client', 'ca', { commonName: CONTROLLER_MANAGER_USER }));
    this.scheduler = issue('scheduler', leaf('client', 'ca', { commonName: SCHEDULER_USER }));
    this.admin = issue('admin', leaf('client', 'ca', { commonName: ADMIN_USER, organization: ADMIN_GROUP }));
    this.frontProxyClient = issue('front-proxy-client', leaf('client', 'frontProxyCa', { commonName: FRONT_PROXY_CLIENT_CN }));

    const saKey = new TlsPrivateKey(this, 'service-account-key', keyConfig(s.saAlgorithm));
    this.serviceAccountKey = { privateKeyPem: saKey.privateKeyPem, publicKeyPem: saKey.publicKeyPem, algorithm: s.saAlgorithm, key: saKey };

    // Lower-case letters and digits only: the token format's alphabet.
    const tokenPart = (partId: string, length: number) => new RandomPassword(this, partId, { length, special: false, upper: false, lower: true, numeric: true });
    const tokenId = tokenPart('bootstrap-token-id', BOOTSTRAP_TOKEN_ID_LENGTH);
    const tokenSecret = tokenPart('bootstrap-token-secret', BOOTSTRAP_TOKEN_SECRET_LENGTH);
    this.bootstrapTokenIdResource = tokenId;
    this.bootstrapTokenSecretResource = tokenSecret;
    this.bootstrapTokenId = tokenId.result;
    this.bootstrapTokenSecret = tokenSecret.result;
    this.bootstrapToken = `${tokenId.result}.${tokenSecret.result}`;

    this.description = {
      ca: this.ca.description,
      frontProxyCa: this.frontProxyCa.description,
      certificates: {
        apiServer: this.apiServer.description,
        apiServerKubeletClient: this.apiServerKubeletClient.description,
        controllerManager: this.controllerManager.description,
        scheduler: this.scheduler.description,
        admin: this.admin.description,
        frontProxyClient: this.frontProxyClient.description,
      },
      serviceAccountKey: { algorithm: s.saAlgorithm },
      bootstrapToken: { idLength: BOOTSTRAP_TOKEN_ID_LENGTH, secretLength: BOOTSTRAP_TOKEN_SECRET_LENGTH, characters: 'a-z0-9' },
    };
  }

  /** /etc/kubernetes/controller-manager.conf: the controller-manager's certificate, against its own controller's apiserver. */
  public controllerManagerKubeconfig(): string {
    return this.kubeconfig(LOCAL_API_SERVER, this.controllerManager, CONTROLLER_MANAGER_USER);
  }

  /** /etc/kubernetes/scheduler.conf: the scheduler's certificate, against its own controller's apiserver. */
  public schedulerKubeconfig(): string {
    return this.kubeconfig(LOCAL_API_SERVER, this.scheduler, SCHEDULER_USER);
  }

  /**
   * The admin kubeconfig (ADMIN_GROUP, not system:masters).
   * @param server the apiserver URL, e.g. `https://<load balancer address>:6443` for the output
   * users download; LOCAL_API_SERVER (the default) for the copy on a controller
   */
  public adminKubeconfig(server: string = LOCAL_API_SERVER): string {
    return this.kubeconfig(server, this.admin, `${this.clusterName}-admin`);
  }

  /**
   * The kubelets' bootstrap kubeconfig (/etc/kubernetes/bootstrap-kubeconfig): the bootstrap
   * token, which the kubelet trades for a client certificate of its own (TLS bootstrap).
   * @param server the apiserver URL nodes reach, e.g. `https://<internal load balancer address>:6443`
   */
  public bootstrapKubeconfig(server: string): string {
    return this.render(server, { token: this.bootstrapToken }, 'kubelet-bootstrap');
  }

  private kubeconfig(server: string, certificate: KubernetesPkiCertificate, userName: string): string {
    return this.render(server, { clientCertPem: certificate.certPem, clientKeyPem: certificate.privateKeyPem }, userName);
  }

  private render(server: string, user: KubeconfigCertificateUser | KubeconfigTokenUser, userName: string): string {
    try {
      return renderKubeconfig({ clusterName: this.clusterName, server, caCertPem: this.ca.certPem, user, userName, base64: Fn.base64encode });
    } catch (error) {
      throw new ConstructError(this, `KubernetesPki ${this.node.path}`, (error as Error).message);
    }
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

interface Settled {
  readonly algorithm: KubernetesPkiKeyAlgorithm;
  readonly saAlgorithm: KubernetesPkiKeyAlgorithm;
  readonly serviceCidr: string;
  readonly dnsNames: readonly string[];
  readonly caValidity: number;
  readonly caEarly: number;
  readonly validity: number;
  readonly early: number;
}

/** What is wrong with the props, each with what to do instead. */
function pkiProblems(props: KubernetesPkiProps, s: Settled): string[] {
  const problems: string[] = [];
  if (Token.isUnresolved(props.clusterName)) problems.push('clusterName must be a literal, not a token (it becomes the CAs\' common names and the kubeconfigs\' cluster name)');
  else if (!NAME.test(props.clusterName)) problems.push(`clusterName "${props.clusterName}" must be 1-63 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit`);
  props.apiServerIps.forEach((ip, i) => {
    if (!Token.isUnresolved(ip) && !IPV4.test(ip)) problems.push(`apiServerIps[${i}] "${ip}" is not an IPv4 address: give the API load balancer's address`);
  });
  s.dnsNames.forEach((name, i) => {
    if (!Token.isUnresolved(name) && !DNS_NAME.test(name)) problems.push(`apiServerDnsNames[${i}] "${name}" is not a DNS name (e.g. k8s.example.com)`);
  });
  if (props.apiServerIps.length === 0 && s.dnsNames.length === 0) {
    problems.push("apiServerIps and apiServerDnsNames are both empty: give the API load balancer's address (or name), by which nodes and users reach the apiserver");
  }
  if (Token.isUnresolved(s.serviceCidr)) problems.push('serviceCidr must be a literal, not a token (its first address, the kubernetes Service\'s, is computed at synth)');
  else {
    try {
      apiServiceIp(s.serviceCidr);
    } catch (error) {
      problems.push(`serviceCidr: ${(error as Error).message}`);
    }
  }
  for (const [name, value] of [['keyAlgorithm', s.algorithm], ['serviceAccountKeyAlgorithm', s.saAlgorithm]] as const) {
    if (value !== 'ECDSA' && value !== 'RSA') problems.push(`${name} must be 'ECDSA' or 'RSA' (got "${value}")`);
  }
  problems.push(...validityProblems(s, 'the CAs'));
  return problems;
}
