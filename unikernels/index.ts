/**
 * @packageDocumentation
 * Edge functions as sealed WebAssembly images: the runtime (sandboxes in worker threads
 * with memory and wall-time caps, warm pools), the shared-memory blackboard, the Sensor
 * Access Controller with emulated drivers, Unimem and step-graph checkpoints, and the
 * catalogue built from unikernels/images.
 *
 * @example
 * ```ts
 * const catalogue = await loadCatalogue()
 * const sac = new SensorAccessController({}, { sensors: [{ id: 'rst', type: 'road-surface-temperature' }] })
 * const runtime = new EfRuntime({ sac })
 * await runtime.start()
 * const ef = await runtime.boot(catalogue.get('black-ice-detector'))
 * const { status, outputs } = await ef.invoke()
 * const checkpoint = await ef.checkpoint()
 * await ef.stop()
 * await runtime.stop()
 * ```
 */
export { EfRuntime } from './runtime.js'
export type { EfRuntimeComponents, EfRuntimeInit, EfRuntimeEvents, EfRuntimeStats } from './runtime.js'
export { Sandbox } from './sandbox.js'
export type { SandboxStatus, SandboxEvents, SandboxUsage } from './sandbox.js'
export type { AmbiguityPolicy, EfOutput, EfLogEntry, HandleStatus, InvokeResult, OutputRoute, SensorSnapshot, StepResult } from './protocol.js'
export { loadCatalogue, loadImage, DEFAULT_CATALOGUE_DIR } from './catalogue.js'
export type { Catalogue, LoadCatalogueOptions } from './catalogue.js'
export { parseManifest } from './manifest.js'
export type { EfImage, ImageManifest, InboxLayout } from './manifest.js'
export { sealImage, verifyHash, checkImports, sha256Hex, HOST_ABI_FUNCTIONS } from './seal.js'
export type { SealedImage, HostAbiFunction } from './seal.js'
export { encodeCheckpoint, decodeCheckpoint, recodeCheckpoint, hasShortImageRef, encodeCheckpointDelta, applyCheckpointDelta, CHECKPOINT_FORMAT } from './checkpoint.js'
export type { CheckpointState, KnownImage, EncodeCheckpointOptions, DecodeCheckpointOptions } from './checkpoint.js'
export { Unimem, encodeUnimemValue, decodeUnimemValue } from './unimem.js'
export type { UnimemValue } from './unimem.js'
export { SensorAccessController } from './sac.js'
export type { LeaseMode, SensorInfo, SensorLease, SensorAccessControllerComponents, SensorAccessControllerInit, InjectedCondition } from './sac.js'
export { SENSOR_UNITS, ACTUATORS, emulatedDriver, dewPoint, Weather } from './sac-drivers.js'
export type { SensorType, SensorValue, SensorCondition, SensorConfig, EmulatedOptions, SensorDriver, DriverFactory } from './sac-drivers.js'
export { readImports, renameImportModules } from './wasm-binary.js'
export type { WasmImport } from './wasm-binary.js'
export { encodeDetection, decodeDetection, decodeHazard, decodeParking, encodeIceReading, encodeCrashFeatures, encodeFrame, decodeFrame, normaliseFrame, DETECTION_KIND } from './records.js'
export type { Detection, HazardRecord, ParkingMap, Frame } from './records.js'
export { ABI_MODULE, ABI_VERSION } from './constants.js'
export * from './errors.js'
