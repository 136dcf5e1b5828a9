/**
 * The door to `@cdktf/provider-tls` (EtcdPki, cluster-pki.ts) and `@cdktf/provider-random` (the
 * secret bucket's name, secret-store.ts): deep imports, each module required when first used, so
 * apps of plain CoreOSInstances never load them. A file of its own, apart from google.ts, so that
 * the constructs' public declarations name only cdktf types (cluster-pki.ts, secret-store.ts).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- require() inside the loaders is what defers loading */
import type * as tlsCertRequest from '@cdktf/provider-tls/lib/cert-request';
import type * as tlsLocallySignedCert from '@cdktf/provider-tls/lib/locally-signed-cert';
import type * as tlsPrivateKey from '@cdktf/provider-tls/lib/private-key';
import type * as tlsProvider from '@cdktf/provider-tls/lib/provider';
import type * as tlsSelfSignedCert from '@cdktf/provider-tls/lib/self-signed-cert';
import type * as randomId from '@cdktf/provider-random/lib/id';
import type * as randomPassword from '@cdktf/provider-random/lib/password';
import type * as randomProvider from '@cdktf/provider-random/lib/provider';
import { loadedOnFirstUse } from './loaded-on-first-use';

function fromPeer<T>(pkg: string, version: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw new Error(`the cluster constructs need the peer dependency ${pkg}: install it (npm install ${pkg}@^${version}). ${(error as Error).message.split('\n')[0]}`);
  }
}

function fromTls<T>(load: () => T): T {
  return fromPeer('@cdktf/provider-tls', '11.0.1', load);
}

export type TlsProvider = tlsProvider.TlsProvider;
export const TlsProvider = loadedOnFirstUse(() => fromTls(() => (require('@cdktf/provider-tls/lib/provider') as typeof tlsProvider).TlsProvider));

export type TlsPrivateKey = tlsPrivateKey.PrivateKey;
export const TlsPrivateKey = loadedOnFirstUse(() => fromTls(() => (require('@cdktf/provider-tls/lib/private-key') as typeof tlsPrivateKey).PrivateKey));

export type TlsSelfSignedCert = tlsSelfSignedCert.SelfSignedCert;
export const TlsSelfSignedCert = loadedOnFirstUse(() =>
  fromTls(() => (require('@cdktf/provider-tls/lib/self-signed-cert') as typeof tlsSelfSignedCert).SelfSignedCert),
);

export type TlsCertRequest = tlsCertRequest.CertRequest;
export const TlsCertRequest = loadedOnFirstUse(() => fromTls(() => (require('@cdktf/provider-tls/lib/cert-request') as typeof tlsCertRequest).CertRequest));

export type TlsLocallySignedCert = tlsLocallySignedCert.LocallySignedCert;
export const TlsLocallySignedCert = loadedOnFirstUse(() =>
  fromTls(() => (require('@cdktf/provider-tls/lib/locally-signed-cert') as typeof tlsLocallySignedCert).LocallySignedCert),
);

export type RandomProvider = randomProvider.RandomProvider;
export const RandomProvider = loadedOnFirstUse(() =>
  fromPeer('@cdktf/provider-random', '12.0.1', () => (require('@cdktf/provider-random/lib/provider') as typeof randomProvider).RandomProvider),
);

export type RandomId = randomId.Id;
export const RandomId = loadedOnFirstUse(() => fromPeer('@cdktf/provider-random', '12.0.1', () => (require('@cdktf/provider-random/lib/id') as typeof randomId).Id));

export type RandomPassword = randomPassword.Password;
export const RandomPassword = loadedOnFirstUse(() =>
  fromPeer('@cdktf/provider-random', '12.0.1', () => (require('@cdktf/provider-random/lib/password') as typeof randomPassword).Password),
);
