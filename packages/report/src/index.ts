/**
 * @ketnap/report: renderers of report results (text, CSV, JSON, XLSX, HTML), in Vietnamese and English.
 * They take the results projections compute, never a store.
 */
export { LANGS, messages, type Lang, type Messages } from './messages'
export { formatAttainment, formatDate, formatNumber, formatPercent, formatPeriod } from './format'
export { renderError, RenderErrorCodes, type RenderError, type RenderErrorCode } from './renderError'
export { renderText, TEXT_WIDTH } from './text'
export { displayWidth } from './internal/width'
export { renderCsv } from './csv'
export { renderJson } from './json'
export { renderXlsx } from './xlsx'
export { renderHtml, type HtmlOptions } from './html'
export { render, FORMATS, type Format, type RenderOptions } from './render'
