/**
 * A node's Ed25519 identity: the key pair it signs derivation proofs with. The private key
 * lives in the daemon's home as PKCS#8 PEM, readable by its owner only (mode 0600), created on
 * first start; the public key is printed as 64 hex digits (the raw 32-byte key), the form
 * proofs name signers by and `deriva proof verify --trust` takes.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { StoreError } from '../core/errors.js';

/** Signs proofs. The store records proofs with one; a worker thread rebuilds it from {@link NodeKey.privateKey}. */
export interface ProofSigner {
  /** Raw Ed25519 public key, 64 hex digits. */
  readonly publicKey: string;
  sign(message: Uint8Array): Buffer;
}

export class NodeKey implements ProofSigner {
  readonly publicKey: string;

  /** `privateKey` is an Ed25519 private KeyObject (it crosses to worker threads as is). */
  constructor(readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new StoreError(`node key must be Ed25519, got ${privateKey.asymmetricKeyType}`);
    this.publicKey = rawPublicKey(createPublicKey(privateKey)).toString('hex');
  }

  /** Reads the key at `path`, creating it (mode 0600) if there is none yet. */
  static async loadOrCreate(path: string): Promise<NodeKey> {
    const mode = await stat(path).then((s) => s.mode & 0o777, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (mode === undefined) {
      const { privateKey } = generateKeyPairSync('ed25519');
      await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      return new NodeKey(privateKey);
    }
    if ((mode & 0o077) !== 0) {
      throw new StoreError(`node key ${path} is readable by others (mode ${mode.toString(8)}): run chmod 600 ${path}`);
    }
    try {
      return new NodeKey(createPrivateKey(await readFile(path)));
    } catch (err) {
      throw new StoreError(`node key ${path} is not an Ed25519 private key in PEM: ${(err as Error).message}`, { cause: err });
    }
  }

  sign(message: Uint8Array): Buffer {
    return sign(null, message, this.privateKey);
  }
}

/**
 * True when `signature` (128 hex digits) is `publicKey`'s (64 hex digits, the raw key) Ed25519
 * signature of `message`; both as parseRecord checks them. Throws if the key is not one.
 */
export function verifySignature(publicKey: string, message: Uint8Array, signature: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'hex').toString('base64url') }, format: 'jwk' });
  return verify(null, message, key, Buffer.from(signature, 'hex'));
}

function rawPublicKey(key: KeyObject): Buffer {
  const { x } = key.export({ format: 'jwk' });
  return Buffer.from(x!, 'base64url');
}
