/**
 * The shape of a seed scenario: a deterministic event history built from one source article, the
 * reports that quote its figures, and the figures themselves as the article (and SCENARIOS.md) gives them.
 */
import type { Report, ReportName, ReportQuery } from '@ketnap/core'

/** One line of a JSON Lines import (EVENTS.md, "Interchange"): the event, when and by whom it was recorded. */
export interface ImportLine {
  type: string
  data: Record<string, unknown>
  recordedAt: string
  actor: string
  id: string
}

/** One report a scenario prints, with a caption (in Vietnamese) saying what the article quotes from it. */
export interface ScenarioReport {
  readonly name: ReportName
  readonly query: ReportQuery
  readonly caption: string
}

/** What a figure is read from: the scenario's reports (in the order of `reports`) and its built log. */
export interface FigureContext {
  readonly reports: ReadonlyArray<Report>
  readonly lines: ReadonlyArray<ImportLine>
}

/** One figure of SCENARIOS.md: what it is, the exact value expected, and how to read it back. */
export interface Figure {
  /** What the figure is, and how the article wrote it where it rounds or truncates. */
  readonly label: string
  /** The exact figure, written the Vietnamese way (1.873; 93,65 %). */
  readonly expected: string
  /** Reads the figure from the reports (or, for a structural count no report gives, from the log). */
  readonly observe: (context: FigureContext) => string
}

/** A seed scenario: one source article rebuilt as events. */
export interface Scenario {
  /** Short key, also the name of the runnable script (`examples/<key>.ts`). */
  readonly key: string
  /** Title, in Vietnamese as the article names the place. */
  readonly title: string
  /** The date the article reports on (YYYY-MM-DD). */
  readonly reportDate: string
  /** Builds the event log; the same lines every time. */
  build(): ReadonlyArray<ImportLine>
  /** The reports that show the article's figures. */
  readonly reports: ReadonlyArray<ScenarioReport>
  /** Every figure of the scenario's table in SCENARIOS.md. */
  readonly figures: ReadonlyArray<Figure>
}
