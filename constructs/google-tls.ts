/**
 * The door to `@cdktf/provider-tls`, an optional peer dependency (EtcdPki, cluster-pki.ts): deep
 * imports, each module required when first used, so apps without a PKI run where it is not
 * installed. A file of its own because its declarations name the package: nothing a consumer's
 * type check reaches from `index.d.ts` may import it (cluster-pki.ts exposes only cdktf types).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- require() inside the loaders is what defers loading */
import type * as tlsCertRequest from '@cdktf/provider-tls/lib/cert-request';
import type * as tlsLocallySignedCert from '@cdktf/provider-tls/lib/locally-signed-cert';
import type * as tlsPrivateKey from '@cdktf/provider-tls/lib/private-key';
import type * as tlsProvider from '@cdktf/provider-tls/lib/provider';
import type * as tlsSelfSignedCert from '@cdktf/provider-tls/lib/self-signed-cert';
import { loadedOnFirstUse } from './loaded-on-first-use';

function fromOptionalTls<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw new Error(
      `EtcdPki needs the optional peer dependency @cdktf/provider-tls: install it (npm install @cdktf/provider-tls@^11.0.1). ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

export type TlsProvider = tlsProvider.TlsProvider;
export const TlsProvider = loadedOnFirstUse(() => fromOptionalTls(() => (require('@cdktf/provider-tls/lib/provider') as typeof tlsProvider).TlsProvider));

export type TlsPrivateKey = tlsPrivateKey.PrivateKey;
export const TlsPrivateKey = loadedOnFirstUse(() => fromOptionalTls(() => (require('@cdktf/provider-tls/lib/private-key') as typeof tlsPrivateKey).PrivateKey));

export type TlsSelfSignedCert = tlsSelfSignedCert.SelfSignedCert;
export const TlsSelfSignedCert = loadedOnFirstUse(() =>
  fromOptionalTls(() => (require('@cdktf/provider-tls/lib/self-signed-cert') as typeof tlsSelfSignedCert).SelfSignedCert),
);

export type TlsCertRequest = tlsCertRequest.CertRequest;
export const TlsCertRequest = loadedOnFirstUse(() => fromOptionalTls(() => (require('@cdktf/provider-tls/lib/cert-request') as typeof tlsCertRequest).CertRequest));

export type TlsLocallySignedCert = tlsLocallySignedCert.LocallySignedCert;
export const TlsLocallySignedCert = loadedOnFirstUse(() =>
  fromOptionalTls(() => (require('@cdktf/provider-tls/lib/locally-signed-cert') as typeof tlsLocallySignedCert).LocallySignedCert),
);
