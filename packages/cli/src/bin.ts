#!/usr/bin/env node
/**
 * The `ketnap` executable: loads the CommonJS build of the command line (see `process.ts`).
 */
import { createRequire } from 'node:module'

createRequire(import.meta.url)('./process.cjs')
