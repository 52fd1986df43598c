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

export enum Execution {
  EXECUTION_AUTOMATIC = 'EXECUTION_AUTOMATIC',
  EXECUTION_ON_DEMAND = 'EXECUTION_ON_DEMAND'
}

enum __ExecutionValues {
  EXECUTION_AUTOMATIC = 0,
  EXECUTION_ON_DEMAND = 1
}

export namespace Execution {
  export const codec = (): Codec<Execution> => {
    return enumeration<Execution>(__ExecutionValues)
  }
}

export enum Role {
  ROLE_START = 'ROLE_START',
  ROLE_MIDSECTION = 'ROLE_MIDSECTION',
  ROLE_FINALE = 'ROLE_FINALE'
}

enum __RoleValues {
  ROLE_START = 0,
  ROLE_MIDSECTION = 1,
  ROLE_FINALE = 2
}

export namespace Role {
  export const codec = (): Codec<Role> => {
    return enumeration<Role>(__RoleValues)
  }
}

export enum InputSource {
  INPUT_SENSORS = 'INPUT_SENSORS',
  INPUT_UPSTREAM = 'INPUT_UPSTREAM',
  INPUT_TRIGGER = 'INPUT_TRIGGER'
}

enum __InputSourceValues {
  INPUT_SENSORS = 0,
  INPUT_UPSTREAM = 1,
  INPUT_TRIGGER = 2
}

export namespace InputSource {
  export const codec = (): Codec<InputSource> => {
    return enumeration<InputSource>(__InputSourceValues)
  }
}

export enum OutputTarget {
  OUTPUT_NEXT = 'OUTPUT_NEXT',
  OUTPUT_SINK = 'OUTPUT_SINK',
  OUTPUT_LOCAL = 'OUTPUT_LOCAL'
}

enum __OutputTargetValues {
  OUTPUT_NEXT = 0,
  OUTPUT_SINK = 1,
  OUTPUT_LOCAL = 2
}

export namespace OutputTarget {
  export const codec = (): Codec<OutputTarget> => {
    return enumeration<OutputTarget>(__OutputTargetValues)
  }
}

export interface ImageRef {
  name: string
  hash: string
}

export namespace ImageRef {
  let _codec: Codec<ImageRef>

  export const codec = (): Codec<ImageRef> => {
    if (_codec == null) {
      _codec = message<ImageRef>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
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
          name: '',
          hash: ''
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

  export const encode = (obj: Partial<ImageRef>): Uint8Array => {
    return encodeMessage(obj, ImageRef.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ImageRef>): ImageRef => {
    return decodeMessage(buf, ImageRef.codec(), opts)
  }
}

export interface Area {
  lat: number
  lon: number
  radiusM: number
}

export namespace Area {
  let _codec: Codec<Area>

  export const codec = (): Codec<Area> => {
    if (_codec == null) {
      _codec = message<Area>((obj, w, opts = {}) => {
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

        if ((obj.radiusM != null && obj.radiusM !== 0)) {
          w.uint32(24)
          w.uint32(obj.radiusM)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lat: 0,
          lon: 0,
          radiusM: 0
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
            case 3: {
              obj.radiusM = reader.uint32()
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

  export const encode = (obj: Partial<Area>): Uint8Array => {
    return encodeMessage(obj, Area.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Area>): Area => {
    return decodeMessage(buf, Area.codec(), opts)
  }
}

export interface Needs {
  sensors: string[]
  radios: string[]
  minTier: number
  maxTier: number
  accelerator: string
  roles: string[]
  memoryMb: number
}

export namespace Needs {
  let _codec: Codec<Needs>

  export const codec = (): Codec<Needs> => {
    if (_codec == null) {
      _codec = message<Needs>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.sensors != null) {
          for (const value of obj.sensors) {
            w.uint32(10)
            w.string(value)
          }
        }

        if (obj.radios != null) {
          for (const value of obj.radios) {
            w.uint32(18)
            w.string(value)
          }
        }

        if ((obj.minTier != null && obj.minTier !== 0)) {
          w.uint32(24)
          w.uint32(obj.minTier)
        }

        if ((obj.maxTier != null && obj.maxTier !== 0)) {
          w.uint32(32)
          w.uint32(obj.maxTier)
        }

        if ((obj.accelerator != null && obj.accelerator !== '')) {
          w.uint32(42)
          w.string(obj.accelerator)
        }

        if (obj.roles != null) {
          for (const value of obj.roles) {
            w.uint32(50)
            w.string(value)
          }
        }

        if ((obj.memoryMb != null && obj.memoryMb !== 0)) {
          w.uint32(56)
          w.uint32(obj.memoryMb)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          sensors: [],
          radios: [],
          minTier: 0,
          maxTier: 0,
          accelerator: '',
          roles: [],
          memoryMb: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.sensors != null && obj.sensors.length === opts.limits.sensors) {
                throw new MaxLengthError('Decode error - map field "sensors" had too many elements')
              }

              obj.sensors.push(reader.string())
              break
            }
            case 2: {
              if (opts.limits?.radios != null && obj.radios.length === opts.limits.radios) {
                throw new MaxLengthError('Decode error - map field "radios" had too many elements')
              }

              obj.radios.push(reader.string())
              break
            }
            case 3: {
              obj.minTier = reader.uint32()
              break
            }
            case 4: {
              obj.maxTier = reader.uint32()
              break
            }
            case 5: {
              obj.accelerator = reader.string()
              break
            }
            case 6: {
              if (opts.limits?.roles != null && obj.roles.length === opts.limits.roles) {
                throw new MaxLengthError('Decode error - map field "roles" had too many elements')
              }

              obj.roles.push(reader.string())
              break
            }
            case 7: {
              obj.memoryMb = reader.uint32()
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

  export const encode = (obj: Partial<Needs>): Uint8Array => {
    return encodeMessage(obj, Needs.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Needs>): Needs => {
    return decodeMessage(buf, Needs.codec(), opts)
  }
}

export interface InputRule {
  source: InputSource
  intervalMs: number
  joinTimeoutMs: number
}

export namespace InputRule {
  let _codec: Codec<InputRule>

  export const codec = (): Codec<InputRule> => {
    if (_codec == null) {
      _codec = message<InputRule>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.source != null && __InputSourceValues[obj.source] !== 0) {
          w.uint32(8)
          InputSource.codec().encode(obj.source, w)
        }

        if ((obj.intervalMs != null && obj.intervalMs !== 0)) {
          w.uint32(16)
          w.uint32(obj.intervalMs)
        }

        if ((obj.joinTimeoutMs != null && obj.joinTimeoutMs !== 0)) {
          w.uint32(24)
          w.uint32(obj.joinTimeoutMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          source: InputSource.INPUT_SENSORS,
          intervalMs: 0,
          joinTimeoutMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.source = InputSource.codec().decode(reader)
              break
            }
            case 2: {
              obj.intervalMs = reader.uint32()
              break
            }
            case 3: {
              obj.joinTimeoutMs = reader.uint32()
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

  export const encode = (obj: Partial<InputRule>): Uint8Array => {
    return encodeMessage(obj, InputRule.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InputRule>): InputRule => {
    return decodeMessage(buf, InputRule.codec(), opts)
  }
}

export interface OutputRule {
  target: OutputTarget
}

export namespace OutputRule {
  let _codec: Codec<OutputRule>

  export const codec = (): Codec<OutputRule> => {
    if (_codec == null) {
      _codec = message<OutputRule>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.target != null && __OutputTargetValues[obj.target] !== 0) {
          w.uint32(8)
          OutputTarget.codec().encode(obj.target, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          target: OutputTarget.OUTPUT_NEXT
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.target = OutputTarget.codec().decode(reader)
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

  export const encode = (obj: Partial<OutputRule>): Uint8Array => {
    return encodeMessage(obj, OutputRule.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OutputRule>): OutputRule => {
    return decodeMessage(buf, OutputRule.codec(), opts)
  }
}

export interface Stage {
  name: string
  image?: ImageRef
  role: Role
  after: string[]
  replicas: number
  everyCapable: boolean
  needs?: Needs
  input?: InputRule
  output?: OutputRule
}

export namespace Stage {
  let _codec: Codec<Stage>

  export const codec = (): Codec<Stage> => {
    if (_codec == null) {
      _codec = message<Stage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (obj.image != null) {
          w.uint32(18)
          ImageRef.codec().encode(obj.image, w)
        }

        if (obj.role != null && __RoleValues[obj.role] !== 0) {
          w.uint32(24)
          Role.codec().encode(obj.role, w)
        }

        if (obj.after != null) {
          for (const value of obj.after) {
            w.uint32(34)
            w.string(value)
          }
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(40)
          w.uint32(obj.replicas)
        }

        if ((obj.everyCapable != null && obj.everyCapable !== false)) {
          w.uint32(48)
          w.bool(obj.everyCapable)
        }

        if (obj.needs != null) {
          w.uint32(58)
          Needs.codec().encode(obj.needs, w)
        }

        if (obj.input != null) {
          w.uint32(66)
          InputRule.codec().encode(obj.input, w)
        }

        if (obj.output != null) {
          w.uint32(74)
          OutputRule.codec().encode(obj.output, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          role: Role.ROLE_START,
          after: [],
          replicas: 0,
          everyCapable: false
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
              obj.image = ImageRef.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.image
              })
              break
            }
            case 3: {
              obj.role = Role.codec().decode(reader)
              break
            }
            case 4: {
              if (opts.limits?.after != null && obj.after.length === opts.limits.after) {
                throw new MaxLengthError('Decode error - map field "after" had too many elements')
              }

              obj.after.push(reader.string())
              break
            }
            case 5: {
              obj.replicas = reader.uint32()
              break
            }
            case 6: {
              obj.everyCapable = reader.bool()
              break
            }
            case 7: {
              obj.needs = Needs.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.needs
              })
              break
            }
            case 8: {
              obj.input = InputRule.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.input
              })
              break
            }
            case 9: {
              obj.output = OutputRule.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.output
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

  export const encode = (obj: Partial<Stage>): Uint8Array => {
    return encodeMessage(obj, Stage.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Stage>): Stage => {
    return decodeMessage(buf, Stage.codec(), opts)
  }
}

export interface TimeWindow {
  startMs: bigint
  endMs: bigint
}

export namespace TimeWindow {
  let _codec: Codec<TimeWindow>

  export const codec = (): Codec<TimeWindow> => {
    if (_codec == null) {
      _codec = message<TimeWindow>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.startMs != null && obj.startMs !== 0n)) {
          w.uint32(8)
          w.uint64(obj.startMs)
        }

        if ((obj.endMs != null && obj.endMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.endMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          startMs: 0n,
          endMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.startMs = reader.uint64()
              break
            }
            case 2: {
              obj.endMs = reader.uint64()
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

  export const encode = (obj: Partial<TimeWindow>): Uint8Array => {
    return encodeMessage(obj, TimeWindow.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TimeWindow>): TimeWindow => {
    return decodeMessage(buf, TimeWindow.codec(), opts)
  }
}

export interface PipelineDescriptor {
  version: number
  id: string
  issuer: Uint8Array
  priority: number
  execution: Execution
  deadlineMs: bigint
  area?: Area
  stages: Stage[]
  issuedAtMs: bigint
  bidWindowMs: number
  window?: TimeWindow
  description: string
}

export namespace PipelineDescriptor {
  let _codec: Codec<PipelineDescriptor>

  export const codec = (): Codec<PipelineDescriptor> => {
    if (_codec == null) {
      _codec = message<PipelineDescriptor>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(18)
          w.string(obj.id)
        }

        if ((obj.issuer != null && obj.issuer.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.issuer)
        }

        if ((obj.priority != null && obj.priority !== 0)) {
          w.uint32(32)
          w.uint32(obj.priority)
        }

        if (obj.execution != null && __ExecutionValues[obj.execution] !== 0) {
          w.uint32(40)
          Execution.codec().encode(obj.execution, w)
        }

        if ((obj.deadlineMs != null && obj.deadlineMs !== 0n)) {
          w.uint32(48)
          w.uint64(obj.deadlineMs)
        }

        if (obj.area != null) {
          w.uint32(58)
          Area.codec().encode(obj.area, w)
        }

        if (obj.stages != null) {
          for (const value of obj.stages) {
            w.uint32(66)
            Stage.codec().encode(value, w)
          }
        }

        if ((obj.issuedAtMs != null && obj.issuedAtMs !== 0n)) {
          w.uint32(72)
          w.uint64(obj.issuedAtMs)
        }

        if ((obj.bidWindowMs != null && obj.bidWindowMs !== 0)) {
          w.uint32(80)
          w.uint32(obj.bidWindowMs)
        }

        if (obj.window != null) {
          w.uint32(90)
          TimeWindow.codec().encode(obj.window, w)
        }

        if ((obj.description != null && obj.description !== '')) {
          w.uint32(98)
          w.string(obj.description)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          id: '',
          issuer: uint8ArrayAlloc(0),
          priority: 0,
          execution: Execution.EXECUTION_AUTOMATIC,
          deadlineMs: 0n,
          stages: [],
          issuedAtMs: 0n,
          bidWindowMs: 0,
          description: ''
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
              obj.id = reader.string()
              break
            }
            case 3: {
              obj.issuer = reader.bytes()
              break
            }
            case 4: {
              obj.priority = reader.uint32()
              break
            }
            case 5: {
              obj.execution = Execution.codec().decode(reader)
              break
            }
            case 6: {
              obj.deadlineMs = reader.uint64()
              break
            }
            case 7: {
              obj.area = Area.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.area
              })
              break
            }
            case 8: {
              if (opts.limits?.stages != null && obj.stages.length === opts.limits.stages) {
                throw new MaxLengthError('Decode error - map field "stages" had too many elements')
              }

              obj.stages.push(Stage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.stages$
              }))
              break
            }
            case 9: {
              obj.issuedAtMs = reader.uint64()
              break
            }
            case 10: {
              obj.bidWindowMs = reader.uint32()
              break
            }
            case 11: {
              obj.window = TimeWindow.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.window
              })
              break
            }
            case 12: {
              obj.description = reader.string()
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

  export const encode = (obj: Partial<PipelineDescriptor>): Uint8Array => {
    return encodeMessage(obj, PipelineDescriptor.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PipelineDescriptor>): PipelineDescriptor => {
    return decodeMessage(buf, PipelineDescriptor.codec(), opts)
  }
}

export interface SignedDescriptor {
  version: number
  descriptor: Uint8Array
  signature: Uint8Array
}

export namespace SignedDescriptor {
  let _codec: Codec<SignedDescriptor>

  export const codec = (): Codec<SignedDescriptor> => {
    if (_codec == null) {
      _codec = message<SignedDescriptor>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.descriptor != null && obj.descriptor.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.descriptor)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          descriptor: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
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
              obj.descriptor = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
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

  export const encode = (obj: Partial<SignedDescriptor>): Uint8Array => {
    return encodeMessage(obj, SignedDescriptor.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedDescriptor>): SignedDescriptor => {
    return decodeMessage(buf, SignedDescriptor.codec(), opts)
  }
}

export enum CommandOp {
  COMMAND_TRIGGER = 'COMMAND_TRIGGER',
  COMMAND_STOP = 'COMMAND_STOP'
}

enum __CommandOpValues {
  COMMAND_TRIGGER = 0,
  COMMAND_STOP = 1
}

export namespace CommandOp {
  export const codec = (): Codec<CommandOp> => {
    return enumeration<CommandOp>(__CommandOpValues)
  }
}

export interface Command {
  version: number
  pipelineId: string
  op: CommandOp
  issuedAtMs: bigint
  run: bigint
  payload: Uint8Array
}

export namespace Command {
  let _codec: Codec<Command>

  export const codec = (): Codec<Command> => {
    if (_codec == null) {
      _codec = message<Command>((obj, w, opts = {}) => {
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

        if (obj.op != null && __CommandOpValues[obj.op] !== 0) {
          w.uint32(24)
          CommandOp.codec().encode(obj.op, w)
        }

        if ((obj.issuedAtMs != null && obj.issuedAtMs !== 0n)) {
          w.uint32(32)
          w.uint64(obj.issuedAtMs)
        }

        if ((obj.run != null && obj.run !== 0n)) {
          w.uint32(40)
          w.uint64(obj.run)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.payload)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          pipelineId: '',
          op: CommandOp.COMMAND_TRIGGER,
          issuedAtMs: 0n,
          run: 0n,
          payload: uint8ArrayAlloc(0)
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
              obj.op = CommandOp.codec().decode(reader)
              break
            }
            case 4: {
              obj.issuedAtMs = reader.uint64()
              break
            }
            case 5: {
              obj.run = reader.uint64()
              break
            }
            case 6: {
              obj.payload = reader.bytes()
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

  export const encode = (obj: Partial<Command>): Uint8Array => {
    return encodeMessage(obj, Command.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Command>): Command => {
    return decodeMessage(buf, Command.codec(), opts)
  }
}

export interface SignedCommand {
  version: number
  command: Uint8Array
  signature: Uint8Array
}

export namespace SignedCommand {
  let _codec: Codec<SignedCommand>

  export const codec = (): Codec<SignedCommand> => {
    if (_codec == null) {
      _codec = message<SignedCommand>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.command != null && obj.command.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.command)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          command: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
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
              obj.command = reader.bytes()
              break
            }
            case 3: {
              obj.signature = reader.bytes()
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

  export const encode = (obj: Partial<SignedCommand>): Uint8Array => {
    return encodeMessage(obj, SignedCommand.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedCommand>): SignedCommand => {
    return decodeMessage(buf, SignedCommand.codec(), opts)
  }
}

export interface Bid {
  version: number
  pipelineId: string
  stage: string
  peer: string
  cost: number
  withdrawn: boolean
  atMs: bigint
}

export namespace Bid {
  let _codec: Codec<Bid>

  export const codec = (): Codec<Bid> => {
    if (_codec == null) {
      _codec = message<Bid>((obj, w, opts = {}) => {
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

        if ((obj.stage != null && obj.stage !== '')) {
          w.uint32(26)
          w.string(obj.stage)
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(34)
          w.string(obj.peer)
        }

        if ((obj.cost != null && obj.cost !== 0)) {
          w.uint32(41)
          w.double(obj.cost)
        }

        if ((obj.withdrawn != null && obj.withdrawn !== false)) {
          w.uint32(48)
          w.bool(obj.withdrawn)
        }

        if ((obj.atMs != null && obj.atMs !== 0n)) {
          w.uint32(56)
          w.uint64(obj.atMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          pipelineId: '',
          stage: '',
          peer: '',
          cost: 0,
          withdrawn: false,
          atMs: 0n
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
              obj.stage = reader.string()
              break
            }
            case 4: {
              obj.peer = reader.string()
              break
            }
            case 5: {
              obj.cost = reader.double()
              break
            }
            case 6: {
              obj.withdrawn = reader.bool()
              break
            }
            case 7: {
              obj.atMs = reader.uint64()
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

  export const encode = (obj: Partial<Bid>): Uint8Array => {
    return encodeMessage(obj, Bid.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Bid>): Bid => {
    return decodeMessage(buf, Bid.codec(), opts)
  }
}

export interface PipelineGossip {
  version: number
  descriptor?: SignedDescriptor
  command?: SignedCommand
  bids: Uint8Array
}

export namespace PipelineGossip {
  let _codec: Codec<PipelineGossip>

  export const codec = (): Codec<PipelineGossip> => {
    if (_codec == null) {
      _codec = message<PipelineGossip>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.descriptor != null) {
          w.uint32(18)
          SignedDescriptor.codec().encode(obj.descriptor, w)
        }

        if (obj.command != null) {
          w.uint32(26)
          SignedCommand.codec().encode(obj.command, w)
        }

        if ((obj.bids != null && obj.bids.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.bids)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          bids: uint8ArrayAlloc(0)
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
              obj.descriptor = SignedDescriptor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.descriptor
              })
              break
            }
            case 3: {
              obj.command = SignedCommand.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.command
              })
              break
            }
            case 4: {
              obj.bids = reader.bytes()
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

  export const encode = (obj: Partial<PipelineGossip>): Uint8Array => {
    return encodeMessage(obj, PipelineGossip.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PipelineGossip>): PipelineGossip => {
    return decodeMessage(buf, PipelineGossip.codec(), opts)
  }
}

export enum ControlOp {
  CONTROL_SUBMIT = 'CONTROL_SUBMIT',
  CONTROL_STATUS = 'CONTROL_STATUS',
  CONTROL_COMMAND = 'CONTROL_COMMAND'
}

enum __ControlOpValues {
  CONTROL_SUBMIT = 0,
  CONTROL_STATUS = 1,
  CONTROL_COMMAND = 2
}

export namespace ControlOp {
  export const codec = (): Codec<ControlOp> => {
    return enumeration<ControlOp>(__ControlOpValues)
  }
}

export interface ControlRequest {
  version: number
  op: ControlOp
  descriptor?: SignedDescriptor
  command?: SignedCommand
  pipelineId: string
}

export namespace ControlRequest {
  let _codec: Codec<ControlRequest>

  export const codec = (): Codec<ControlRequest> => {
    if (_codec == null) {
      _codec = message<ControlRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.op != null && __ControlOpValues[obj.op] !== 0) {
          w.uint32(16)
          ControlOp.codec().encode(obj.op, w)
        }

        if (obj.descriptor != null) {
          w.uint32(26)
          SignedDescriptor.codec().encode(obj.descriptor, w)
        }

        if (obj.command != null) {
          w.uint32(34)
          SignedCommand.codec().encode(obj.command, w)
        }

        if ((obj.pipelineId != null && obj.pipelineId !== '')) {
          w.uint32(42)
          w.string(obj.pipelineId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          op: ControlOp.CONTROL_SUBMIT,
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
              obj.op = ControlOp.codec().decode(reader)
              break
            }
            case 3: {
              obj.descriptor = SignedDescriptor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.descriptor
              })
              break
            }
            case 4: {
              obj.command = SignedCommand.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.command
              })
              break
            }
            case 5: {
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

  export const encode = (obj: Partial<ControlRequest>): Uint8Array => {
    return encodeMessage(obj, ControlRequest.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ControlRequest>): ControlRequest => {
    return decodeMessage(buf, ControlRequest.codec(), opts)
  }
}

export interface StageAssignment {
  stage: string
  slot: number
  peer: string
}

export namespace StageAssignment {
  let _codec: Codec<StageAssignment>

  export const codec = (): Codec<StageAssignment> => {
    if (_codec == null) {
      _codec = message<StageAssignment>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.stage != null && obj.stage !== '')) {
          w.uint32(10)
          w.string(obj.stage)
        }

        if ((obj.slot != null && obj.slot !== 0)) {
          w.uint32(16)
          w.uint32(obj.slot)
        }

        if ((obj.peer != null && obj.peer !== '')) {
          w.uint32(26)
          w.string(obj.peer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          stage: '',
          slot: 0,
          peer: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.stage = reader.string()
              break
            }
            case 2: {
              obj.slot = reader.uint32()
              break
            }
            case 3: {
              obj.peer = reader.string()
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

  export const encode = (obj: Partial<StageAssignment>): Uint8Array => {
    return encodeMessage(obj, StageAssignment.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StageAssignment>): StageAssignment => {
    return decodeMessage(buf, StageAssignment.codec(), opts)
  }
}

export enum PipelineState {
  STATE_BIDDING = 'STATE_BIDDING',
  STATE_PLACED = 'STATE_PLACED',
  STATE_STOPPED = 'STATE_STOPPED',
  STATE_EXPIRED = 'STATE_EXPIRED',
  STATE_WAITING = 'STATE_WAITING'
}

enum __PipelineStateValues {
  STATE_BIDDING = 0,
  STATE_PLACED = 1,
  STATE_STOPPED = 2,
  STATE_EXPIRED = 3,
  STATE_WAITING = 4
}

export namespace PipelineState {
  export const codec = (): Codec<PipelineState> => {
    return enumeration<PipelineState>(__PipelineStateValues)
  }
}

export interface PipelineStatus {
  id: string
  state: PipelineState
  priority: number
  digest: string
  placement: StageAssignment[]
  runsStarted: bigint
  runsCompleted: bigint
  runsPartial: bigint
  runsDegraded: bigint
  failures: bigint
  recentFailures: string[]
  skippedStages: string[]
  localStages: string[]
  preemptedStages: string[]
}

export namespace PipelineStatus {
  let _codec: Codec<PipelineStatus>

  export const codec = (): Codec<PipelineStatus> => {
    if (_codec == null) {
      _codec = message<PipelineStatus>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if (obj.state != null && __PipelineStateValues[obj.state] !== 0) {
          w.uint32(16)
          PipelineState.codec().encode(obj.state, w)
        }

        if ((obj.priority != null && obj.priority !== 0)) {
          w.uint32(24)
          w.uint32(obj.priority)
        }

        if ((obj.digest != null && obj.digest !== '')) {
          w.uint32(34)
          w.string(obj.digest)
        }

        if (obj.placement != null) {
          for (const value of obj.placement) {
            w.uint32(42)
            StageAssignment.codec().encode(value, w)
          }
        }

        if ((obj.runsStarted != null && obj.runsStarted !== 0n)) {
          w.uint32(48)
          w.uint64(obj.runsStarted)
        }

        if ((obj.runsCompleted != null && obj.runsCompleted !== 0n)) {
          w.uint32(56)
          w.uint64(obj.runsCompleted)
        }

        if ((obj.runsPartial != null && obj.runsPartial !== 0n)) {
          w.uint32(64)
          w.uint64(obj.runsPartial)
        }

        if ((obj.runsDegraded != null && obj.runsDegraded !== 0n)) {
          w.uint32(72)
          w.uint64(obj.runsDegraded)
        }

        if ((obj.failures != null && obj.failures !== 0n)) {
          w.uint32(80)
          w.uint64(obj.failures)
        }

        if (obj.recentFailures != null) {
          for (const value of obj.recentFailures) {
            w.uint32(90)
            w.string(value)
          }
        }

        if (obj.skippedStages != null) {
          for (const value of obj.skippedStages) {
            w.uint32(98)
            w.string(value)
          }
        }

        if (obj.localStages != null) {
          for (const value of obj.localStages) {
            w.uint32(106)
            w.string(value)
          }
        }

        if (obj.preemptedStages != null) {
          for (const value of obj.preemptedStages) {
            w.uint32(114)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          state: PipelineState.STATE_BIDDING,
          priority: 0,
          digest: '',
          placement: [],
          runsStarted: 0n,
          runsCompleted: 0n,
          runsPartial: 0n,
          runsDegraded: 0n,
          failures: 0n,
          recentFailures: [],
          skippedStages: [],
          localStages: [],
          preemptedStages: []
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
              obj.state = PipelineState.codec().decode(reader)
              break
            }
            case 3: {
              obj.priority = reader.uint32()
              break
            }
            case 4: {
              obj.digest = reader.string()
              break
            }
            case 5: {
              if (opts.limits?.placement != null && obj.placement.length === opts.limits.placement) {
                throw new MaxLengthError('Decode error - map field "placement" had too many elements')
              }

              obj.placement.push(StageAssignment.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.placement$
              }))
              break
            }
            case 6: {
              obj.runsStarted = reader.uint64()
              break
            }
            case 7: {
              obj.runsCompleted = reader.uint64()
              break
            }
            case 8: {
              obj.runsPartial = reader.uint64()
              break
            }
            case 9: {
              obj.runsDegraded = reader.uint64()
              break
            }
            case 10: {
              obj.failures = reader.uint64()
              break
            }
            case 11: {
              if (opts.limits?.recentFailures != null && obj.recentFailures.length === opts.limits.recentFailures) {
                throw new MaxLengthError('Decode error - map field "recentFailures" had too many elements')
              }

              obj.recentFailures.push(reader.string())
              break
            }
            case 12: {
              if (opts.limits?.skippedStages != null && obj.skippedStages.length === opts.limits.skippedStages) {
                throw new MaxLengthError('Decode error - map field "skippedStages" had too many elements')
              }

              obj.skippedStages.push(reader.string())
              break
            }
            case 13: {
              if (opts.limits?.localStages != null && obj.localStages.length === opts.limits.localStages) {
                throw new MaxLengthError('Decode error - map field "localStages" had too many elements')
              }

              obj.localStages.push(reader.string())
              break
            }
            case 14: {
              if (opts.limits?.preemptedStages != null && obj.preemptedStages.length === opts.limits.preemptedStages) {
                throw new MaxLengthError('Decode error - map field "preemptedStages" had too many elements')
              }

              obj.preemptedStages.push(reader.string())
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

  export const encode = (obj: Partial<PipelineStatus>): Uint8Array => {
    return encodeMessage(obj, PipelineStatus.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PipelineStatus>): PipelineStatus => {
    return decodeMessage(buf, PipelineStatus.codec(), opts)
  }
}

export interface ControlResponse {
  version: number
  ok: boolean
  error: string
  status: PipelineStatus[]
}

export namespace ControlResponse {
  let _codec: Codec<ControlResponse>

  export const codec = (): Codec<ControlResponse> => {
    if (_codec == null) {
      _codec = message<ControlResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.ok != null && obj.ok !== false)) {
          w.uint32(16)
          w.bool(obj.ok)
        }

        if ((obj.error != null && obj.error !== '')) {
          w.uint32(26)
          w.string(obj.error)
        }

        if (obj.status != null) {
          for (const value of obj.status) {
            w.uint32(34)
            PipelineStatus.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          ok: false,
          error: '',
          status: []
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
              obj.ok = reader.bool()
              break
            }
            case 3: {
              obj.error = reader.string()
              break
            }
            case 4: {
              if (opts.limits?.status != null && obj.status.length === opts.limits.status) {
                throw new MaxLengthError('Decode error - map field "status" had too many elements')
              }

              obj.status.push(PipelineStatus.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.status$
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

  export const encode = (obj: Partial<ControlResponse>): Uint8Array => {
    return encodeMessage(obj, ControlResponse.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ControlResponse>): ControlResponse => {
    return decodeMessage(buf, ControlResponse.codec(), opts)
  }
}
