// BSrE's `tag_koordinat`: the specimen lands at a marker character already in the PDF's text. Finding the
// marker in pdf.js's text layer lets the person see where it will land before signing.

/** The part of a pdf.js TextItem we read: the string, its text-to-user-space matrix and its advance width. */
export interface TextRun {
  str: string;
  /** [a, b, c, d, e, f]: (e, f) is where the run's baseline starts, in user space; (a, b) its direction. */
  transform: number[];
  /** Advance width of the whole run, in user-space units. */
  width: number;
}

export interface MarkerPosition {
  page: number;
  /** Lower-left of the marker glyph (on the baseline), in user space. */
  x: number;
  y: number;
  text: string;
}

/**
 * Finds every occurrence of `tag` in a page's text runs. Glyph widths are not in the text layer, so a marker
 * inside a longer run is placed proportionally along the run (exact when the marker starts the run, and
 * within a glyph's width otherwise).
 */
export function findMarkers(runs: readonly TextRun[], tag: string, page: number): MarkerPosition[] {
  if (!tag) return [];
  const found: MarkerPosition[] = [];
  for (const run of runs) {
    if (!run.str || run.str.length === 0) continue;
    const [a = 1, b = 0, , , e = 0, f = 0] = run.transform;
    const length = Math.hypot(a, b) || 1;
    for (let i = run.str.indexOf(tag); i !== -1; i = run.str.indexOf(tag, i + tag.length)) {
      const along = (run.width * i) / run.str.length;
      found.push({ page, x: e + (a / length) * along, y: f + (b / length) * along, text: tag });
    }
  }
  return found;
}
