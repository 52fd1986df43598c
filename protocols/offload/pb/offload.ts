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

export interface OffloadMessage {
  version: number
  kind: OffloadMessage.Kind
  handshake?: Requirements
  handshakeAck?: HandshakeAck
  offer?: Offer
  release?: Release
  releaseAck?: ReleaseAck
  solve?: Solve
  solution?: Solution
  reserve?: Reserve
  reserveReply?: ReserveReply
  error?: ErrorReply
}

export namespace OffloadMessage {
  export enum Kind {
    ERROR = 'ERROR',
    HANDSHAKE = 'HANDSHAKE',
    HANDSHAKE_ACK = 'HANDSHAKE_ACK',
    OFFLOAD = 'OFFLOAD',
    OFFER = 'OFFER',
    RELEASE = 'RELEASE',
    RELEASE_ACK = 'RELEASE_ACK',
    SOLVE = 'SOLVE',
    SOLUTION = 'SOLUTION',
    RESERVE = 'RESERVE',
    RESERVE_REPLY = 'RESERVE_REPLY'
  }

  enum __KindValues {
    ERROR = 0,
    HANDSHAKE = 1,
    HANDSHAKE_ACK = 2,
    OFFLOAD = 3,
    OFFER = 4,
    RELEASE = 5,
    RELEASE_ACK = 6,
    SOLVE = 7,
    SOLUTION = 8,
    RESERVE = 9,
    RESERVE_REPLY = 10
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  let _codec: Codec<OffloadMessage>

  export const codec = (): Codec<OffloadMessage> => {
    if (_codec == null) {
      _codec = message<OffloadMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(16)
          OffloadMessage.Kind.codec().encode(obj.kind, w)
        }

        if (obj.handshake != null) {
          w.uint32(26)
          Requirements.codec().encode(obj.handshake, w)
        }

        if (obj.handshakeAck != null) {
          w.uint32(34)
          HandshakeAck.codec().encode(obj.handshakeAck, w)
        }

        if (obj.offer != null) {
          w.uint32(42)
          Offer.codec().encode(obj.offer, w)
        }

        if (obj.release != null) {
          w.uint32(50)
          Release.codec().encode(obj.release, w)
        }

        if (obj.releaseAck != null) {
          w.uint32(58)
          ReleaseAck.codec().encode(obj.releaseAck, w)
        }

        if (obj.solve != null) {
          w.uint32(66)
          Solve.codec().encode(obj.solve, w)
        }

        if (obj.solution != null) {
          w.uint32(74)
          Solution.codec().encode(obj.solution, w)
        }

        if (obj.reserve != null) {
          w.uint32(82)
          Reserve.codec().encode(obj.reserve, w)
        }

        if (obj.reserveReply != null) {
          w.uint32(90)
          ReserveReply.codec().encode(obj.reserveReply, w)
        }

        if (obj.error != null) {
          w.uint32(98)
          ErrorReply.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: Kind.ERROR
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
              obj.kind = OffloadMessage.Kind.codec().decode(reader)
              break
            }
            case 3: {
              obj.handshake = Requirements.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.handshake
              })
              break
            }
            case 4: {
              obj.handshakeAck = HandshakeAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.handshakeAck
              })
              break
            }
            case 5: {
              obj.offer = Offer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offer
              })
              break
            }
            case 6: {
              obj.release = Release.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.release
              })
              break
            }
            case 7: {
              obj.releaseAck = ReleaseAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.releaseAck
              })
              break
            }
            case 8: {
              obj.solve = Solve.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.solve
              })
              break
            }
            case 9: {
              obj.solution = Solution.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.solution
              })
              break
            }
            case 10: {
              obj.reserve = Reserve.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reserve
              })
              break
            }
            case 11: {
              obj.reserveReply = ReserveReply.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reserveReply
              })
              break
            }
            case 12: {
              obj.error = ErrorReply.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
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

  export const encode = (obj: Partial<OffloadMessage>): Uint8Array => {
    return encodeMessage(obj, OffloadMessage.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OffloadMessage>): OffloadMessage => {
    return decodeMessage(buf, OffloadMessage.codec(), opts)
  }
}

export interface CloudRtt {
  cloud: string
  rttMs: number
}

export namespace CloudRtt {
  let _codec: Codec<CloudRtt>

  export const codec = (): Codec<CloudRtt> => {
    if (_codec == null) {
      _codec = message<CloudRtt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.cloud != null && obj.cloud !== '')) {
          w.uint32(10)
          w.string(obj.cloud)
        }

        if ((obj.rttMs != null && obj.rttMs !== 0)) {
          w.uint32(17)
          w.double(obj.rttMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          cloud: '',
          rttMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.cloud = reader.string()
              break
            }
            case 2: {
              obj.rttMs = reader.double()
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

  export const encode = (obj: Partial<CloudRtt>): Uint8Array => {
    return encodeMessage(obj, CloudRtt.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CloudRtt>): CloudRtt => {
    return decodeMessage(buf, CloudRtt.codec(), opts)
  }
}

export interface Requirements {
  device: string
  epsT: number
  epsB: number
  payloadKB: number
  localLatencyMs: number
  localEnergyMJ: number
  lteMbps?: number
  cloudRtt: CloudRtt[]
  leaseMs: number
}

export namespace Requirements {
  let _codec: Codec<Requirements>

  export const codec = (): Codec<Requirements> => {
    if (_codec == null) {
      _codec = message<Requirements>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.device != null && obj.device !== '')) {
          w.uint32(10)
          w.string(obj.device)
        }

        if ((obj.epsT != null && obj.epsT !== 0)) {
          w.uint32(17)
          w.double(obj.epsT)
        }

        if ((obj.epsB != null && obj.epsB !== 0)) {
          w.uint32(25)
          w.double(obj.epsB)
        }

        if ((obj.payloadKB != null && obj.payloadKB !== 0)) {
          w.uint32(33)
          w.double(obj.payloadKB)
        }

        if ((obj.localLatencyMs != null && obj.localLatencyMs !== 0)) {
          w.uint32(41)
          w.double(obj.localLatencyMs)
        }

        if ((obj.localEnergyMJ != null && obj.localEnergyMJ !== 0)) {
          w.uint32(49)
          w.double(obj.localEnergyMJ)
        }

        if (obj.lteMbps != null) {
          w.uint32(57)
          w.double(obj.lteMbps)
        }

        if (obj.cloudRtt != null) {
          for (const value of obj.cloudRtt) {
            w.uint32(66)
            CloudRtt.codec().encode(value, w)
          }
        }

        if ((obj.leaseMs != null && obj.leaseMs !== 0)) {
          w.uint32(72)
          w.uint32(obj.leaseMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          device: '',
          epsT: 0,
          epsB: 0,
          payloadKB: 0,
          localLatencyMs: 0,
          localEnergyMJ: 0,
          cloudRtt: [],
          leaseMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.device = reader.string()
              break
            }
            case 2: {
              obj.epsT = reader.double()
              break
            }
            case 3: {
              obj.epsB = reader.double()
              break
            }
            case 4: {
              obj.payloadKB = reader.double()
              break
            }
            case 5: {
              obj.localLatencyMs = reader.double()
              break
            }
            case 6: {
              obj.localEnergyMJ = reader.double()
              break
            }
            case 7: {
              obj.lteMbps = reader.double()
              break
            }
            case 8: {
              if (opts.limits?.cloudRtt != null && obj.cloudRtt.length === opts.limits.cloudRtt) {
                throw new MaxLengthError('Decode error - map field "cloudRtt" had too many elements')
              }

              obj.cloudRtt.push(CloudRtt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.cloudRtt$
              }))
              break
            }
            case 9: {
              obj.leaseMs = reader.uint32()
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

  export const encode = (obj: Partial<Requirements>): Uint8Array => {
    return encodeMessage(obj, Requirements.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Requirements>): Requirements => {
    return decodeMessage(buf, Requirements.codec(), opts)
  }
}

export interface HandshakeAck {
  accepted: boolean
  reason: string
  gateway: string
}

export namespace HandshakeAck {
  let _codec: Codec<HandshakeAck>

  export const codec = (): Codec<HandshakeAck> => {
    if (_codec == null) {
      _codec = message<HandshakeAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accepted != null && obj.accepted !== false)) {
          w.uint32(8)
          w.bool(obj.accepted)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(18)
          w.string(obj.reason)
        }

        if ((obj.gateway != null && obj.gateway !== '')) {
          w.uint32(26)
          w.string(obj.gateway)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accepted: false,
          reason: '',
          gateway: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accepted = reader.bool()
              break
            }
            case 2: {
              obj.reason = reader.string()
              break
            }
            case 3: {
              obj.gateway = reader.string()
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

  export const encode = (obj: Partial<HandshakeAck>): Uint8Array => {
    return encodeMessage(obj, HandshakeAck.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HandshakeAck>): HandshakeAck => {
    return decodeMessage(buf, HandshakeAck.codec(), opts)
  }
}

export enum Target {
  LOCAL = 'LOCAL',
  EDGE = 'EDGE',
  CLOUD = 'CLOUD'
}

enum __TargetValues {
  LOCAL = 0,
  EDGE = 1,
  CLOUD = 2
}

export namespace Target {
  export const codec = (): Codec<Target> => {
    return enumeration<Target>(__TargetValues)
  }
}

export interface Placement {
  device: string
  target: Target
  en: string
  multiaddrs: string[]
  cloud: string
  networkMs: number
  inferenceMs: number
  latencyMs: number
  energyMJ: number
  epsT: number
  stage: number
  solver: string
  reserved: boolean
  tier: number
}

export namespace Placement {
  let _codec: Codec<Placement>

  export const codec = (): Codec<Placement> => {
    if (_codec == null) {
      _codec = message<Placement>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.device != null && obj.device !== '')) {
          w.uint32(10)
          w.string(obj.device)
        }

        if (obj.target != null && __TargetValues[obj.target] !== 0) {
          w.uint32(16)
          Target.codec().encode(obj.target, w)
        }

        if ((obj.en != null && obj.en !== '')) {
          w.uint32(26)
          w.string(obj.en)
        }

        if (obj.multiaddrs != null) {
          for (const value of obj.multiaddrs) {
            w.uint32(34)
            w.string(value)
          }
        }

        if ((obj.cloud != null && obj.cloud !== '')) {
          w.uint32(42)
          w.string(obj.cloud)
        }

        if ((obj.networkMs != null && obj.networkMs !== 0)) {
          w.uint32(49)
          w.double(obj.networkMs)
        }

        if ((obj.inferenceMs != null && obj.inferenceMs !== 0)) {
          w.uint32(57)
          w.double(obj.inferenceMs)
        }

        if ((obj.latencyMs != null && obj.latencyMs !== 0)) {
          w.uint32(65)
          w.double(obj.latencyMs)
        }

        if ((obj.energyMJ != null && obj.energyMJ !== 0)) {
          w.uint32(73)
          w.double(obj.energyMJ)
        }

        if ((obj.epsT != null && obj.epsT !== 0)) {
          w.uint32(81)
          w.double(obj.epsT)
        }

        if ((obj.stage != null && obj.stage !== 0)) {
          w.uint32(88)
          w.uint32(obj.stage)
        }

        if ((obj.solver != null && obj.solver !== '')) {
          w.uint32(98)
          w.string(obj.solver)
        }

        if ((obj.reserved != null && obj.reserved !== false)) {
          w.uint32(104)
          w.bool(obj.reserved)
        }

        if ((obj.tier != null && obj.tier !== 0)) {
          w.uint32(112)
          w.uint32(obj.tier)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          device: '',
          target: Target.LOCAL,
          en: '',
          multiaddrs: [],
          cloud: '',
          networkMs: 0,
          inferenceMs: 0,
          latencyMs: 0,
          energyMJ: 0,
          epsT: 0,
          stage: 0,
          solver: '',
          reserved: false,
          tier: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.device = reader.string()
              break
            }
            case 2: {
              obj.target = Target.codec().decode(reader)
              break
            }
            case 3: {
              obj.en = reader.string()
              break
            }
            case 4: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                throw new MaxLengthError('Decode error - map field "multiaddrs" had too many elements')
              }

              obj.multiaddrs.push(reader.string())
              break
            }
            case 5: {
              obj.cloud = reader.string()
              break
            }
            case 6: {
              obj.networkMs = reader.double()
              break
            }
            case 7: {
              obj.inferenceMs = reader.double()
              break
            }
            case 8: {
              obj.latencyMs = reader.double()
              break
            }
            case 9: {
              obj.energyMJ = reader.double()
              break
            }
            case 10: {
              obj.epsT = reader.double()
              break
            }
            case 11: {
              obj.stage = reader.uint32()
              break
            }
            case 12: {
              obj.solver = reader.string()
              break
            }
            case 13: {
              obj.reserved = reader.bool()
              break
            }
            case 14: {
              obj.tier = reader.uint32()
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

  export const encode = (obj: Partial<Placement>): Uint8Array => {
    return encodeMessage(obj, Placement.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Placement>): Placement => {
    return decodeMessage(buf, Placement.codec(), opts)
  }
}

export interface Offer {
  device: string
  candidates: Placement[]
}

export namespace Offer {
  let _codec: Codec<Offer>

  export const codec = (): Codec<Offer> => {
    if (_codec == null) {
      _codec = message<Offer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.device != null && obj.device !== '')) {
          w.uint32(10)
          w.string(obj.device)
        }

        if (obj.candidates != null) {
          for (const value of obj.candidates) {
            w.uint32(18)
            Placement.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          device: '',
          candidates: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.device = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.candidates != null && obj.candidates.length === opts.limits.candidates) {
                throw new MaxLengthError('Decode error - map field "candidates" had too many elements')
              }

              obj.candidates.push(Placement.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.candidates$
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

  export const encode = (obj: Partial<Offer>): Uint8Array => {
    return encodeMessage(obj, Offer.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Offer>): Offer => {
    return decodeMessage(buf, Offer.codec(), opts)
  }
}

export interface Release {
  device: string
  en: string
}

export namespace Release {
  let _codec: Codec<Release>

  export const codec = (): Codec<Release> => {
    if (_codec == null) {
      _codec = message<Release>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.device != null && obj.device !== '')) {
          w.uint32(10)
          w.string(obj.device)
        }

        if ((obj.en != null && obj.en !== '')) {
          w.uint32(18)
          w.string(obj.en)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          device: '',
          en: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.device = reader.string()
              break
            }
            case 2: {
              obj.en = reader.string()
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

  export const encode = (obj: Partial<Release>): Uint8Array => {
    return encodeMessage(obj, Release.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Release>): Release => {
    return decodeMessage(buf, Release.codec(), opts)
  }
}

export interface ReleaseAck {
  released: boolean
}

export namespace ReleaseAck {
  let _codec: Codec<ReleaseAck>

  export const codec = (): Codec<ReleaseAck> => {
    if (_codec == null) {
      _codec = message<ReleaseAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.released != null && obj.released !== false)) {
          w.uint32(8)
          w.bool(obj.released)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          released: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.released = reader.bool()
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

  export const encode = (obj: Partial<ReleaseAck>): Uint8Array => {
    return encodeMessage(obj, ReleaseAck.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReleaseAck>): ReleaseAck => {
    return decodeMessage(buf, ReleaseAck.codec(), opts)
  }
}

export interface AccessPoint {
  id: string
  users: number
  bandwidthMbps: number
}

export namespace AccessPoint {
  let _codec: Codec<AccessPoint>

  export const codec = (): Codec<AccessPoint> => {
    if (_codec == null) {
      _codec = message<AccessPoint>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if ((obj.users != null && obj.users !== 0)) {
          w.uint32(16)
          w.uint32(obj.users)
        }

        if ((obj.bandwidthMbps != null && obj.bandwidthMbps !== 0)) {
          w.uint32(25)
          w.double(obj.bandwidthMbps)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          users: 0,
          bandwidthMbps: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.string()
              break
            }
            case 2: {
              obj.users = reader.uint32()
              break
            }
            case 3: {
              obj.bandwidthMbps = reader.double()
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

  export const encode = (obj: Partial<AccessPoint>): Uint8Array => {
    return encodeMessage(obj, AccessPoint.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AccessPoint>): AccessPoint => {
    return decodeMessage(buf, AccessPoint.codec(), opts)
  }
}

export interface SolveItem {
  req?: Requirements
  ap: string
}

export namespace SolveItem {
  let _codec: Codec<SolveItem>

  export const codec = (): Codec<SolveItem> => {
    if (_codec == null) {
      _codec = message<SolveItem>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.req != null) {
          w.uint32(10)
          Requirements.codec().encode(obj.req, w)
        }

        if ((obj.ap != null && obj.ap !== '')) {
          w.uint32(18)
          w.string(obj.ap)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ap: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.req = Requirements.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.req
              })
              break
            }
            case 2: {
              obj.ap = reader.string()
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

  export const encode = (obj: Partial<SolveItem>): Uint8Array => {
    return encodeMessage(obj, SolveItem.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SolveItem>): SolveItem => {
    return decodeMessage(buf, SolveItem.codec(), opts)
  }
}

export interface Solve {
  stage: number
  slice: string
  aps: AccessPoint[]
  items: SolveItem[]
}

export namespace Solve {
  let _codec: Codec<Solve>

  export const codec = (): Codec<Solve> => {
    if (_codec == null) {
      _codec = message<Solve>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.stage != null && obj.stage !== 0)) {
          w.uint32(8)
          w.uint32(obj.stage)
        }

        if ((obj.slice != null && obj.slice !== '')) {
          w.uint32(18)
          w.string(obj.slice)
        }

        if (obj.aps != null) {
          for (const value of obj.aps) {
            w.uint32(26)
            AccessPoint.codec().encode(value, w)
          }
        }

        if (obj.items != null) {
          for (const value of obj.items) {
            w.uint32(34)
            SolveItem.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          stage: 0,
          slice: '',
          aps: [],
          items: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.stage = reader.uint32()
              break
            }
            case 2: {
              obj.slice = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.aps != null && obj.aps.length === opts.limits.aps) {
                throw new MaxLengthError('Decode error - map field "aps" had too many elements')
              }

              obj.aps.push(AccessPoint.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.aps$
              }))
              break
            }
            case 4: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - map field "items" had too many elements')
              }

              obj.items.push(SolveItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
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

  export const encode = (obj: Partial<Solve>): Uint8Array => {
    return encodeMessage(obj, Solve.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Solve>): Solve => {
    return decodeMessage(buf, Solve.codec(), opts)
  }
}

export interface Solution {
  placements: Placement[]
  refusals: number
}

export namespace Solution {
  let _codec: Codec<Solution>

  export const codec = (): Codec<Solution> => {
    if (_codec == null) {
      _codec = message<Solution>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.placements != null) {
          for (const value of obj.placements) {
            w.uint32(10)
            Placement.codec().encode(value, w)
          }
        }

        if ((obj.refusals != null && obj.refusals !== 0)) {
          w.uint32(16)
          w.uint32(obj.refusals)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          placements: [],
          refusals: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.placements != null && obj.placements.length === opts.limits.placements) {
                throw new MaxLengthError('Decode error - map field "placements" had too many elements')
              }

              obj.placements.push(Placement.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.placements$
              }))
              break
            }
            case 2: {
              obj.refusals = reader.uint32()
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

  export const encode = (obj: Partial<Solution>): Uint8Array => {
    return encodeMessage(obj, Solution.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Solution>): Solution => {
    return decodeMessage(buf, Solution.codec(), opts)
  }
}

export interface FitRequest {
  device: string
  epsT: number
  epsB: number
  networkMs: number
  gateway: string
  leaseMs: number
}

export namespace FitRequest {
  let _codec: Codec<FitRequest>

  export const codec = (): Codec<FitRequest> => {
    if (_codec == null) {
      _codec = message<FitRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.device != null && obj.device !== '')) {
          w.uint32(10)
          w.string(obj.device)
        }

        if ((obj.epsT != null && obj.epsT !== 0)) {
          w.uint32(17)
          w.double(obj.epsT)
        }

        if ((obj.epsB != null && obj.epsB !== 0)) {
          w.uint32(25)
          w.double(obj.epsB)
        }

        if ((obj.networkMs != null && obj.networkMs !== 0)) {
          w.uint32(33)
          w.double(obj.networkMs)
        }

        if ((obj.gateway != null && obj.gateway !== '')) {
          w.uint32(42)
          w.string(obj.gateway)
        }

        if ((obj.leaseMs != null && obj.leaseMs !== 0)) {
          w.uint32(48)
          w.uint32(obj.leaseMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          device: '',
          epsT: 0,
          epsB: 0,
          networkMs: 0,
          gateway: '',
          leaseMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.device = reader.string()
              break
            }
            case 2: {
              obj.epsT = reader.double()
              break
            }
            case 3: {
              obj.epsB = reader.double()
              break
            }
            case 4: {
              obj.networkMs = reader.double()
              break
            }
            case 5: {
              obj.gateway = reader.string()
              break
            }
            case 6: {
              obj.leaseMs = reader.uint32()
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

  export const encode = (obj: Partial<FitRequest>): Uint8Array => {
    return encodeMessage(obj, FitRequest.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FitRequest>): FitRequest => {
    return decodeMessage(buf, FitRequest.codec(), opts)
  }
}

export interface Reserve {
  candidates: FitRequest[]
}

export namespace Reserve {
  let _codec: Codec<Reserve>

  export const codec = (): Codec<Reserve> => {
    if (_codec == null) {
      _codec = message<Reserve>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.candidates != null) {
          for (const value of obj.candidates) {
            w.uint32(10)
            FitRequest.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          candidates: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.candidates != null && obj.candidates.length === opts.limits.candidates) {
                throw new MaxLengthError('Decode error - map field "candidates" had too many elements')
              }

              obj.candidates.push(FitRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.candidates$
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

  export const encode = (obj: Partial<Reserve>): Uint8Array => {
    return encodeMessage(obj, Reserve.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Reserve>): Reserve => {
    return decodeMessage(buf, Reserve.codec(), opts)
  }
}

export enum Refusal {
  NONE = 'NONE',
  DEADLINE = 'DEADLINE',
  ENERGY = 'ENERGY',
  CAPACITY = 'CAPACITY',
  SERVED_DEADLINE = 'SERVED_DEADLINE',
  NOT_MEMBER = 'NOT_MEMBER'
}

enum __RefusalValues {
  NONE = 0,
  DEADLINE = 1,
  ENERGY = 2,
  CAPACITY = 3,
  SERVED_DEADLINE = 4,
  NOT_MEMBER = 5
}

export namespace Refusal {
  export const codec = (): Codec<Refusal> => {
    return enumeration<Refusal>(__RefusalValues)
  }
}

export interface Verdict {
  device: string
  ok: boolean
  reason: Refusal
  message: string
  inferenceMs: number
}

export namespace Verdict {
  let _codec: Codec<Verdict>

  export const codec = (): Codec<Verdict> => {
    if (_codec == null) {
      _codec = message<Verdict>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.device != null && obj.device !== '')) {
          w.uint32(10)
          w.string(obj.device)
        }

        if ((obj.ok != null && obj.ok !== false)) {
          w.uint32(16)
          w.bool(obj.ok)
        }

        if (obj.reason != null && __RefusalValues[obj.reason] !== 0) {
          w.uint32(24)
          Refusal.codec().encode(obj.reason, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(34)
          w.string(obj.message)
        }

        if ((obj.inferenceMs != null && obj.inferenceMs !== 0)) {
          w.uint32(41)
          w.double(obj.inferenceMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          device: '',
          ok: false,
          reason: Refusal.NONE,
          message: '',
          inferenceMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.device = reader.string()
              break
            }
            case 2: {
              obj.ok = reader.bool()
              break
            }
            case 3: {
              obj.reason = Refusal.codec().decode(reader)
              break
            }
            case 4: {
              obj.message = reader.string()
              break
            }
            case 5: {
              obj.inferenceMs = reader.double()
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

  export const encode = (obj: Partial<Verdict>): Uint8Array => {
    return encodeMessage(obj, Verdict.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Verdict>): Verdict => {
    return decodeMessage(buf, Verdict.codec(), opts)
  }
}

export interface EnSummary {
  count: number
  maxNetworkMs: number
  maxNetworkEpsT: number
  minSlackMs: number
}

export namespace EnSummary {
  let _codec: Codec<EnSummary>

  export const codec = (): Codec<EnSummary> => {
    if (_codec == null) {
      _codec = message<EnSummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(8)
          w.uint32(obj.count)
        }

        if ((obj.maxNetworkMs != null && obj.maxNetworkMs !== 0)) {
          w.uint32(17)
          w.double(obj.maxNetworkMs)
        }

        if ((obj.maxNetworkEpsT != null && obj.maxNetworkEpsT !== 0)) {
          w.uint32(25)
          w.double(obj.maxNetworkEpsT)
        }

        if ((obj.minSlackMs != null && obj.minSlackMs !== 0)) {
          w.uint32(33)
          w.double(obj.minSlackMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          count: 0,
          maxNetworkMs: 0,
          maxNetworkEpsT: 0,
          minSlackMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.count = reader.uint32()
              break
            }
            case 2: {
              obj.maxNetworkMs = reader.double()
              break
            }
            case 3: {
              obj.maxNetworkEpsT = reader.double()
              break
            }
            case 4: {
              obj.minSlackMs = reader.double()
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

  export const encode = (obj: Partial<EnSummary>): Uint8Array => {
    return encodeMessage(obj, EnSummary.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnSummary>): EnSummary => {
    return decodeMessage(buf, EnSummary.codec(), opts)
  }
}

export interface ReserveReply {
  verdicts: Verdict[]
  summary?: EnSummary
}

export namespace ReserveReply {
  let _codec: Codec<ReserveReply>

  export const codec = (): Codec<ReserveReply> => {
    if (_codec == null) {
      _codec = message<ReserveReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.verdicts != null) {
          for (const value of obj.verdicts) {
            w.uint32(10)
            Verdict.codec().encode(value, w)
          }
        }

        if (obj.summary != null) {
          w.uint32(18)
          EnSummary.codec().encode(obj.summary, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          verdicts: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.verdicts != null && obj.verdicts.length === opts.limits.verdicts) {
                throw new MaxLengthError('Decode error - map field "verdicts" had too many elements')
              }

              obj.verdicts.push(Verdict.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.verdicts$
              }))
              break
            }
            case 2: {
              obj.summary = EnSummary.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.summary
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

  export const encode = (obj: Partial<ReserveReply>): Uint8Array => {
    return encodeMessage(obj, ReserveReply.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReserveReply>): ReserveReply => {
    return decodeMessage(buf, ReserveReply.codec(), opts)
  }
}

export interface ErrorReply {
  code: string
  message: string
}

export namespace ErrorReply {
  let _codec: Codec<ErrorReply>

  export const codec = (): Codec<ErrorReply> => {
    if (_codec == null) {
      _codec = message<ErrorReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(10)
          w.string(obj.code)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: '',
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = reader.string()
              break
            }
            case 2: {
              obj.message = reader.string()
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

  export const encode = (obj: Partial<ErrorReply>): Uint8Array => {
    return encodeMessage(obj, ErrorReply.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ErrorReply>): ErrorReply => {
    return decodeMessage(buf, ErrorReply.codec(), opts)
  }
}

export interface StoredReservation {
  fit?: FitRequest
  holder: string
  expiresAt: bigint
}

export namespace StoredReservation {
  let _codec: Codec<StoredReservation>

  export const codec = (): Codec<StoredReservation> => {
    if (_codec == null) {
      _codec = message<StoredReservation>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.fit != null) {
          w.uint32(10)
          FitRequest.codec().encode(obj.fit, w)
        }

        if ((obj.holder != null && obj.holder !== '')) {
          w.uint32(18)
          w.string(obj.holder)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
          w.uint32(24)
          w.uint64(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          holder: '',
          expiresAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.fit = FitRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fit
              })
              break
            }
            case 2: {
              obj.holder = reader.string()
              break
            }
            case 3: {
              obj.expiresAt = reader.uint64()
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

  export const encode = (obj: Partial<StoredReservation>): Uint8Array => {
    return encodeMessage(obj, StoredReservation.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredReservation>): StoredReservation => {
    return decodeMessage(buf, StoredReservation.codec(), opts)
  }
}
