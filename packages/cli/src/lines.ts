/**
 * Text streams as lines: split on "\n" only (a trailing "\r" is dropped), so that line numbers are the
 * physical lines an editor shows.
 */

/** The lines of a stream of text chunks; a final line without a newline is kept, an empty tail is not. */
export async function* linesOf(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let rest = ''
  const decoder = new TextDecoder('utf-8')
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    let start = 0
    for (let nl = rest.indexOf('\n'); nl !== -1; nl = rest.indexOf('\n', start)) {
      const line = rest.slice(start, nl)
      yield line.endsWith('\r') ? line.slice(0, -1) : line
      start = nl + 1
    }
    rest = rest.slice(start)
  }
  rest += decoder.decode()
  if (rest.length > 0) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest
}
