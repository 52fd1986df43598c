/* eslint-disable import/export */
/* eslint-disable complexity */
/* eslint-disable @typescript-eslint/no-namespace */
/* eslint-disable @typescript-eslint/no-unnecessary-boolean-literal-compare */
/* eslint-disable @typescript-eslint/no-empty-interface */
/* eslint-disable import/consistent-type-specifier-style */
/* eslint-disable @typescript-eslint/no-unused-vars */

import { decodeMessage, encodeMessage, MaxLengthError, message } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface BareHeartbeat {
  version: number
  entries: BareEntry[]
}

export namespace BareHeartbeat {
  let _codec: Codec<BareHeartbeat>

  export const codec = (): Codec<BareHeartbeat> => {
    if (_codec == null) {
      _codec = message<BareHeartbeat>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.entries != null) {
          for (const value of obj.entries) {
            w.uint32(18)
            BareEntry.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          entries: []
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
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - map field "entries" had too many elements')
              }

              obj.entries.push(BareEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
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

  export const encode = (obj: Partial<BareHeartbeat>): Uint8Array => {
    return encodeMessage(obj, BareHeartbeat.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BareHeartbeat>): BareHeartbeat => {
    return decodeMessage(buf, BareHeartbeat.codec(), opts)
  }
}

export interface BareEntry {
  peer: string
  incarnation: bigint
  counter: bigint
  addr: string
}

export namespace BareEntry {
  let _codec: Codec<BareEntry>

  export const codec = (): Codec<BareEntry> => {
    if (_codec == null) {
      _codec = message<BareEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(10)
          w.string(obj.peer)
        }

        if ((obj.incarnation != null && obj.incarnation !== 0n)) {
          w.uint32(16)
          w.uint64(obj.incarnation)
        }

        if ((obj.counter != null && obj.counter !== 0n)) {
          w.uint32(24)
          w.uint64(obj.counter)
        }

        if ((obj.addr != null && obj.addr !== '')) {
          w.uint32(34)
          w.string(obj.addr)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peer: '',
          incarnation: 0n,
          counter: 0n,
          addr: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = reader.string()
              break
            }
            case 2: {
              obj.incarnation = reader.uint64()
              break
            }
            case 3: {
              obj.counter = reader.uint64()
              break
            }
            case 4: {
              obj.addr = reader.string()
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

  export const encode = (obj: Partial<BareEntry>): Uint8Array => {
    return encodeMessage(obj, BareEntry.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BareEntry>): BareEntry => {
    return decodeMessage(buf, BareEntry.codec(), opts)
  }
}
