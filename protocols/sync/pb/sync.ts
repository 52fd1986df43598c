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

export interface SyncMessage {
  version: number
  kind: SyncMessage.Kind
  documents: SyncDocument[]
}

export namespace SyncMessage {
  export enum Kind {
    REQUEST = 'REQUEST',
    RESPONSE = 'RESPONSE',
    UPDATE = 'UPDATE'
  }

  enum __KindValues {
    REQUEST = 0,
    RESPONSE = 1,
    UPDATE = 2
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  let _codec: Codec<SyncMessage>

  export const codec = (): Codec<SyncMessage> => {
    if (_codec == null) {
      _codec = message<SyncMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(16)
          SyncMessage.Kind.codec().encode(obj.kind, w)
        }

        if (obj.documents != null) {
          for (const value of obj.documents) {
            w.uint32(26)
            SyncDocument.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: Kind.REQUEST,
          documents: []
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
              obj.kind = SyncMessage.Kind.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.documents != null && obj.documents.length === opts.limits.documents) {
                throw new MaxLengthError('Decode error - map field "documents" had too many elements')
              }

              obj.documents.push(SyncDocument.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.documents$
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

  export const encode = (obj: Partial<SyncMessage>): Uint8Array => {
    return encodeMessage(obj, SyncMessage.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncMessage>): SyncMessage => {
    return decodeMessage(buf, SyncMessage.codec(), opts)
  }
}

export interface SyncDocument {
  name: string
  summary: Uint8Array
  update: Uint8Array
}

export namespace SyncDocument {
  let _codec: Codec<SyncDocument>

  export const codec = (): Codec<SyncDocument> => {
    if (_codec == null) {
      _codec = message<SyncDocument>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.summary != null && obj.summary.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.summary)
        }

        if ((obj.update != null && obj.update.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.update)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          summary: uint8ArrayAlloc(0),
          update: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.summary = reader.bytes()
              break
            }
            case 3: {
              obj.update = reader.bytes()
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

  export const encode = (obj: Partial<SyncDocument>): Uint8Array => {
    return encodeMessage(obj, SyncDocument.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncDocument>): SyncDocument => {
    return decodeMessage(buf, SyncDocument.codec(), opts)
  }
}
