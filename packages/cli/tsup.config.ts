import { defineConfig, type Options } from 'tsup'

// The seed scenarios of `ketnap demo` are bundled from their TypeScript source (the `source` export
// condition of @ketnap/examples, a private package); every other @ketnap package stays a dependency.
const shared: Options = {
  target: 'node20',
  sourcemap: true,
  // tsup builds the three configs at once: cleaning `dist` in one would delete the others' output.
  clean: false,
  noExternal: ['@ketnap/examples'],
  esbuildOptions(options, { format }) {
    options.conditions = ['source']
    // In the CommonJS builds a lazy `import('@ketnap/store-sqlite')` would load that package's ESM
    // build, and with it a second copy of @ketnap/kernel beside the one `require` loaded: twice the
    // modules to load, and the kernel's per-module caches (the canonical data text the planner keeps for
    // the store to write) missed across copies. esbuild writes it as a lazy `require` instead.
    if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false }
  },
}

export default defineConfig([
  { ...shared, entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true },
  // The executable: a small ESM entry (`bin.js`, as package.json names it) that loads the CommonJS
  // build of the command line, because Node's ESM resolver refuses `fp-ts/Either`-style imports.
  { ...shared, entry: ['src/bin.ts'], format: ['esm'], dts: false },
  { ...shared, entry: ['src/process.ts'], format: ['cjs'], dts: false },
])
