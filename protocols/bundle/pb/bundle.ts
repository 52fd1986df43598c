/* eslint-disable import/export */
/* eslint-disable complexity */
/* eslint-disable @typescript-eslint/no-namespace */
/* eslint-disable @typescript-eslint/no-unnecessary-boolean-literal-compare */
/* eslint-disable @typescript-eslint/no-empty-interface */
/* eslint-disable import/consistent-type-specifier-style */
/* eslint-disable @typescript-eslint/no-unused-vars */

import { decodeMessage, encodeMessage, enumeration, message } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Trace {
  bootMs: number
  computeMs: number
  intraMs: number
  networkMs: number
  startedAtMs: number
  sentAtMs: number
  hops: number
}

export namespace Trace {
  let _codec: Codec<Trace>

  export const codec = (): Codec<Trace> => {
    if (_codec == null) {
      _codec = message<Trace>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bootMs != null && obj.bootMs !== 0)) {
          w.uint32(9)
          w.double(obj.bootMs)
        }

        if ((obj.computeMs != null && obj.computeMs !== 0)) {
          w.uint32(17)
          w.double(obj.computeMs)
        }

        if ((obj.intraMs != null && obj.intraMs !== 0)) {
          w.uint32(25)
          w.double(obj.intraMs)
        }

        if ((obj.networkMs != null && obj.networkMs !== 0)) {
          w.uint32(33)
          w.double(obj.networkMs)
        }

        if ((obj.startedAtMs != null && obj.startedAtMs !== 0)) {
          w.uint32(41)
          w.double(obj.startedAtMs)
        }

        if ((obj.sentAtMs != null && obj.sentAtMs !== 0)) {
          w.uint32(49)
          w.double(obj.sentAtMs)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(56)
          w.uint32(obj.hops)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bootMs: 0,
          computeMs: 0,
          intraMs: 0,
          networkMs: 0,
          startedAtMs: 0,
          sentAtMs: 0,
          hops: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bootMs = reader.double()
              break
            }
            case 2: {
              obj.computeMs = reader.double()
              break
            }
            case 3: {
              obj.intraMs = reader.double()
              break
            }
            case 4: {
              obj.networkMs = reader.double()
              break
            }
            case 5: {
              obj.startedAtMs = reader.double()
              break
            }
            case 6: {
              obj.sentAtMs = reader.double()
              break
            }
            case 7: {
              obj.hops = reader.uint32()
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

  export const encode = (obj: Partial<Trace>): Uint8Array => {
    return encodeMessage(obj, Trace.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Trace>): Trace => {
    return decodeMessage(buf, Trace.codec(), opts)
  }
}

export interface Bundle {
  version: number
  pipelineId: string
  run: bigint
  fromStage: string
  fromSlot: number
  toStage: string
  sequence: number
  payload: Uint8Array
  partial: boolean
  degraded: boolean
  trace?: Trace
  toSlot?: number
  forwards?: number
}

export namespace Bundle {
  let _codec: Codec<Bundle>

  export const codec = (): Codec<Bundle> => {
    if (_codec == null) {
      _codec = message<Bundle>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.pipelineId != null && obj.pipelineId !== '')) {
          w.uint32(18)
          w.string(obj.pipelineId)
        }

        if ((obj.run != null && obj.run !== 0n)) {
          w.uint32(24)
          w.uint64(obj.run)
        }

        if ((obj.fromStage != null && obj.fromStage !== '')) {
          w.uint32(34)
          w.string(obj.fromStage)
        }

        if ((obj.fromSlot != null && obj.fromSlot !== 0)) {
          w.uint32(40)
          w.uint32(obj.fromSlot)
        }

        if ((obj.toStage != null && obj.toStage !== '')) {
          w.uint32(50)
          w.string(obj.toStage)
        }

        if ((obj.sequence != null && obj.sequence !== 0)) {
          w.uint32(56)
          w.uint32(obj.sequence)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.payload)
        }

        if ((obj.partial != null && obj.partial !== false)) {
          w.uint32(72)
          w.bool(obj.partial)
        }

        if ((obj.degraded != null && obj.degraded !== false)) {
          w.uint32(80)
          w.bool(obj.degraded)
        }

        if (obj.trace != null) {
          w.uint32(90)
          Trace.codec().encode(obj.trace, w)
        }

        if (obj.toSlot != null) {
          w.uint32(96)
          w.uint32(obj.toSlot)
        }

        if (obj.forwards != null) {
          w.uint32(104)
          w.uint32(obj.forwards)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          pipelineId: '',
          run: 0n,
          fromStage: '',
          fromSlot: 0,
          toStage: '',
          sequence: 0,
          payload: uint8ArrayAlloc(0),
          partial: false,
          degraded: false
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
              obj.pipelineId = reader.string()
              break
            }
            case 3: {
              obj.run = reader.uint64()
              break
            }
            case 4: {
              obj.fromStage = reader.string()
              break
            }
            case 5: {
              obj.fromSlot = reader.uint32()
              break
            }
            case 6: {
              obj.toStage = reader.string()
              break
            }
            case 7: {
              obj.sequence = reader.uint32()
              break
            }
            case 8: {
              obj.payload = reader.bytes()
              break
            }
            case 9: {
              obj.partial = reader.bool()
              break
            }
            case 10: {
              obj.degraded = reader.bool()
              break
            }
            case 11: {
              obj.trace = Trace.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.trace
              })
              break
            }
            case 12: {
              obj.toSlot = reader.uint32()
              break
            }
            case 13: {
              obj.forwards = reader.uint32()
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

  export const encode = (obj: Partial<Bundle>): Uint8Array => {
    return encodeMessage(obj, Bundle.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Bundle>): Bundle => {
    return decodeMessage(buf, Bundle.codec(), opts)
  }
}

export enum AckStatus {
  ACK_STORED = 'ACK_STORED',
  ACK_DUPLICATE = 'ACK_DUPLICATE',
  ACK_REJECTED = 'ACK_REJECTED'
}

enum __AckStatusValues {
  ACK_STORED = 0,
  ACK_DUPLICATE = 1,
  ACK_REJECTED = 2
}

export namespace AckStatus {
  export const codec = (): Codec<AckStatus> => {
    return enumeration<AckStatus>(__AckStatusValues)
  }
}

export interface BundleAck {
  version: number
  status: AckStatus
  reason: string
}

export namespace BundleAck {
  let _codec: Codec<BundleAck>

  export const codec = (): Codec<BundleAck> => {
    if (_codec == null) {
      _codec = message<BundleAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.status != null && __AckStatusValues[obj.status] !== 0) {
          w.uint32(16)
          AckStatus.codec().encode(obj.status, w)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(26)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          status: AckStatus.ACK_STORED,
          reason: ''
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
              obj.status = AckStatus.codec().decode(reader)
              break
            }
            case 3: {
              obj.reason = reader.string()
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

  export const encode = (obj: Partial<BundleAck>): Uint8Array => {
    return encodeMessage(obj, BundleAck.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BundleAck>): BundleAck => {
    return decodeMessage(buf, BundleAck.codec(), opts)
  }
}
