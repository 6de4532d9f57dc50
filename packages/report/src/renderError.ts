/**
 * What can go wrong while rendering: only the libraries behind XLSX and the charts can fail.
 */

/** A rendering failure: a stable kebab-case code and the cause's message. */
export interface RenderError {
  readonly _tag: 'RenderError'
  /** `xlsx-failed` or `chart-failed`. */
  readonly code: 'xlsx-failed' | 'chart-failed'
  readonly message: string
}

/** Builds a RenderError from whatever a library threw. */
export const renderError =
  (code: RenderError['code']) =>
  (cause: unknown): RenderError => ({
    _tag: 'RenderError',
    code,
    message: cause instanceof Error ? cause.message : String(cause),
  })
