/**
 * @packageDocumentation
 * Shared wire helpers: bounded protobuf decoding and framed stream channels.
 */
export * from './errors.js'
export * from './decode.js'
export * from './channel.js'
export * from './frames.js'
