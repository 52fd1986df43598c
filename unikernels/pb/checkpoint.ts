/* eslint-disable import/export */
/* eslint-disable complexity */
/* eslint-disable @typescript-eslint/no-namespace */
/* eslint-disable @typescript-eslint/no-unnecessary-boolean-literal-compare */
/* eslint-disable @typescript-eslint/no-empty-interface */
/* eslint-disable import/consistent-type-specifier-style */
/* eslint-disable @typescript-eslint/no-unused-vars */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface UnimemValue {
  kind: UnimemValue.Kind
  int: bigint
  float: number
  bool: boolean
  string: string
  bytes: Uint8Array
  list: UnimemValue[]
}

export namespace UnimemValue {
  export enum Kind {
    NONE = 'NONE',
    INT = 'INT',
    FLOAT = 'FLOAT',
    BOOL = 'BOOL',
    STRING = 'STRING',
    BYTES = 'BYTES',
    LIST = 'LIST'
  }

  enum __KindValues {
    NONE = 0,
    INT = 1,
    FLOAT = 2,
    BOOL = 3,
    STRING = 4,
    BYTES = 5,
    LIST = 6
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  let _codec: Codec<UnimemValue>

  export const codec = (): Codec<UnimemValue> => {
    if (_codec == null) {
      _codec = message<UnimemValue>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(8)
          UnimemValue.Kind.codec().encode(obj.kind, w)
        }

        if ((obj.int != null && obj.int !== 0n)) {
          w.uint32(16)
          w.uint64(obj.int)
        }

        if ((obj.float != null && obj.float !== 0)) {
          w.uint32(25)
          w.double(obj.float)
        }

        if ((obj.bool != null && obj.bool !== false)) {
          w.uint32(32)
          w.bool(obj.bool)
        }

        if ((obj.string != null && obj.string !== '')) {
          w.uint32(42)
          w.string(obj.string)
        }

        if ((obj.bytes != null && obj.bytes.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.bytes)
        }

        if (obj.list != null) {
          for (const value of obj.list) {
            w.uint32(58)
            UnimemValue.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: Kind.NONE,
          int: 0n,
          float: 0,
          bool: false,
          string: '',
          bytes: uint8ArrayAlloc(0),
          list: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = UnimemValue.Kind.codec().decode(reader)
              break
            }
            case 2: {
              obj.int = reader.uint64()
              break
            }
            case 3: {
              obj.float = reader.double()
              break
            }
            case 4: {
              obj.bool = reader.bool()
              break
            }
            case 5: {
              obj.string = reader.string()
              break
            }
            case 6: {
              obj.bytes = reader.bytes()
              break
            }
            case 7: {
              if (opts.limits?.list != null && obj.list.length === opts.limits.list) {
                throw new MaxLengthError('Decode error - map field "list" had too many elements')
              }

              obj.list.push(UnimemValue.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.list$
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

  export const encode = (obj: Partial<UnimemValue>): Uint8Array => {
    return encodeMessage(obj, UnimemValue.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnimemValue>): UnimemValue => {
    return decodeMessage(buf, UnimemValue.codec(), opts)
  }
}

export interface UnimemEntry {
  key: string
  value?: UnimemValue
}

export namespace UnimemEntry {
  let _codec: Codec<UnimemEntry>

  export const codec = (): Codec<UnimemEntry> => {
    if (_codec == null) {
      _codec = message<UnimemEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if (obj.value != null) {
          w.uint32(18)
          UnimemValue.codec().encode(obj.value, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.value = UnimemValue.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.value
              })
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

  export const encode = (obj: Partial<UnimemEntry>): Uint8Array => {
    return encodeMessage(obj, UnimemEntry.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UnimemEntry>): UnimemEntry => {
    return decodeMessage(buf, UnimemEntry.codec(), opts)
  }
}

export interface Checkpoint {
  version: number
  imageHash: Uint8Array
  imageName: string
  step: string
  lastStep: string
  terminated: boolean
  unimem: UnimemEntry[]
  outputSeq: bigint
  clock: number
  steps: bigint
}

export namespace Checkpoint {
  let _codec: Codec<Checkpoint>

  export const codec = (): Codec<Checkpoint> => {
    if (_codec == null) {
      _codec = message<Checkpoint>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.imageHash != null && obj.imageHash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.imageHash)
        }

        if ((obj.imageName != null && obj.imageName !== '')) {
          w.uint32(26)
          w.string(obj.imageName)
        }

        if ((obj.step != null && obj.step !== '')) {
          w.uint32(34)
          w.string(obj.step)
        }

        if ((obj.lastStep != null && obj.lastStep !== '')) {
          w.uint32(42)
          w.string(obj.lastStep)
        }

        if ((obj.terminated != null && obj.terminated !== false)) {
          w.uint32(48)
          w.bool(obj.terminated)
        }

        if (obj.unimem != null) {
          for (const value of obj.unimem) {
            w.uint32(58)
            UnimemEntry.codec().encode(value, w)
          }
        }

        if ((obj.outputSeq != null && obj.outputSeq !== 0n)) {
          w.uint32(64)
          w.uint64(obj.outputSeq)
        }

        if ((obj.clock != null && obj.clock !== 0)) {
          w.uint32(73)
          w.double(obj.clock)
        }

        if ((obj.steps != null && obj.steps !== 0n)) {
          w.uint32(80)
          w.uint64(obj.steps)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          imageHash: uint8ArrayAlloc(0),
          imageName: '',
          step: '',
          lastStep: '',
          terminated: false,
          unimem: [],
          outputSeq: 0n,
          clock: 0,
          steps: 0n
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
              obj.imageHash = reader.bytes()
              break
            }
            case 3: {
              obj.imageName = reader.string()
              break
            }
            case 4: {
              obj.step = reader.string()
              break
            }
            case 5: {
              obj.lastStep = reader.string()
              break
            }
            case 6: {
              obj.terminated = reader.bool()
              break
            }
            case 7: {
              if (opts.limits?.unimem != null && obj.unimem.length === opts.limits.unimem) {
                throw new MaxLengthError('Decode error - map field "unimem" had too many elements')
              }

              obj.unimem.push(UnimemEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.unimem$
              }))
              break
            }
            case 8: {
              obj.outputSeq = reader.uint64()
              break
            }
            case 9: {
              obj.clock = reader.double()
              break
            }
            case 10: {
              obj.steps = reader.uint64()
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

  export const encode = (obj: Partial<Checkpoint>): Uint8Array => {
    return encodeMessage(obj, Checkpoint.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Checkpoint>): Checkpoint => {
    return decodeMessage(buf, Checkpoint.codec(), opts)
  }
}
