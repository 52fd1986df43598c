import type { PublicKey } from '@libp2p/interface'

/**
 * A signature check on untrusted bytes: false for a signature that does not
 * verify, including one of the wrong length or shape (the key types throw a
 * TypeError for those, which must not escape as an untyped crash).
 */
export async function signatureVerifies (key: PublicKey, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    return await key.verify(data, signature)
  } catch {
    return false
  }
}
