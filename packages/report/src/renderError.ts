/**
 * What can go wrong while rendering: only the libraries behind XLSX and the charts can fail.
 */

/** The codes of a rendering failure; docs/errors.md explains each one, and a test keeps the two equal. */
export const RenderErrorCodes = ['xlsx-failed', 'chart-failed'] as const

/** The code of a `RenderError`. */
export type RenderErrorCode = (typeof RenderErrorCodes)[number]

/** A rendering failure: a stable kebab-case code and the cause's message. */
export interface RenderError {
  readonly _tag: 'RenderError'
  /** `xlsx-failed` or `chart-failed`. */
  readonly code: RenderErrorCode
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
