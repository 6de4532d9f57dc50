/** Work in progress: see the package's issue. */
export const packageName = '@ketnap/ledger'
