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

export interface PeerState {
  version: number
  name: string
  lat: number
  lon: number
  cell: string
  tier: number
  sensors: Sensor[]
  radios: Radio[]
  capacity?: Capacity
  load?: Load
  multiaddrs: string[]
  startedAt: bigint
  roles: string[]
}

export namespace PeerState {
  let _codec: Codec<PeerState>

  export const codec = (): Codec<PeerState> => {
    if (_codec == null) {
      _codec = message<PeerState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.lat != null && obj.lat !== 0)) {
          w.uint32(25)
          w.double(obj.lat)
        }

        if ((obj.lon != null && obj.lon !== 0)) {
          w.uint32(33)
          w.double(obj.lon)
        }

        if ((obj.cell != null && obj.cell !== '')) {
          w.uint32(42)
          w.string(obj.cell)
        }

        if ((obj.tier != null && obj.tier !== 0)) {
          w.uint32(48)
          w.uint32(obj.tier)
        }

        if (obj.sensors != null) {
          for (const value of obj.sensors) {
            w.uint32(58)
            Sensor.codec().encode(value, w)
          }
        }

        if (obj.radios != null) {
          for (const value of obj.radios) {
            w.uint32(66)
            Radio.codec().encode(value, w)
          }
        }

        if (obj.capacity != null) {
          w.uint32(74)
          Capacity.codec().encode(obj.capacity, w)
        }

        if (obj.load != null) {
          w.uint32(82)
          Load.codec().encode(obj.load, w)
        }

        if (obj.multiaddrs != null) {
          for (const value of obj.multiaddrs) {
            w.uint32(90)
            w.string(value)
          }
        }

        if ((obj.startedAt != null && obj.startedAt !== 0n)) {
          w.uint32(96)
          w.uint64(obj.startedAt)
        }

        if (obj.roles != null) {
          for (const value of obj.roles) {
            w.uint32(106)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          name: '',
          lat: 0,
          lon: 0,
          cell: '',
          tier: 0,
          sensors: [],
          radios: [],
          multiaddrs: [],
          startedAt: 0n,
          roles: []
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
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.lat = reader.double()
              break
            }
            case 4: {
              obj.lon = reader.double()
              break
            }
            case 5: {
              obj.cell = reader.string()
              break
            }
            case 6: {
              obj.tier = reader.uint32()
              break
            }
            case 7: {
              if (opts.limits?.sensors != null && obj.sensors.length === opts.limits.sensors) {
                throw new MaxLengthError('Decode error - map field "sensors" had too many elements')
              }

              obj.sensors.push(Sensor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sensors$
              }))
              break
            }
            case 8: {
              if (opts.limits?.radios != null && obj.radios.length === opts.limits.radios) {
                throw new MaxLengthError('Decode error - map field "radios" had too many elements')
              }

              obj.radios.push(Radio.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.radios$
              }))
              break
            }
            case 9: {
              obj.capacity = Capacity.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.capacity
              })
              break
            }
            case 10: {
              obj.load = Load.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.load
              })
              break
            }
            case 11: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                throw new MaxLengthError('Decode error - map field "multiaddrs" had too many elements')
              }

              obj.multiaddrs.push(reader.string())
              break
            }
            case 12: {
              obj.startedAt = reader.uint64()
              break
            }
            case 13: {
              if (opts.limits?.roles != null && obj.roles.length === opts.limits.roles) {
                throw new MaxLengthError('Decode error - map field "roles" had too many elements')
              }

              obj.roles.push(reader.string())
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

  export const encode = (obj: Partial<PeerState>): Uint8Array => {
    return encodeMessage(obj, PeerState.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerState>): PeerState => {
    return decodeMessage(buf, PeerState.codec(), opts)
  }
}

export interface Sensor {
  id: string
  type: string
  unit: string
}

export namespace Sensor {
  let _codec: Codec<Sensor>

  export const codec = (): Codec<Sensor> => {
    if (_codec == null) {
      _codec = message<Sensor>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if ((obj.type != null && obj.type !== '')) {
          w.uint32(18)
          w.string(obj.type)
        }

        if ((obj.unit != null && obj.unit !== '')) {
          w.uint32(26)
          w.string(obj.unit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          type: '',
          unit: ''
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
              obj.type = reader.string()
              break
            }
            case 3: {
              obj.unit = reader.string()
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

  export const encode = (obj: Partial<Sensor>): Uint8Array => {
    return encodeMessage(obj, Sensor.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Sensor>): Sensor => {
    return decodeMessage(buf, Sensor.codec(), opts)
  }
}

export interface Radio {
  type: string
  rangeM: number
}

export namespace Radio {
  let _codec: Codec<Radio>

  export const codec = (): Codec<Radio> => {
    if (_codec == null) {
      _codec = message<Radio>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.type != null && obj.type !== '')) {
          w.uint32(10)
          w.string(obj.type)
        }

        if ((obj.rangeM != null && obj.rangeM !== 0)) {
          w.uint32(16)
          w.uint32(obj.rangeM)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: '',
          rangeM: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = reader.string()
              break
            }
            case 2: {
              obj.rangeM = reader.uint32()
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

  export const encode = (obj: Partial<Radio>): Uint8Array => {
    return encodeMessage(obj, Radio.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Radio>): Radio => {
    return decodeMessage(buf, Radio.codec(), opts)
  }
}

export interface Capacity {
  cpuCores: number
  memoryMb: number
  accelerator: string
  maxEdgeFunctions: number
}

export namespace Capacity {
  let _codec: Codec<Capacity>

  export const codec = (): Codec<Capacity> => {
    if (_codec == null) {
      _codec = message<Capacity>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.cpuCores != null && obj.cpuCores !== 0)) {
          w.uint32(9)
          w.double(obj.cpuCores)
        }

        if ((obj.memoryMb != null && obj.memoryMb !== 0)) {
          w.uint32(16)
          w.uint32(obj.memoryMb)
        }

        if ((obj.accelerator != null && obj.accelerator !== '')) {
          w.uint32(26)
          w.string(obj.accelerator)
        }

        if ((obj.maxEdgeFunctions != null && obj.maxEdgeFunctions !== 0)) {
          w.uint32(32)
          w.uint32(obj.maxEdgeFunctions)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          cpuCores: 0,
          memoryMb: 0,
          accelerator: '',
          maxEdgeFunctions: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.cpuCores = reader.double()
              break
            }
            case 2: {
              obj.memoryMb = reader.uint32()
              break
            }
            case 3: {
              obj.accelerator = reader.string()
              break
            }
            case 4: {
              obj.maxEdgeFunctions = reader.uint32()
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

  export const encode = (obj: Partial<Capacity>): Uint8Array => {
    return encodeMessage(obj, Capacity.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Capacity>): Capacity => {
    return decodeMessage(buf, Capacity.codec(), opts)
  }
}

export interface Load {
  runningEdgeFunctions: number
  pipelines: number
  queuedBundles: number
  offloadClients: number
  cpuPermille: number
  memoryRssBytes: bigint
}

export namespace Load {
  let _codec: Codec<Load>

  export const codec = (): Codec<Load> => {
    if (_codec == null) {
      _codec = message<Load>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.runningEdgeFunctions != null && obj.runningEdgeFunctions !== 0)) {
          w.uint32(8)
          w.uint32(obj.runningEdgeFunctions)
        }

        if ((obj.pipelines != null && obj.pipelines !== 0)) {
          w.uint32(16)
          w.uint32(obj.pipelines)
        }

        if ((obj.queuedBundles != null && obj.queuedBundles !== 0)) {
          w.uint32(24)
          w.uint32(obj.queuedBundles)
        }

        if ((obj.offloadClients != null && obj.offloadClients !== 0)) {
          w.uint32(32)
          w.uint32(obj.offloadClients)
        }

        if ((obj.cpuPermille != null && obj.cpuPermille !== 0)) {
          w.uint32(40)
          w.uint32(obj.cpuPermille)
        }

        if ((obj.memoryRssBytes != null && obj.memoryRssBytes !== 0n)) {
          w.uint32(48)
          w.uint64(obj.memoryRssBytes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          runningEdgeFunctions: 0,
          pipelines: 0,
          queuedBundles: 0,
          offloadClients: 0,
          cpuPermille: 0,
          memoryRssBytes: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.runningEdgeFunctions = reader.uint32()
              break
            }
            case 2: {
              obj.pipelines = reader.uint32()
              break
            }
            case 3: {
              obj.queuedBundles = reader.uint32()
              break
            }
            case 4: {
              obj.offloadClients = reader.uint32()
              break
            }
            case 5: {
              obj.cpuPermille = reader.uint32()
              break
            }
            case 6: {
              obj.memoryRssBytes = reader.uint64()
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

  export const encode = (obj: Partial<Load>): Uint8Array => {
    return encodeMessage(obj, Load.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Load>): Load => {
    return decodeMessage(buf, Load.codec(), opts)
  }
}

export interface StateAnnouncement {
  version: number
  heartbeat: bigint
  delta: Uint8Array
  digest: string
}

export namespace StateAnnouncement {
  let _codec: Codec<StateAnnouncement>

  export const codec = (): Codec<StateAnnouncement> => {
    if (_codec == null) {
      _codec = message<StateAnnouncement>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.heartbeat != null && obj.heartbeat !== 0n)) {
          w.uint32(16)
          w.uint64(obj.heartbeat)
        }

        if ((obj.delta != null && obj.delta.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.delta)
        }

        if ((obj.digest != null && obj.digest !== '')) {
          w.uint32(34)
          w.string(obj.digest)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          heartbeat: 0n,
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
              obj.heartbeat = reader.uint64()
              break
            }
            case 3: {
              obj.delta = reader.bytes()
              break
            }
            case 4: {
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

  export const encode = (obj: Partial<StateAnnouncement>): Uint8Array => {
    return encodeMessage(obj, StateAnnouncement.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StateAnnouncement>): StateAnnouncement => {
    return decodeMessage(buf, StateAnnouncement.codec(), opts)
  }
}
