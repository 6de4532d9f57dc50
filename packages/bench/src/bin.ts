/**
 * `pnpm bench`: the benchmark's entry point (run from the TypeScript source by tsx, over the built
 * packages, which the root script builds first).
 */
import { main } from './main'

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
  },
)
