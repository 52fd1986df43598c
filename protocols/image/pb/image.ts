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

export interface ImageRequest {
  version: number
  hash: string
}

export namespace ImageRequest {
  let _codec: Codec<ImageRequest>

  export const codec = (): Codec<ImageRequest> => {
    if (_codec == null) {
      _codec = message<ImageRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.hash != null && obj.hash !== '')) {
          w.uint32(18)
          w.string(obj.hash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          hash: ''
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
              obj.hash = reader.string()
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

  export const encode = (obj: Partial<ImageRequest>): Uint8Array => {
    return encodeMessage(obj, ImageRequest.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ImageRequest>): ImageRequest => {
    return decodeMessage(buf, ImageRequest.codec(), opts)
  }
}

export interface WireManifest {
  name: string
  version: string
  description: string
  hash: string
  size: number
  abi: number
  memoryLimitBytes: number
  timeLimitMs: number
  sensors: string[]
  stateful: boolean
  inboxOffset: number
  inboxCapacity: number
}

export namespace WireManifest {
  let _codec: Codec<WireManifest>

  export const codec = (): Codec<WireManifest> => {
    if (_codec == null) {
      _codec = message<WireManifest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.version != null && obj.version !== '')) {
          w.uint32(18)
          w.string(obj.version)
        }

        if ((obj.description != null && obj.description !== '')) {
          w.uint32(26)
          w.string(obj.description)
        }

        if ((obj.hash != null && obj.hash !== '')) {
          w.uint32(34)
          w.string(obj.hash)
        }

        if ((obj.size != null && obj.size !== 0)) {
          w.uint32(40)
          w.uint32(obj.size)
        }

        if ((obj.abi != null && obj.abi !== 0)) {
          w.uint32(48)
          w.uint32(obj.abi)
        }

        if ((obj.memoryLimitBytes != null && obj.memoryLimitBytes !== 0)) {
          w.uint32(56)
          w.uint32(obj.memoryLimitBytes)
        }

        if ((obj.timeLimitMs != null && obj.timeLimitMs !== 0)) {
          w.uint32(64)
          w.uint32(obj.timeLimitMs)
        }

        if (obj.sensors != null) {
          for (const value of obj.sensors) {
            w.uint32(74)
            w.string(value)
          }
        }

        if ((obj.stateful != null && obj.stateful !== false)) {
          w.uint32(80)
          w.bool(obj.stateful)
        }

        if ((obj.inboxOffset != null && obj.inboxOffset !== 0)) {
          w.uint32(88)
          w.uint32(obj.inboxOffset)
        }

        if ((obj.inboxCapacity != null && obj.inboxCapacity !== 0)) {
          w.uint32(96)
          w.uint32(obj.inboxCapacity)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          version: '',
          description: '',
          hash: '',
          size: 0,
          abi: 0,
          memoryLimitBytes: 0,
          timeLimitMs: 0,
          sensors: [],
          stateful: false,
          inboxOffset: 0,
          inboxCapacity: 0
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
              obj.version = reader.string()
              break
            }
            case 3: {
              obj.description = reader.string()
              break
            }
            case 4: {
              obj.hash = reader.string()
              break
            }
            case 5: {
              obj.size = reader.uint32()
              break
            }
            case 6: {
              obj.abi = reader.uint32()
              break
            }
            case 7: {
              obj.memoryLimitBytes = reader.uint32()
              break
            }
            case 8: {
              obj.timeLimitMs = reader.uint32()
              break
            }
            case 9: {
              if (opts.limits?.sensors != null && obj.sensors.length === opts.limits.sensors) {
                throw new MaxLengthError('Decode error - map field "sensors" had too many elements')
              }

              obj.sensors.push(reader.string())
              break
            }
            case 10: {
              obj.stateful = reader.bool()
              break
            }
            case 11: {
              obj.inboxOffset = reader.uint32()
              break
            }
            case 12: {
              obj.inboxCapacity = reader.uint32()
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

  export const encode = (obj: Partial<WireManifest>): Uint8Array => {
    return encodeMessage(obj, WireManifest.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WireManifest>): WireManifest => {
    return decodeMessage(buf, WireManifest.codec(), opts)
  }
}

export enum ImageStatus {
  IMAGE_OK = 'IMAGE_OK',
  IMAGE_NOT_FOUND = 'IMAGE_NOT_FOUND'
}

enum __ImageStatusValues {
  IMAGE_OK = 0,
  IMAGE_NOT_FOUND = 1
}

export namespace ImageStatus {
  export const codec = (): Codec<ImageStatus> => {
    return enumeration<ImageStatus>(__ImageStatusValues)
  }
}

export interface ImageResponse {
  version: number
  status: ImageStatus
  manifest?: WireManifest
  wasm: Uint8Array
}

export namespace ImageResponse {
  let _codec: Codec<ImageResponse>

  export const codec = (): Codec<ImageResponse> => {
    if (_codec == null) {
      _codec = message<ImageResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.status != null && __ImageStatusValues[obj.status] !== 0) {
          w.uint32(16)
          ImageStatus.codec().encode(obj.status, w)
        }

        if (obj.manifest != null) {
          w.uint32(26)
          WireManifest.codec().encode(obj.manifest, w)
        }

        if ((obj.wasm != null && obj.wasm.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.wasm)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          status: ImageStatus.IMAGE_OK,
          wasm: uint8ArrayAlloc(0)
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
              obj.status = ImageStatus.codec().decode(reader)
              break
            }
            case 3: {
              obj.manifest = WireManifest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.manifest
              })
              break
            }
            case 4: {
              obj.wasm = reader.bytes()
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

  export const encode = (obj: Partial<ImageResponse>): Uint8Array => {
    return encodeMessage(obj, ImageResponse.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ImageResponse>): ImageResponse => {
    return decodeMessage(buf, ImageResponse.codec(), opts)
  }
}
