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

export enum RelevanceDistance {
  LESS_THAN_50M = 'LESS_THAN_50M',
  LESS_THAN_100M = 'LESS_THAN_100M',
  LESS_THAN_200M = 'LESS_THAN_200M',
  LESS_THAN_500M = 'LESS_THAN_500M',
  LESS_THAN_1000M = 'LESS_THAN_1000M',
  LESS_THAN_5KM = 'LESS_THAN_5KM',
  LESS_THAN_10KM = 'LESS_THAN_10KM',
  OVER_10KM = 'OVER_10KM'
}

enum __RelevanceDistanceValues {
  LESS_THAN_50M = 0,
  LESS_THAN_100M = 1,
  LESS_THAN_200M = 2,
  LESS_THAN_500M = 3,
  LESS_THAN_1000M = 4,
  LESS_THAN_5KM = 5,
  LESS_THAN_10KM = 6,
  OVER_10KM = 7
}

export namespace RelevanceDistance {
  export const codec = (): Codec<RelevanceDistance> => {
    return enumeration<RelevanceDistance>(__RelevanceDistanceValues)
  }
}

export enum RelevanceTrafficDirection {
  ALL_TRAFFIC_DIRECTIONS = 'ALL_TRAFFIC_DIRECTIONS',
  UPSTREAM_TRAFFIC = 'UPSTREAM_TRAFFIC',
  DOWNSTREAM_TRAFFIC = 'DOWNSTREAM_TRAFFIC',
  OPPOSITE_TRAFFIC = 'OPPOSITE_TRAFFIC'
}

enum __RelevanceTrafficDirectionValues {
  ALL_TRAFFIC_DIRECTIONS = 0,
  UPSTREAM_TRAFFIC = 1,
  DOWNSTREAM_TRAFFIC = 2,
  OPPOSITE_TRAFFIC = 3
}

export namespace RelevanceTrafficDirection {
  export const codec = (): Codec<RelevanceTrafficDirection> => {
    return enumeration<RelevanceTrafficDirection>(__RelevanceTrafficDirectionValues)
  }
}

export enum Termination {
  NONE = 'NONE',
  IS_CANCELLATION = 'IS_CANCELLATION',
  IS_NEGATION = 'IS_NEGATION'
}

enum __TerminationValues {
  NONE = 0,
  IS_CANCELLATION = 1,
  IS_NEGATION = 2
}

export namespace Termination {
  export const codec = (): Codec<Termination> => {
    return enumeration<Termination>(__TerminationValues)
  }
}

export interface ActionId {
  originator: Uint8Array
  sequenceNumber: number
}

export namespace ActionId {
  let _codec: Codec<ActionId>

  export const codec = (): Codec<ActionId> => {
    if (_codec == null) {
      _codec = message<ActionId>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.originator != null && obj.originator.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.originator)
        }

        if ((obj.sequenceNumber != null && obj.sequenceNumber !== 0)) {
          w.uint32(16)
          w.uint32(obj.sequenceNumber)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          originator: uint8ArrayAlloc(0),
          sequenceNumber: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.originator = reader.bytes()
              break
            }
            case 2: {
              obj.sequenceNumber = reader.uint32()
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

  export const encode = (obj: Partial<ActionId>): Uint8Array => {
    return encodeMessage(obj, ActionId.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ActionId>): ActionId => {
    return decodeMessage(buf, ActionId.codec(), opts)
  }
}

export interface EventPosition {
  lat: number
  lon: number
}

export namespace EventPosition {
  let _codec: Codec<EventPosition>

  export const codec = (): Codec<EventPosition> => {
    if (_codec == null) {
      _codec = message<EventPosition>((obj, w, opts = {}) => {
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

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lat: 0,
          lon: 0
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

  export const encode = (obj: Partial<EventPosition>): Uint8Array => {
    return encodeMessage(obj, EventPosition.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EventPosition>): EventPosition => {
    return decodeMessage(buf, EventPosition.codec(), opts)
  }
}

export interface Denm {
  version: number
  actionId?: ActionId
  detectionTime: bigint
  referenceTime: bigint
  termination: Termination
  eventPosition?: EventPosition
  relevanceDistance: RelevanceDistance
  relevanceTrafficDirection: RelevanceTrafficDirection
  validityDuration: number
  transmissionInterval: number
  causeCode: number
  subCauseCode: number
  informationQuality: number
  eventHeading?: number
  pipelineId: string
}

export namespace Denm {
  let _codec: Codec<Denm>

  export const codec = (): Codec<Denm> => {
    if (_codec == null) {
      _codec = message<Denm>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.actionId != null) {
          w.uint32(18)
          ActionId.codec().encode(obj.actionId, w)
        }

        if ((obj.detectionTime != null && obj.detectionTime !== 0n)) {
          w.uint32(24)
          w.uint64(obj.detectionTime)
        }

        if ((obj.referenceTime != null && obj.referenceTime !== 0n)) {
          w.uint32(32)
          w.uint64(obj.referenceTime)
        }

        if (obj.termination != null && __TerminationValues[obj.termination] !== 0) {
          w.uint32(40)
          Termination.codec().encode(obj.termination, w)
        }

        if (obj.eventPosition != null) {
          w.uint32(50)
          EventPosition.codec().encode(obj.eventPosition, w)
        }

        if (obj.relevanceDistance != null && __RelevanceDistanceValues[obj.relevanceDistance] !== 0) {
          w.uint32(56)
          RelevanceDistance.codec().encode(obj.relevanceDistance, w)
        }

        if (obj.relevanceTrafficDirection != null && __RelevanceTrafficDirectionValues[obj.relevanceTrafficDirection] !== 0) {
          w.uint32(64)
          RelevanceTrafficDirection.codec().encode(obj.relevanceTrafficDirection, w)
        }

        if ((obj.validityDuration != null && obj.validityDuration !== 0)) {
          w.uint32(72)
          w.uint32(obj.validityDuration)
        }

        if ((obj.transmissionInterval != null && obj.transmissionInterval !== 0)) {
          w.uint32(80)
          w.uint32(obj.transmissionInterval)
        }

        if ((obj.causeCode != null && obj.causeCode !== 0)) {
          w.uint32(88)
          w.uint32(obj.causeCode)
        }

        if ((obj.subCauseCode != null && obj.subCauseCode !== 0)) {
          w.uint32(96)
          w.uint32(obj.subCauseCode)
        }

        if ((obj.informationQuality != null && obj.informationQuality !== 0)) {
          w.uint32(104)
          w.uint32(obj.informationQuality)
        }

        if (obj.eventHeading != null) {
          w.uint32(112)
          w.uint32(obj.eventHeading)
        }

        if ((obj.pipelineId != null && obj.pipelineId !== '')) {
          w.uint32(122)
          w.string(obj.pipelineId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          detectionTime: 0n,
          referenceTime: 0n,
          termination: Termination.NONE,
          relevanceDistance: RelevanceDistance.LESS_THAN_50M,
          relevanceTrafficDirection: RelevanceTrafficDirection.ALL_TRAFFIC_DIRECTIONS,
          validityDuration: 0,
          transmissionInterval: 0,
          causeCode: 0,
          subCauseCode: 0,
          informationQuality: 0,
          pipelineId: ''
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
              obj.actionId = ActionId.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.actionId
              })
              break
            }
            case 3: {
              obj.detectionTime = reader.uint64()
              break
            }
            case 4: {
              obj.referenceTime = reader.uint64()
              break
            }
            case 5: {
              obj.termination = Termination.codec().decode(reader)
              break
            }
            case 6: {
              obj.eventPosition = EventPosition.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.eventPosition
              })
              break
            }
            case 7: {
              obj.relevanceDistance = RelevanceDistance.codec().decode(reader)
              break
            }
            case 8: {
              obj.relevanceTrafficDirection = RelevanceTrafficDirection.codec().decode(reader)
              break
            }
            case 9: {
              obj.validityDuration = reader.uint32()
              break
            }
            case 10: {
              obj.transmissionInterval = reader.uint32()
              break
            }
            case 11: {
              obj.causeCode = reader.uint32()
              break
            }
            case 12: {
              obj.subCauseCode = reader.uint32()
              break
            }
            case 13: {
              obj.informationQuality = reader.uint32()
              break
            }
            case 14: {
              obj.eventHeading = reader.uint32()
              break
            }
            case 15: {
              obj.pipelineId = reader.string()
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

  export const encode = (obj: Partial<Denm>): Uint8Array => {
    return encodeMessage(obj, Denm.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Denm>): Denm => {
    return decodeMessage(buf, Denm.codec(), opts)
  }
}

export interface SignedWarning {
  version: number
  denm: Uint8Array
  signature: Uint8Array
  certificate: Uint8Array
}

export namespace SignedWarning {
  let _codec: Codec<SignedWarning>

  export const codec = (): Codec<SignedWarning> => {
    if (_codec == null) {
      _codec = message<SignedWarning>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.denm != null && obj.denm.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.denm)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if ((obj.certificate != null && obj.certificate.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.certificate)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          denm: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0),
          certificate: uint8ArrayAlloc(0)
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
              obj.denm = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            case 4: {
              obj.certificate = reader.bytes()
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

  export const encode = (obj: Partial<SignedWarning>): Uint8Array => {
    return encodeMessage(obj, SignedWarning.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedWarning>): SignedWarning => {
    return decodeMessage(buf, SignedWarning.codec(), opts)
  }
}

export interface FreeParking {
  version: number
  originator: Uint8Array
  sequenceNumber: number
  time: bigint
  position?: EventPosition
  spots: number
  free: number[]
  validityDuration: number
  pipelineId: string
}

export namespace FreeParking {
  let _codec: Codec<FreeParking>

  export const codec = (): Codec<FreeParking> => {
    if (_codec == null) {
      _codec = message<FreeParking>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.originator != null && obj.originator.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.originator)
        }

        if ((obj.sequenceNumber != null && obj.sequenceNumber !== 0)) {
          w.uint32(24)
          w.uint32(obj.sequenceNumber)
        }

        if ((obj.time != null && obj.time !== 0n)) {
          w.uint32(32)
          w.uint64(obj.time)
        }

        if (obj.position != null) {
          w.uint32(42)
          EventPosition.codec().encode(obj.position, w)
        }

        if ((obj.spots != null && obj.spots !== 0)) {
          w.uint32(48)
          w.uint32(obj.spots)
        }

        if (obj.free != null) {
          for (const value of obj.free) {
            w.uint32(56)
            w.uint32(value)
          }
        }

        if ((obj.validityDuration != null && obj.validityDuration !== 0)) {
          w.uint32(64)
          w.uint32(obj.validityDuration)
        }

        if ((obj.pipelineId != null && obj.pipelineId !== '')) {
          w.uint32(74)
          w.string(obj.pipelineId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          originator: uint8ArrayAlloc(0),
          sequenceNumber: 0,
          time: 0n,
          spots: 0,
          free: [],
          validityDuration: 0,
          pipelineId: ''
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
              obj.originator = reader.bytes()
              break
            }
            case 3: {
              obj.sequenceNumber = reader.uint32()
              break
            }
            case 4: {
              obj.time = reader.uint64()
              break
            }
            case 5: {
              obj.position = EventPosition.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.position
              })
              break
            }
            case 6: {
              obj.spots = reader.uint32()
              break
            }
            case 7: {
              if (opts.limits?.free != null && obj.free.length === opts.limits.free) {
                throw new MaxLengthError('Decode error - map field "free" had too many elements')
              }

              obj.free.push(reader.uint32())
              break
            }
            case 8: {
              obj.validityDuration = reader.uint32()
              break
            }
            case 9: {
              obj.pipelineId = reader.string()
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

  export const encode = (obj: Partial<FreeParking>): Uint8Array => {
    return encodeMessage(obj, FreeParking.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FreeParking>): FreeParking => {
    return decodeMessage(buf, FreeParking.codec(), opts)
  }
}

export interface SignedParking {
  version: number
  parking: Uint8Array
  signature: Uint8Array
  certificate: Uint8Array
}

export namespace SignedParking {
  let _codec: Codec<SignedParking>

  export const codec = (): Codec<SignedParking> => {
    if (_codec == null) {
      _codec = message<SignedParking>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.parking != null && obj.parking.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.parking)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if ((obj.certificate != null && obj.certificate.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.certificate)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          parking: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0),
          certificate: uint8ArrayAlloc(0)
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
              obj.parking = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
              break
            }
            case 4: {
              obj.certificate = reader.bytes()
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

  export const encode = (obj: Partial<SignedParking>): Uint8Array => {
    return encodeMessage(obj, SignedParking.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedParking>): SignedParking => {
    return decodeMessage(buf, SignedParking.codec(), opts)
  }
}
