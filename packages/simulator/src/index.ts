/**
 * @ketnap/simulator: deterministic, valid, streamed synthetic histories of party member development
 * (phát triển đảng viên), from one district to the whole country over ten years.
 */
export { simulate, simulateOptionsError, SIMULATE_DEFAULTS, type SimulateOptions } from './simulate'
export { SCALES, SCALE_NAMES, type Scale, type ScaleName } from './scales'
