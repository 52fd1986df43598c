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

export interface BeatVector {
  version: number
  intros: BeatIntro[]
  indexes: number[]
  ages: number[]
  base: bigint
  digest: string
  suspectIndexes: number[]
  suspectAges: number[]
  suspectGoneIn: number[]
  releasing: boolean
}

export namespace BeatVector {
  let _codec: Codec<BeatVector>

  export const codec = (): Codec<BeatVector> => {
    if (_codec == null) {
      _codec = message<BeatVector>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.intros != null) {
          for (const value of obj.intros) {
            w.uint32(18)
            BeatIntro.codec().encode(value, w)
          }
        }

        if (obj.indexes != null) {
          for (const value of obj.indexes) {
            w.uint32(24)
            w.uint32(value)
          }
        }

        if (obj.ages != null) {
          for (const value of obj.ages) {
            w.uint32(32)
            w.uint32(value)
          }
        }

        if ((obj.base != null && obj.base !== 0n)) {
          w.uint32(40)
          w.uint64(obj.base)
        }

        if ((obj.digest != null && obj.digest !== '')) {
          w.uint32(50)
          w.string(obj.digest)
        }

        if (obj.suspectIndexes != null) {
          for (const value of obj.suspectIndexes) {
            w.uint32(56)
            w.uint32(value)
          }
        }

        if (obj.suspectAges != null) {
          for (const value of obj.suspectAges) {
            w.uint32(64)
            w.uint32(value)
          }
        }

        if (obj.suspectGoneIn != null) {
          for (const value of obj.suspectGoneIn) {
            w.uint32(72)
            w.uint32(value)
          }
        }

        if ((obj.releasing != null && obj.releasing !== false)) {
          w.uint32(80)
          w.bool(obj.releasing)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          intros: [],
          indexes: [],
          ages: [],
          base: 0n,
          digest: '',
          suspectIndexes: [],
          suspectAges: [],
          suspectGoneIn: [],
          releasing: false
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
              if (opts.limits?.intros != null && obj.intros.length === opts.limits.intros) {
                throw new MaxLengthError('Decode error - map field "intros" had too many elements')
              }

              obj.intros.push(BeatIntro.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.intros$
              }))
              break
            }
            case 3: {
              if (opts.limits?.indexes != null && obj.indexes.length === opts.limits.indexes) {
                throw new MaxLengthError('Decode error - map field "indexes" had too many elements')
              }

              obj.indexes.push(reader.uint32())
              break
            }
            case 4: {
              if (opts.limits?.ages != null && obj.ages.length === opts.limits.ages) {
                throw new MaxLengthError('Decode error - map field "ages" had too many elements')
              }

              obj.ages.push(reader.uint32())
              break
            }
            case 5: {
              obj.base = reader.uint64()
              break
            }
            case 6: {
              obj.digest = reader.string()
              break
            }
            case 7: {
              if (opts.limits?.suspectIndexes != null && obj.suspectIndexes.length === opts.limits.suspectIndexes) {
                throw new MaxLengthError('Decode error - map field "suspectIndexes" had too many elements')
              }

              obj.suspectIndexes.push(reader.uint32())
              break
            }
            case 8: {
              if (opts.limits?.suspectAges != null && obj.suspectAges.length === opts.limits.suspectAges) {
                throw new MaxLengthError('Decode error - map field "suspectAges" had too many elements')
              }

              obj.suspectAges.push(reader.uint32())
              break
            }
            case 9: {
              if (opts.limits?.suspectGoneIn != null && obj.suspectGoneIn.length === opts.limits.suspectGoneIn) {
                throw new MaxLengthError('Decode error - map field "suspectGoneIn" had too many elements')
              }

              obj.suspectGoneIn.push(reader.uint32())
              break
            }
            case 10: {
              obj.releasing = reader.bool()
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

  export const encode = (obj: Partial<BeatVector>): Uint8Array => {
    return encodeMessage(obj, BeatVector.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeatVector>): BeatVector => {
    return decodeMessage(buf, BeatVector.codec(), opts)
  }
}

export interface BeatIntro {
  index: number
  peer: Uint8Array
}

export namespace BeatIntro {
  let _codec: Codec<BeatIntro>

  export const codec = (): Codec<BeatIntro> => {
    if (_codec == null) {
      _codec = message<BeatIntro>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(8)
          w.uint32(obj.index)
        }

        if ((obj.peer != null && obj.peer.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.peer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          index: 0,
          peer: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.index = reader.uint32()
              break
            }
            case 2: {
              obj.peer = reader.bytes()
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

  export const encode = (obj: Partial<BeatIntro>): Uint8Array => {
    return encodeMessage(obj, BeatIntro.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeatIntro>): BeatIntro => {
    return decodeMessage(buf, BeatIntro.codec(), opts)
  }
}
