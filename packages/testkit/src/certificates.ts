import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as webcrypto.Crypto);

/** PEM material for a loopback HTTPS server and the CA that its clients trust. */
export interface TestCertificates {
  /** The CA certificate, PEM. Clients trust this (for example via `VAULT_PROXY_CA_FILE`). */
  readonly caCert: string;
  /** The server certificate, PEM, signed by the CA. */
  readonly cert: string;
  /** The server private key, PKCS#8 PEM. */
  readonly key: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey);
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

/**
 * Make a throw-away CA and a server certificate for `hostnames` (default
 * `vault.raxx.app`, `localhost`, `127.0.0.1`, `::1`), valid for a day.
 * ECDSA P-256 keeps generation in the low milliseconds.
 */
export async function createTestCertificates(
  hostnames: readonly string[] = ['vault.raxx.app', 'localhost', '127.0.0.1', '::1'],
): Promise<TestCertificates> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 24 * 3600_000);
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    // A name of its own per CA: two test CAs in one trust store must never be mistaken for each other.
    name: `CN=vault-testkit CA ${Buffer.from(webcrypto.getRandomValues(new Uint8Array(6))).toString('hex')}`,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys as webcrypto.CryptoKeyPair,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const leafKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const altNames = hostnames.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${hostnames[0] ?? 'localhost'}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: (leafKeys as webcrypto.CryptoKeyPair).publicKey,
    signingKey: (caKeys as webcrypto.CryptoKeyPair).privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames),
    ],
  });
  return {
    caCert: ca.toString('pem'),
    cert: leaf.toString('pem'),
    key: await pkcs8Pem((leafKeys as webcrypto.CryptoKeyPair).privateKey),
  };
}
