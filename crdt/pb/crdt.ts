/* eslint-disable import/export */
/* eslint-disable complexity */
/* eslint-disable @typescript-eslint/no-namespace */
/* eslint-disable @typescript-eslint/no-unnecessary-boolean-literal-compare */
/* eslint-disable @typescript-eslint/no-empty-interface */
/* eslint-disable import/consistent-type-specifier-style */
/* eslint-disable @typescript-eslint/no-unused-vars */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum CrdtKind {
  CRDT_KIND_UNSPECIFIED = 'CRDT_KIND_UNSPECIFIED',
  LWW_REGISTER = 'LWW_REGISTER',
  LWW_MAP = 'LWW_MAP',
  LWW_MAP_SUMMARY = 'LWW_MAP_SUMMARY',
  OR_SET = 'OR_SET',
  OR_SET_SUMMARY = 'OR_SET_SUMMARY',
  MAX_REGISTER = 'MAX_REGISTER',
  MAX_MAP = 'MAX_MAP'
}

enum __CrdtKindValues {
  CRDT_KIND_UNSPECIFIED = 0,
  LWW_REGISTER = 1,
  LWW_MAP = 2,
  LWW_MAP_SUMMARY = 3,
  OR_SET = 4,
  OR_SET_SUMMARY = 5,
  MAX_REGISTER = 6,
  MAX_MAP = 7
}

export namespace CrdtKind {
  export const codec = (): Codec<CrdtKind> => {
    return enumeration<CrdtKind>(__CrdtKindValues)
  }
}

export interface Timestamp {
  wall: number
  logical: number
  node: string
}

export namespace Timestamp {
  let _codec: Codec<Timestamp>

  export const codec = (): Codec<Timestamp> => {
    if (_codec == null) {
      _codec = message<Timestamp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.wall != null && obj.wall !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.wall)
        }

        if ((obj.logical != null && obj.logical !== 0)) {
          w.uint32(16)
          w.uint32(obj.logical)
        }

        if ((obj.node != null && obj.node !== '')) {
          w.uint32(26)
          w.string(obj.node)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          wall: 0,
          logical: 0,
          node: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.wall = reader.uint64Number()
              break
            }
            case 2: {
              obj.logical = reader.uint32()
              break
            }
            case 3: {
              obj.node = reader.string()
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

  export const encode = (obj: Partial<Timestamp>): Uint8Array => {
    return encodeMessage(obj, Timestamp.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Timestamp>): Timestamp => {
    return decodeMessage(buf, Timestamp.codec(), opts)
  }
}

export interface LwwEntry {
  key: string
  stamp?: Timestamp
  value?: Uint8Array
}

export namespace LwwEntry {
  let _codec: Codec<LwwEntry>

  export const codec = (): Codec<LwwEntry> => {
    if (_codec == null) {
      _codec = message<LwwEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if (obj.stamp != null) {
          w.uint32(18)
          Timestamp.codec().encode(obj.stamp, w)
        }

        if (obj.value != null) {
          w.uint32(26)
          w.bytes(obj.value)
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
              obj.stamp = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.stamp
              })
              break
            }
            case 3: {
              obj.value = reader.bytes()
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

  export const encode = (obj: Partial<LwwEntry>): Uint8Array => {
    return encodeMessage(obj, LwwEntry.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LwwEntry>): LwwEntry => {
    return decodeMessage(buf, LwwEntry.codec(), opts)
  }
}

export interface LwwRegister {
  version: number
  kind: CrdtKind
  entry?: LwwEntry
}

export namespace LwwRegister {
  let _codec: Codec<LwwRegister>

  export const codec = (): Codec<LwwRegister> => {
    if (_codec == null) {
      _codec = message<LwwRegister>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __CrdtKindValues[obj.kind] !== 0) {
          w.uint32(16)
          CrdtKind.codec().encode(obj.kind, w)
        }

        if (obj.entry != null) {
          w.uint32(26)
          LwwEntry.codec().encode(obj.entry, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: CrdtKind.CRDT_KIND_UNSPECIFIED
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
              obj.kind = CrdtKind.codec().decode(reader)
              break
            }
            case 3: {
              obj.entry = LwwEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entry
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

  export const encode = (obj: Partial<LwwRegister>): Uint8Array => {
    return encodeMessage(obj, LwwRegister.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LwwRegister>): LwwRegister => {
    return decodeMessage(buf, LwwRegister.codec(), opts)
  }
}

export interface LwwMap {
  version: number
  kind: CrdtKind
  entries: LwwEntry[]
}

export namespace LwwMap {
  let _codec: Codec<LwwMap>

  export const codec = (): Codec<LwwMap> => {
    if (_codec == null) {
      _codec = message<LwwMap>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __CrdtKindValues[obj.kind] !== 0) {
          w.uint32(16)
          CrdtKind.codec().encode(obj.kind, w)
        }

        if (obj.entries != null) {
          for (const value of obj.entries) {
            w.uint32(26)
            LwwEntry.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: CrdtKind.CRDT_KIND_UNSPECIFIED,
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
              obj.kind = CrdtKind.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - map field "entries" had too many elements')
              }

              obj.entries.push(LwwEntry.codec().decode(reader, reader.uint32(), {
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

  export const encode = (obj: Partial<LwwMap>): Uint8Array => {
    return encodeMessage(obj, LwwMap.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LwwMap>): LwwMap => {
    return decodeMessage(buf, LwwMap.codec(), opts)
  }
}

export interface KeyStamp {
  key: string
  stamp?: Timestamp
}

export namespace KeyStamp {
  let _codec: Codec<KeyStamp>

  export const codec = (): Codec<KeyStamp> => {
    if (_codec == null) {
      _codec = message<KeyStamp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if (obj.stamp != null) {
          w.uint32(18)
          Timestamp.codec().encode(obj.stamp, w)
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
              obj.stamp = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.stamp
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

  export const encode = (obj: Partial<KeyStamp>): Uint8Array => {
    return encodeMessage(obj, KeyStamp.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KeyStamp>): KeyStamp => {
    return decodeMessage(buf, KeyStamp.codec(), opts)
  }
}

export interface LwwMapSummary {
  version: number
  kind: CrdtKind
  keys: KeyStamp[]
}

export namespace LwwMapSummary {
  let _codec: Codec<LwwMapSummary>

  export const codec = (): Codec<LwwMapSummary> => {
    if (_codec == null) {
      _codec = message<LwwMapSummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __CrdtKindValues[obj.kind] !== 0) {
          w.uint32(16)
          CrdtKind.codec().encode(obj.kind, w)
        }

        if (obj.keys != null) {
          for (const value of obj.keys) {
            w.uint32(26)
            KeyStamp.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: CrdtKind.CRDT_KIND_UNSPECIFIED,
          keys: []
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
              obj.kind = CrdtKind.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.keys != null && obj.keys.length === opts.limits.keys) {
                throw new MaxLengthError('Decode error - map field "keys" had too many elements')
              }

              obj.keys.push(KeyStamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.keys$
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

  export const encode = (obj: Partial<LwwMapSummary>): Uint8Array => {
    return encodeMessage(obj, LwwMapSummary.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LwwMapSummary>): LwwMapSummary => {
    return decodeMessage(buf, LwwMapSummary.codec(), opts)
  }
}

export interface OrSetAdd {
  element: string
  tag?: Timestamp
  expiresAt: number
}

export namespace OrSetAdd {
  let _codec: Codec<OrSetAdd>

  export const codec = (): Codec<OrSetAdd> => {
    if (_codec == null) {
      _codec = message<OrSetAdd>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.element != null && obj.element !== '')) {
          w.uint32(10)
          w.string(obj.element)
        }

        if (obj.tag != null) {
          w.uint32(18)
          Timestamp.codec().encode(obj.tag, w)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          element: '',
          expiresAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.element = reader.string()
              break
            }
            case 2: {
              obj.tag = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.tag
              })
              break
            }
            case 3: {
              obj.expiresAt = reader.uint64Number()
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

  export const encode = (obj: Partial<OrSetAdd>): Uint8Array => {
    return encodeMessage(obj, OrSetAdd.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrSetAdd>): OrSetAdd => {
    return decodeMessage(buf, OrSetAdd.codec(), opts)
  }
}

export interface OrSetRemove {
  tag?: Timestamp
  removed?: Timestamp
  expiresAt: number
}

export namespace OrSetRemove {
  let _codec: Codec<OrSetRemove>

  export const codec = (): Codec<OrSetRemove> => {
    if (_codec == null) {
      _codec = message<OrSetRemove>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.tag != null) {
          w.uint32(10)
          Timestamp.codec().encode(obj.tag, w)
        }

        if (obj.removed != null) {
          w.uint32(18)
          Timestamp.codec().encode(obj.removed, w)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          expiresAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.tag = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.tag
              })
              break
            }
            case 2: {
              obj.removed = Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.removed
              })
              break
            }
            case 3: {
              obj.expiresAt = reader.uint64Number()
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

  export const encode = (obj: Partial<OrSetRemove>): Uint8Array => {
    return encodeMessage(obj, OrSetRemove.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrSetRemove>): OrSetRemove => {
    return decodeMessage(buf, OrSetRemove.codec(), opts)
  }
}

export interface OrSet {
  version: number
  kind: CrdtKind
  adds: OrSetAdd[]
  removes: OrSetRemove[]
}

export namespace OrSet {
  let _codec: Codec<OrSet>

  export const codec = (): Codec<OrSet> => {
    if (_codec == null) {
      _codec = message<OrSet>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __CrdtKindValues[obj.kind] !== 0) {
          w.uint32(16)
          CrdtKind.codec().encode(obj.kind, w)
        }

        if (obj.adds != null) {
          for (const value of obj.adds) {
            w.uint32(26)
            OrSetAdd.codec().encode(value, w)
          }
        }

        if (obj.removes != null) {
          for (const value of obj.removes) {
            w.uint32(34)
            OrSetRemove.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: CrdtKind.CRDT_KIND_UNSPECIFIED,
          adds: [],
          removes: []
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
              obj.kind = CrdtKind.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.adds != null && obj.adds.length === opts.limits.adds) {
                throw new MaxLengthError('Decode error - map field "adds" had too many elements')
              }

              obj.adds.push(OrSetAdd.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.adds$
              }))
              break
            }
            case 4: {
              if (opts.limits?.removes != null && obj.removes.length === opts.limits.removes) {
                throw new MaxLengthError('Decode error - map field "removes" had too many elements')
              }

              obj.removes.push(OrSetRemove.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.removes$
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

  export const encode = (obj: Partial<OrSet>): Uint8Array => {
    return encodeMessage(obj, OrSet.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrSet>): OrSet => {
    return decodeMessage(buf, OrSet.codec(), opts)
  }
}

export interface OrSetSummary {
  version: number
  kind: CrdtKind
  live: Timestamp[]
  removed: OrSetRemove[]
}

export namespace OrSetSummary {
  let _codec: Codec<OrSetSummary>

  export const codec = (): Codec<OrSetSummary> => {
    if (_codec == null) {
      _codec = message<OrSetSummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __CrdtKindValues[obj.kind] !== 0) {
          w.uint32(16)
          CrdtKind.codec().encode(obj.kind, w)
        }

        if (obj.live != null) {
          for (const value of obj.live) {
            w.uint32(26)
            Timestamp.codec().encode(value, w)
          }
        }

        if (obj.removed != null) {
          for (const value of obj.removed) {
            w.uint32(34)
            OrSetRemove.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: CrdtKind.CRDT_KIND_UNSPECIFIED,
          live: [],
          removed: []
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
              obj.kind = CrdtKind.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.live != null && obj.live.length === opts.limits.live) {
                throw new MaxLengthError('Decode error - map field "live" had too many elements')
              }

              obj.live.push(Timestamp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.live$
              }))
              break
            }
            case 4: {
              if (opts.limits?.removed != null && obj.removed.length === opts.limits.removed) {
                throw new MaxLengthError('Decode error - map field "removed" had too many elements')
              }

              obj.removed.push(OrSetRemove.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.removed$
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

  export const encode = (obj: Partial<OrSetSummary>): Uint8Array => {
    return encodeMessage(obj, OrSetSummary.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrSetSummary>): OrSetSummary => {
    return decodeMessage(buf, OrSetSummary.codec(), opts)
  }
}

export interface MaxValue {
  epoch: number
  seq: number
}

export namespace MaxValue {
  let _codec: Codec<MaxValue>

  export const codec = (): Codec<MaxValue> => {
    if (_codec == null) {
      _codec = message<MaxValue>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.epoch)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.seq)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          epoch: 0,
          seq: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.epoch = reader.uint64Number()
              break
            }
            case 2: {
              obj.seq = reader.uint64Number()
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

  export const encode = (obj: Partial<MaxValue>): Uint8Array => {
    return encodeMessage(obj, MaxValue.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaxValue>): MaxValue => {
    return decodeMessage(buf, MaxValue.codec(), opts)
  }
}

export interface MaxRegister {
  version: number
  kind: CrdtKind
  value?: MaxValue
}

export namespace MaxRegister {
  let _codec: Codec<MaxRegister>

  export const codec = (): Codec<MaxRegister> => {
    if (_codec == null) {
      _codec = message<MaxRegister>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __CrdtKindValues[obj.kind] !== 0) {
          w.uint32(16)
          CrdtKind.codec().encode(obj.kind, w)
        }

        if (obj.value != null) {
          w.uint32(26)
          MaxValue.codec().encode(obj.value, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: CrdtKind.CRDT_KIND_UNSPECIFIED
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
              obj.kind = CrdtKind.codec().decode(reader)
              break
            }
            case 3: {
              obj.value = MaxValue.codec().decode(reader, reader.uint32(), {
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

  export const encode = (obj: Partial<MaxRegister>): Uint8Array => {
    return encodeMessage(obj, MaxRegister.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaxRegister>): MaxRegister => {
    return decodeMessage(buf, MaxRegister.codec(), opts)
  }
}

export interface MaxEntry {
  key: string
  value?: MaxValue
}

export namespace MaxEntry {
  let _codec: Codec<MaxEntry>

  export const codec = (): Codec<MaxEntry> => {
    if (_codec == null) {
      _codec = message<MaxEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if (obj.value != null) {
          w.uint32(18)
          MaxValue.codec().encode(obj.value, w)
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
              obj.value = MaxValue.codec().decode(reader, reader.uint32(), {
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

  export const encode = (obj: Partial<MaxEntry>): Uint8Array => {
    return encodeMessage(obj, MaxEntry.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaxEntry>): MaxEntry => {
    return decodeMessage(buf, MaxEntry.codec(), opts)
  }
}

export interface MaxMap {
  version: number
  kind: CrdtKind
  entries: MaxEntry[]
}

export namespace MaxMap {
  let _codec: Codec<MaxMap>

  export const codec = (): Codec<MaxMap> => {
    if (_codec == null) {
      _codec = message<MaxMap>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __CrdtKindValues[obj.kind] !== 0) {
          w.uint32(16)
          CrdtKind.codec().encode(obj.kind, w)
        }

        if (obj.entries != null) {
          for (const value of obj.entries) {
            w.uint32(26)
            MaxEntry.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: CrdtKind.CRDT_KIND_UNSPECIFIED,
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
              obj.kind = CrdtKind.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - map field "entries" had too many elements')
              }

              obj.entries.push(MaxEntry.codec().decode(reader, reader.uint32(), {
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

  export const encode = (obj: Partial<MaxMap>): Uint8Array => {
    return encodeMessage(obj, MaxMap.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaxMap>): MaxMap => {
    return decodeMessage(buf, MaxMap.codec(), opts)
  }
}
