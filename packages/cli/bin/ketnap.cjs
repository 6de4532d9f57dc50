#!/usr/bin/env node
// The `ketnap` executable. It is committed, not built, so that package managers can link it on
// install, before the first build (a bin that does not exist yet is skipped with a warning, and
// `pnpm ketnap` would then not find it). It loads the CommonJS build of the command line.
require('../dist/process.cjs')
