import { generateKeyPairSync } from 'node:crypto';

/**
 * A key pair for a simulated GitHub App: the private key in PKCS#1 PEM, as GitHub hands it out
 * (the App signs its JWTs with it), and the public key the stand-in checks those JWTs against
 * (`seedApp({ publicKeyPem })`). RSA generation takes a noticeable fraction of a second: generate
 * once per process.
 */
export function generateAppKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}
