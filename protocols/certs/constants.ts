export const CERTS_VERSION = 1
export const MAX_KEY_BYTES = 128
export const MAX_CERTIFICATE_BYTES = 2048
export const MAX_SIGNED_CERTIFICATE_BYTES = 4096
export const MAX_REVOCATION_BYTES = 512
export const MAX_NAME_LENGTH = 128
export const CERTIFICATE_LIMITS = { causeCodes: 64 }
/** The revocation OR-set: its anti-entropy document name and its gossip topic. */
export const REVOCATIONS_DOCUMENT = 'cert-revocations'
export const REVOCATIONS_TOPIC = 'ecco/v1/revocations'
export const MAX_ANNOUNCEMENT_BYTES = 256 * 1024
/** @see {@link VerifyContext.maxClockSkewMs} */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 30_000
/** @see {@link TrustStoreInit.maxCachedCertificates} */
export const DEFAULT_MAX_CACHED_CERTIFICATES = 1024
