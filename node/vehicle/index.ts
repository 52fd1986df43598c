/**
 * @packageDocumentation
 * The vehicle light client library for an in-car application.
 *
 * @example
 * ```ts
 * const car = await createVehicle({ operatorKeys: [operatorPub], bootstrap: [addr], route, speedMps: 25 })
 * car.addEventListener('warning:shown', (e) => { hmi.show(e.detail.cause, e.detail.aheadM) })
 * car.addEventListener('warning:cleared', (e) => { hmi.remove(e.detail.key) })
 * await car.start()
 * car.setPosition(gpsFix)
 * ```
 */
export * from './vehicle.js'
export * from './route.js'
export * from './relevance.js'
export * from './cli.js'
