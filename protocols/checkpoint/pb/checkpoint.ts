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

export interface InstanceDescriptor {
  instance: string
  imageName: string
  imageHash: Uint8Array
  sink: string
  quorum: number
  replicas: number
  stepIntervalMs: number
  stage?: string
  names: string[]
}

export namespace InstanceDescriptor {
  let _codec: Codec<InstanceDescriptor>

  export const codec = (): Codec<InstanceDescriptor> => {
    if (_codec == null) {
      _codec = message<InstanceDescriptor>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.instance != null && obj.instance !== '')) {
          w.uint32(10)
          w.string(obj.instance)
        }

        if ((obj.imageName != null && obj.imageName !== '')) {
          w.uint32(18)
          w.string(obj.imageName)
        }

        if ((obj.imageHash != null && obj.imageHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.imageHash)
        }

        if ((obj.sink != null && obj.sink !== '')) {
          w.uint32(34)
          w.string(obj.sink)
        }

        if ((obj.quorum != null && obj.quorum !== 0)) {
          w.uint32(40)
          w.uint32(obj.quorum)
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(48)
          w.uint32(obj.replicas)
        }

        if ((obj.stepIntervalMs != null && obj.stepIntervalMs !== 0)) {
          w.uint32(56)
          w.uint32(obj.stepIntervalMs)
        }

        if (obj.stage != null) {
          w.uint32(66)
          w.string(obj.stage)
        }

        if (obj.names != null) {
          for (const value of obj.names) {
            w.uint32(74)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          instance: '',
          imageName: '',
          imageHash: uint8ArrayAlloc(0),
          sink: '',
          quorum: 0,
          replicas: 0,
          stepIntervalMs: 0,
          names: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.instance = reader.string()
              break
            }
            case 2: {
              obj.imageName = reader.string()
              break
            }
            case 3: {
              obj.imageHash = reader.bytes()
              break
            }
            case 4: {
              obj.sink = reader.string()
              break
            }
            case 5: {
              obj.quorum = reader.uint32()
              break
            }
            case 6: {
              obj.replicas = reader.uint32()
              break
            }
            case 7: {
              obj.stepIntervalMs = reader.uint32()
              break
            }
            case 8: {
              obj.stage = reader.string()
              break
            }
            case 9: {
              if (opts.limits?.names != null && obj.names.length === opts.limits.names) {
                throw new MaxLengthError('Decode error - map field "names" had too many elements')
              }

              obj.names.push(reader.string())
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

  export const encode = (obj: Partial<InstanceDescriptor>): Uint8Array => {
    return encodeMessage(obj, InstanceDescriptor.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InstanceDescriptor>): InstanceDescriptor => {
    return decodeMessage(buf, InstanceDescriptor.codec(), opts)
  }
}

export interface StageMarks {
  consumed: StageMarks.Range[]
  recent: StageMarks.Recent[]
}

export namespace StageMarks {
  export interface Range {
    source: string
    first: bigint
    last: bigint
  }

  export namespace Range {
    let _codec: Codec<Range>

    export const codec = (): Codec<Range> => {
      if (_codec == null) {
        _codec = message<Range>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.source != null && obj.source !== '')) {
            w.uint32(10)
            w.string(obj.source)
          }

          if ((obj.first != null && obj.first !== 0n)) {
            w.uint32(16)
            w.uint64(obj.first)
          }

          if ((obj.last != null && obj.last !== 0n)) {
            w.uint32(24)
            w.uint64(obj.last)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            source: '',
            first: 0n,
            last: 0n
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.source = reader.string()
                break
              }
              case 2: {
                obj.first = reader.uint64()
                break
              }
              case 3: {
                obj.last = reader.uint64()
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

    export const encode = (obj: Partial<Range>): Uint8Array => {
      return encodeMessage(obj, Range.codec())
    }

    export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Range>): Range => {
      return decodeMessage(buf, Range.codec(), opts)
    }
  }

  export interface Recent {
    key: string
    outputs: Uint8Array[]
  }

  export namespace Recent {
    let _codec: Codec<Recent>

    export const codec = (): Codec<Recent> => {
      if (_codec == null) {
        _codec = message<Recent>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.key != null && obj.key !== '')) {
            w.uint32(10)
            w.string(obj.key)
          }

          if (obj.outputs != null) {
            for (const value of obj.outputs) {
              w.uint32(18)
              w.bytes(value)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            key: '',
            outputs: []
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
                if (opts.limits?.outputs != null && obj.outputs.length === opts.limits.outputs) {
                  throw new MaxLengthError('Decode error - map field "outputs" had too many elements')
                }

                obj.outputs.push(reader.bytes())
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

    export const encode = (obj: Partial<Recent>): Uint8Array => {
      return encodeMessage(obj, Recent.codec())
    }

    export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Recent>): Recent => {
      return decodeMessage(buf, Recent.codec(), opts)
    }
  }

  let _codec: Codec<StageMarks>

  export const codec = (): Codec<StageMarks> => {
    if (_codec == null) {
      _codec = message<StageMarks>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.consumed != null) {
          for (const value of obj.consumed) {
            w.uint32(10)
            StageMarks.Range.codec().encode(value, w)
          }
        }

        if (obj.recent != null) {
          for (const value of obj.recent) {
            w.uint32(18)
            StageMarks.Recent.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          consumed: [],
          recent: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.consumed != null && obj.consumed.length === opts.limits.consumed) {
                throw new MaxLengthError('Decode error - map field "consumed" had too many elements')
              }

              obj.consumed.push(StageMarks.Range.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.consumed$
              }))
              break
            }
            case 2: {
              if (opts.limits?.recent != null && obj.recent.length === opts.limits.recent) {
                throw new MaxLengthError('Decode error - map field "recent" had too many elements')
              }

              obj.recent.push(StageMarks.Recent.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.recent$
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

  export const encode = (obj: Partial<StageMarks>): Uint8Array => {
    return encodeMessage(obj, StageMarks.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StageMarks>): StageMarks => {
    return decodeMessage(buf, StageMarks.codec(), opts)
  }
}

export interface StateEntry {
  key: string
  value: Uint8Array
}

export namespace StateEntry {
  let _codec: Codec<StateEntry>

  export const codec = (): Codec<StateEntry> => {
    if (_codec == null) {
      _codec = message<StateEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          value: uint8ArrayAlloc(0)
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

  export const encode = (obj: Partial<StateEntry>): Uint8Array => {
    return encodeMessage(obj, StateEntry.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StateEntry>): StateEntry => {
    return decodeMessage(buf, StateEntry.codec(), opts)
  }
}

export interface StateDelta {
  baseEpoch: bigint
  baseSeq: bigint
  step: string
  lastStep: string
  terminated: boolean
  set: StateEntry[]
  removed: string[]
  outputSeq: bigint
  clock: number
  steps: bigint
  packed?: Uint8Array
}

export namespace StateDelta {
  let _codec: Codec<StateDelta>

  export const codec = (): Codec<StateDelta> => {
    if (_codec == null) {
      _codec = message<StateDelta>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.baseEpoch != null && obj.baseEpoch !== 0n)) {
          w.uint32(8)
          w.uint64(obj.baseEpoch)
        }

        if ((obj.baseSeq != null && obj.baseSeq !== 0n)) {
          w.uint32(16)
          w.uint64(obj.baseSeq)
        }

        if ((obj.step != null && obj.step !== '')) {
          w.uint32(26)
          w.string(obj.step)
        }

        if ((obj.lastStep != null && obj.lastStep !== '')) {
          w.uint32(34)
          w.string(obj.lastStep)
        }

        if ((obj.terminated != null && obj.terminated !== false)) {
          w.uint32(40)
          w.bool(obj.terminated)
        }

        if (obj.set != null) {
          for (const value of obj.set) {
            w.uint32(50)
            StateEntry.codec().encode(value, w)
          }
        }

        if (obj.removed != null) {
          for (const value of obj.removed) {
            w.uint32(58)
            w.string(value)
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

        if (obj.packed != null) {
          w.uint32(90)
          w.bytes(obj.packed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          baseEpoch: 0n,
          baseSeq: 0n,
          step: '',
          lastStep: '',
          terminated: false,
          set: [],
          removed: [],
          outputSeq: 0n,
          clock: 0,
          steps: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.baseEpoch = reader.uint64()
              break
            }
            case 2: {
              obj.baseSeq = reader.uint64()
              break
            }
            case 3: {
              obj.step = reader.string()
              break
            }
            case 4: {
              obj.lastStep = reader.string()
              break
            }
            case 5: {
              obj.terminated = reader.bool()
              break
            }
            case 6: {
              if (opts.limits?.set != null && obj.set.length === opts.limits.set) {
                throw new MaxLengthError('Decode error - map field "set" had too many elements')
              }

              obj.set.push(StateEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.set$
              }))
              break
            }
            case 7: {
              if (opts.limits?.removed != null && obj.removed.length === opts.limits.removed) {
                throw new MaxLengthError('Decode error - map field "removed" had too many elements')
              }

              obj.removed.push(reader.string())
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
            case 11: {
              obj.packed = reader.bytes()
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

  export const encode = (obj: Partial<StateDelta>): Uint8Array => {
    return encodeMessage(obj, StateDelta.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StateDelta>): StateDelta => {
    return decodeMessage(buf, StateDelta.codec(), opts)
  }
}

export interface Output {
  seq: bigint
  data: Uint8Array
}

export namespace Output {
  let _codec: Codec<Output>

  export const codec = (): Codec<Output> => {
    if (_codec == null) {
      _codec = message<Output>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(8)
          w.uint64(obj.seq)
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.data)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0n,
          data: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint64()
              break
            }
            case 2: {
              obj.data = reader.bytes()
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

  export const encode = (obj: Partial<Output>): Uint8Array => {
    return encodeMessage(obj, Output.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Output>): Output => {
    return decodeMessage(buf, Output.codec(), opts)
  }
}

export interface CheckpointMessage {
  version: number
  kind: CheckpointMessage.Kind
  instance: string
  epoch: bigint
  seq: bigint
  descriptor?: InstanceDescriptor
  checkpoint: Uint8Array
  delta?: StateDelta
  outputs: Output[]
  highWater: bigint
  error: CheckpointMessage.Error
  reason: string
  currentEpoch: bigint
  replicaSet: string[]
  sentAt: number
  marks?: StageMarks
  id: number
}

export namespace CheckpointMessage {
  export enum Kind {
    STORE = 'STORE',
    STORED = 'STORED',
    FETCH = 'FETCH',
    STATE = 'STATE',
    OUTPUT = 'OUTPUT',
    DELIVERED = 'DELIVERED',
    PREPARE = 'PREPARE',
    PREPARED = 'PREPARED',
    TRANSFER = 'TRANSFER',
    RESUMED = 'RESUMED',
    ERROR = 'ERROR'
  }

  enum __KindValues {
    STORE = 0,
    STORED = 1,
    FETCH = 2,
    STATE = 3,
    OUTPUT = 4,
    DELIVERED = 5,
    PREPARE = 6,
    PREPARED = 7,
    TRANSFER = 8,
    RESUMED = 9,
    ERROR = 10
  }

  export namespace Kind {
    export const codec = (): Codec<Kind> => {
      return enumeration<Kind>(__KindValues)
    }
  }

  export enum Error {
    NONE = 'NONE',
    FENCED = 'FENCED',
    NEED_FULL = 'NEED_FULL',
    NOT_FOUND = 'NOT_FOUND',
    REFUSED = 'REFUSED'
  }

  enum __ErrorValues {
    NONE = 0,
    FENCED = 1,
    NEED_FULL = 2,
    NOT_FOUND = 3,
    REFUSED = 4
  }

  export namespace Error {
    export const codec = (): Codec<Error> => {
      return enumeration<Error>(__ErrorValues)
    }
  }

  let _codec: Codec<CheckpointMessage>

  export const codec = (): Codec<CheckpointMessage> => {
    if (_codec == null) {
      _codec = message<CheckpointMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __KindValues[obj.kind] !== 0) {
          w.uint32(16)
          CheckpointMessage.Kind.codec().encode(obj.kind, w)
        }

        if ((obj.instance != null && obj.instance !== '')) {
          w.uint32(26)
          w.string(obj.instance)
        }

        if ((obj.epoch != null && obj.epoch !== 0n)) {
          w.uint32(32)
          w.uint64(obj.epoch)
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(40)
          w.uint64(obj.seq)
        }

        if (obj.descriptor != null) {
          w.uint32(50)
          InstanceDescriptor.codec().encode(obj.descriptor, w)
        }

        if ((obj.checkpoint != null && obj.checkpoint.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.checkpoint)
        }

        if (obj.delta != null) {
          w.uint32(66)
          StateDelta.codec().encode(obj.delta, w)
        }

        if (obj.outputs != null) {
          for (const value of obj.outputs) {
            w.uint32(74)
            Output.codec().encode(value, w)
          }
        }

        if ((obj.highWater != null && obj.highWater !== 0n)) {
          w.uint32(80)
          w.uint64(obj.highWater)
        }

        if (obj.error != null && __ErrorValues[obj.error] !== 0) {
          w.uint32(88)
          CheckpointMessage.Error.codec().encode(obj.error, w)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(98)
          w.string(obj.reason)
        }

        if ((obj.currentEpoch != null && obj.currentEpoch !== 0n)) {
          w.uint32(104)
          w.uint64(obj.currentEpoch)
        }

        if (obj.replicaSet != null) {
          for (const value of obj.replicaSet) {
            w.uint32(114)
            w.string(value)
          }
        }

        if ((obj.sentAt != null && obj.sentAt !== 0)) {
          w.uint32(121)
          w.double(obj.sentAt)
        }

        if (obj.marks != null) {
          w.uint32(130)
          StageMarks.codec().encode(obj.marks, w)
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(136)
          w.uint32(obj.id)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: Kind.STORE,
          instance: '',
          epoch: 0n,
          seq: 0n,
          checkpoint: uint8ArrayAlloc(0),
          outputs: [],
          highWater: 0n,
          error: Error.NONE,
          reason: '',
          currentEpoch: 0n,
          replicaSet: [],
          sentAt: 0,
          id: 0
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
              obj.kind = CheckpointMessage.Kind.codec().decode(reader)
              break
            }
            case 3: {
              obj.instance = reader.string()
              break
            }
            case 4: {
              obj.epoch = reader.uint64()
              break
            }
            case 5: {
              obj.seq = reader.uint64()
              break
            }
            case 6: {
              obj.descriptor = InstanceDescriptor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.descriptor
              })
              break
            }
            case 7: {
              obj.checkpoint = reader.bytes()
              break
            }
            case 8: {
              obj.delta = StateDelta.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.delta
              })
              break
            }
            case 9: {
              if (opts.limits?.outputs != null && obj.outputs.length === opts.limits.outputs) {
                throw new MaxLengthError('Decode error - map field "outputs" had too many elements')
              }

              obj.outputs.push(Output.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.outputs$
              }))
              break
            }
            case 10: {
              obj.highWater = reader.uint64()
              break
            }
            case 11: {
              obj.error = CheckpointMessage.Error.codec().decode(reader)
              break
            }
            case 12: {
              obj.reason = reader.string()
              break
            }
            case 13: {
              obj.currentEpoch = reader.uint64()
              break
            }
            case 14: {
              if (opts.limits?.replicaSet != null && obj.replicaSet.length === opts.limits.replicaSet) {
                throw new MaxLengthError('Decode error - map field "replicaSet" had too many elements')
              }

              obj.replicaSet.push(reader.string())
              break
            }
            case 15: {
              obj.sentAt = reader.double()
              break
            }
            case 16: {
              obj.marks = StageMarks.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.marks
              })
              break
            }
            case 17: {
              obj.id = reader.uint32()
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

  export const encode = (obj: Partial<CheckpointMessage>): Uint8Array => {
    return encodeMessage(obj, CheckpointMessage.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CheckpointMessage>): CheckpointMessage => {
    return decodeMessage(buf, CheckpointMessage.codec(), opts)
  }
}

export interface ReplicaRecord {
  instance: string
  epoch: bigint
  seq: bigint
  descriptor?: InstanceDescriptor
  checkpoint: Uint8Array
  outbox: Output[]
  replicaSet: string[]
  host: string
  storedAt: number
  marks?: StageMarks
}

export namespace ReplicaRecord {
  let _codec: Codec<ReplicaRecord>

  export const codec = (): Codec<ReplicaRecord> => {
    if (_codec == null) {
      _codec = message<ReplicaRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.instance != null && obj.instance !== '')) {
          w.uint32(10)
          w.string(obj.instance)
        }

        if ((obj.epoch != null && obj.epoch !== 0n)) {
          w.uint32(16)
          w.uint64(obj.epoch)
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(24)
          w.uint64(obj.seq)
        }

        if (obj.descriptor != null) {
          w.uint32(34)
          InstanceDescriptor.codec().encode(obj.descriptor, w)
        }

        if ((obj.checkpoint != null && obj.checkpoint.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.checkpoint)
        }

        if (obj.outbox != null) {
          for (const value of obj.outbox) {
            w.uint32(50)
            Output.codec().encode(value, w)
          }
        }

        if (obj.replicaSet != null) {
          for (const value of obj.replicaSet) {
            w.uint32(58)
            w.string(value)
          }
        }

        if ((obj.host != null && obj.host !== '')) {
          w.uint32(66)
          w.string(obj.host)
        }

        if ((obj.storedAt != null && obj.storedAt !== 0)) {
          w.uint32(73)
          w.double(obj.storedAt)
        }

        if (obj.marks != null) {
          w.uint32(82)
          StageMarks.codec().encode(obj.marks, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          instance: '',
          epoch: 0n,
          seq: 0n,
          checkpoint: uint8ArrayAlloc(0),
          outbox: [],
          replicaSet: [],
          host: '',
          storedAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.instance = reader.string()
              break
            }
            case 2: {
              obj.epoch = reader.uint64()
              break
            }
            case 3: {
              obj.seq = reader.uint64()
              break
            }
            case 4: {
              obj.descriptor = InstanceDescriptor.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.descriptor
              })
              break
            }
            case 5: {
              obj.checkpoint = reader.bytes()
              break
            }
            case 6: {
              if (opts.limits?.outbox != null && obj.outbox.length === opts.limits.outbox) {
                throw new MaxLengthError('Decode error - map field "outbox" had too many elements')
              }

              obj.outbox.push(Output.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.outbox$
              }))
              break
            }
            case 7: {
              if (opts.limits?.replicaSet != null && obj.replicaSet.length === opts.limits.replicaSet) {
                throw new MaxLengthError('Decode error - map field "replicaSet" had too many elements')
              }

              obj.replicaSet.push(reader.string())
              break
            }
            case 8: {
              obj.host = reader.string()
              break
            }
            case 9: {
              obj.storedAt = reader.double()
              break
            }
            case 10: {
              obj.marks = StageMarks.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.marks
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

  export const encode = (obj: Partial<ReplicaRecord>): Uint8Array => {
    return encodeMessage(obj, ReplicaRecord.codec())
  }

  export const decode = (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplicaRecord>): ReplicaRecord => {
    return decodeMessage(buf, ReplicaRecord.codec(), opts)
  }
}
