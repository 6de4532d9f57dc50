// The build every library package shares: ESM + CJS + .d.ts, Node 20.
//
// fp-ts and io-ts publish their modules as folders (`fp-ts/Either/package.json`) without an `exports`
// map: `require('fp-ts/Either')` works, but Node's ESM resolver refuses `import 'fp-ts/Either'`. So the
// ESM build bundles the ES modules of those two libraries (tree-shaken), while the CJS build keeps them
// as ordinary dependencies. Declarations refer to both as dependencies.
//
// Declarations are built one entry at a time: the declaration bundler fails on entries that share
// modules when it builds them together.
import type { Options } from 'tsup'

const common = {
  target: 'node20',
  sourcemap: true,
} satisfies Options

const bundledInEsm = [/^fp-ts(\/|$)/, /^io-ts(\/|$)/]

/** The tsup configuration of a library package with the given entry files. */
export const libraryConfig = (entry: ReadonlyArray<string>): Options[] => [
  { ...common, entry: [...entry], format: ['esm'], clean: true, noExternal: bundledInEsm },
  { ...common, entry: [...entry], format: ['cjs'] },
  ...entry.map((file): Options => ({
    ...common,
    entry: [file],
    format: ['esm', 'cjs'],
    dts: { only: true },
  })),
]
