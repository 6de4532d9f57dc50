/**
 * The process the CLI talks to, as a value, so that tests can run a command in-process and read what
 * it wrote.
 */

/** A stream the CLI writes to. */
export interface OutputStream {
  /** Writes text or bytes; resolves once the chunk is handed to the stream. */
  readonly write: (chunk: string | Uint8Array) => Promise<void>
  /** Whether the stream is a terminal (progress bars are drawn only then). */
  readonly isTTY: boolean
  /** The underlying Node stream, for a progress bar; absent in tests. */
  readonly node?: NodeJS.WritableStream
}

/** Everything a command may touch outside the store. */
export interface Io {
  readonly stdout: OutputStream
  readonly stderr: OutputStream
  /** Standard input, as it comes (for `import -`, which splits it into lines and decodes each). */
  readonly stdin: () => AsyncIterable<Uint8Array | string>
  /** Environment variables (KETNAP_STORE). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The working directory relative paths are taken from. */
  readonly cwd: string
  /** The clock: "today" for reports without `--as-of`. */
  readonly now: () => Date
}
