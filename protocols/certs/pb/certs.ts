/* eslint-disable import/export */
/* eslint-disable complexity */
/* eslint-disable @typescript-eslint/no-namespace */
/* eslint-disable @typescript-eslint/no-unnecessary-boolean-literal-compare */
/* eslint-disable @typescript-eslint/no-empty-interface */
/* eslint-disable import/consistent-type-specifier-style */
/* eslint-disable @typescript-eslint/no-unused-vars */

import { decodeMessage, encodeMessage, MaxLengthError, message } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface CircularRegion {
  lat: number
  lon: number
  radiusM: number
}

export namespace CircularRegion {
  let _codec: Codec<CircularRegion>

  export const codec = (): Codec<CircularRegion> => {
    if (_codec == null) {
      _codec = message<CircularRegion>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.lat != null && obj.lat !== 0)) {
          w.uint32(9)
          w.double(obj.lat)
        }

        if ((obj.lon != null && obj.lon !== 0)) {
          w.uint32(17)
          w.double(obj.lon)
        }

        if ((obj.radiusM != null && obj.radiusM !== 0)) {
          w.uint32(24)
          w.uint32(obj.radiusM)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lat: 0,
          lon: 0,
          radiusM: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.lat = reader.double()
              break
            }
            case 2: {
              obj.lon = reader.double()
              break
            }
            case 3: {
              obj.radiusM = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      })
    }

    return _codec
  }

  export const encode = (obj: Partial<CircularRegion>): Uint8Array => {
    return encodeMessage(obj, CircularRegion.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CircularRegion>): CircularRegion => {
    return decodeMessage(buf, CircularRegion.codec(), opts)
  }
}

export interface Certificate {
  version: number
  subjectKey: Uint8Array
  issuerKey: Uint8Array
  notBefore: bigint
  notAfter: bigint
  causeCodes: number[]
  area?: CircularRegion
  name: string
  serial: bigint
  parking: boolean
}

export namespace Certificate {
  let _codec: Codec<Certificate>

  export const codec = (): Codec<Certificate> => {
    if (_codec == null) {
      _codec = message<Certificate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.subjectKey != null && obj.subjectKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.subjectKey)
        }

        if ((obj.issuerKey != null && obj.issuerKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.issuerKey)
        }

        if ((obj.notBefore != null && obj.notBefore !== 0n)) {
          w.uint32(32)
          w.uint64(obj.notBefore)
        }

        if ((obj.notAfter != null && obj.notAfter !== 0n)) {
          w.uint32(40)
          w.uint64(obj.notAfter)
        }

        if (obj.causeCodes != null) {
          for (const value of obj.causeCodes) {
            w.uint32(48)
            w.uint32(value)
          }
        }

        if (obj.area != null) {
          w.uint32(58)
          CircularRegion.codec().encode(obj.area, w)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(66)
          w.string(obj.name)
        }

        if ((obj.serial != null && obj.serial !== 0n)) {
          w.uint32(72)
          w.uint64(obj.serial)
        }

        if ((obj.parking != null && obj.parking !== false)) {
          w.uint32(80)
          w.bool(obj.parking)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          subjectKey: uint8ArrayAlloc(0),
          issuerKey: uint8ArrayAlloc(0),
          notBefore: 0n,
          notAfter: 0n,
          causeCodes: [],
          name: '',
          serial: 0n,
          parking: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.subjectKey = reader.bytes()
              break
            }
            case 3: {
              obj.issuerKey = reader.bytes()
              break
            }
            case 4: {
              obj.notBefore = reader.uint64()
              break
            }
            case 5: {
              obj.notAfter = reader.uint64()
              break
            }
            case 6: {
              if (opts.limits?.causeCodes != null && obj.causeCodes.length === opts.limits.causeCodes) {
                throw new MaxLengthError('Decode error - map field "causeCodes" had too many elements')
              }

              obj.causeCodes.push(reader.uint32())
              break
            }
            case 7: {
              obj.area = CircularRegion.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.area
              })
              break
            }
            case 8: {
              obj.name = reader.string()
              break
            }
            case 9: {
              obj.serial = reader.uint64()
              break
            }
            case 10: {
              obj.parking = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      })
    }

    return _codec
  }

  export const encode = (obj: Partial<Certificate>): Uint8Array => {
    return encodeMessage(obj, Certificate.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Certificate>): Certificate => {
    return decodeMessage(buf, Certificate.codec(), opts)
  }
}

export interface SignedCertificate {
  version: number
  certificate: Uint8Array
  signature: Uint8Array
}

export namespace SignedCertificate {
  let _codec: Codec<SignedCertificate>

  export const codec = (): Codec<SignedCertificate> => {
    if (_codec == null) {
      _codec = message<SignedCertificate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.certificate != null && obj.certificate.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.certificate)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          certificate: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.certificate = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      })
    }

    return _codec
  }

  export const encode = (obj: Partial<SignedCertificate>): Uint8Array => {
    return encodeMessage(obj, SignedCertificate.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedCertificate>): SignedCertificate => {
    return decodeMessage(buf, SignedCertificate.codec(), opts)
  }
}

export interface Revocation {
  version: number
  certificateId: Uint8Array
  revokedAt: bigint
  notAfter: bigint
  issuerKey: Uint8Array
}

export namespace Revocation {
  let _codec: Codec<Revocation>

  export const codec = (): Codec<Revocation> => {
    if (_codec == null) {
      _codec = message<Revocation>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.certificateId != null && obj.certificateId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.certificateId)
        }

        if ((obj.revokedAt != null && obj.revokedAt !== 0n)) {
          w.uint32(24)
          w.uint64(obj.revokedAt)
        }

        if ((obj.notAfter != null && obj.notAfter !== 0n)) {
          w.uint32(32)
          w.uint64(obj.notAfter)
        }

        if ((obj.issuerKey != null && obj.issuerKey.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.issuerKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          certificateId: uint8ArrayAlloc(0),
          revokedAt: 0n,
          notAfter: 0n,
          issuerKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.certificateId = reader.bytes()
              break
            }
            case 3: {
              obj.revokedAt = reader.uint64()
              break
            }
            case 4: {
              obj.notAfter = reader.uint64()
              break
            }
            case 5: {
              obj.issuerKey = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      })
    }

    return _codec
  }

  export const encode = (obj: Partial<Revocation>): Uint8Array => {
    return encodeMessage(obj, Revocation.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Revocation>): Revocation => {
    return decodeMessage(buf, Revocation.codec(), opts)
  }
}

export interface SignedRevocation {
  version: number
  revocation: Uint8Array
  signature: Uint8Array
}

export namespace SignedRevocation {
  let _codec: Codec<SignedRevocation>

  export const codec = (): Codec<SignedRevocation> => {
    if (_codec == null) {
      _codec = message<SignedRevocation>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.revocation != null && obj.revocation.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.revocation)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          revocation: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.revocation = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      })
    }

    return _codec
  }

  export const encode = (obj: Partial<SignedRevocation>): Uint8Array => {
    return encodeMessage(obj, SignedRevocation.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedRevocation>): SignedRevocation => {
    return decodeMessage(buf, SignedRevocation.codec(), opts)
  }
}

export interface RevocationAnnouncement {
  version: number
  delta: Uint8Array
  digest: string
}

export namespace RevocationAnnouncement {
  let _codec: Codec<RevocationAnnouncement>

  export const codec = (): Codec<RevocationAnnouncement> => {
    if (_codec == null) {
      _codec = message<RevocationAnnouncement>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.delta != null && obj.delta.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.delta)
        }

        if ((obj.digest != null && obj.digest !== '')) {
          w.uint32(26)
          w.string(obj.digest)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          delta: uint8ArrayAlloc(0),
          digest: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.delta = reader.bytes()
              break
            }
            case 3: {
              obj.digest = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      })
    }

    return _codec
  }

  export const encode = (obj: Partial<RevocationAnnouncement>): Uint8Array => {
    return encodeMessage(obj, RevocationAnnouncement.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevocationAnnouncement>): RevocationAnnouncement => {
    return decodeMessage(buf, RevocationAnnouncement.codec(), opts)
  }
}
