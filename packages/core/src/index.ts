/**
 * @ketnap/core: the pure domain of party member development (phát triển đảng viên).
 */
export * from './primitives'
export * from './events'
export * from './reports'
