/**
 * @packageDocumentation
 * The ECCO wire protocols: one folder per protocol, each with its `.proto`
 * schema, generated codec and logic. Other top-level folders import only this.
 */
export * from './geo/index.js'
export * from './discovery/index.js'
export * from './wire/index.js'
export * from './sync/index.js'
export * from './state/index.js'
export * from './nimbus/index.js'
export * from './hazard/index.js'
export * from './certs/index.js'
export * from './checkpoint/index.js'
export * from './pipeline/index.js'
export * from './bundle/index.js'
export * from './image/index.js'
export * from './offload/index.js'
