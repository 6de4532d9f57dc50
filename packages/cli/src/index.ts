/**
 * @ketnap/cli: the `ketnap` command line, also callable in-process.
 */
export { run } from './main'
export type { Io, OutputStream } from './io'
export { ExitStatus } from './exitStatus'
export { StoreUrl, DEFAULT_STORE_URL, type StoreLocation } from './storeUrl'
