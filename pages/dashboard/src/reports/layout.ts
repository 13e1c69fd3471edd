/** The report grid has 6 columns on wide screens, 2 on tablets and 1 on phones (see the Reports styles). */
export const GRID_COLUMNS = 6;
export const MEDIUM_COLUMNS = 2;

/** Columns a widget spans on the wide and the medium grid: wide ones take a whole medium row. */
export function spans(width: number): { wide: number; medium: number } {
  const wide = Math.min(GRID_COLUMNS, Math.max(1, Math.round(width)));
  return { wide, medium: wide * 2 > GRID_COLUMNS ? MEDIUM_COLUMNS : 1 };
}

/** The widget's rows and columns on a grid of `columns`, filled left to right as CSS grid's auto-placement does. */
export function placeWidgets(widths: number[], columns: number): { row: number; column: number; span: number }[] {
  let row = 0;
  let column = 0;
  return widths.map((width) => {
    const span = Math.min(columns, columns === GRID_COLUMNS ? spans(width).wide : columns === MEDIUM_COLUMNS ? spans(width).medium : 1);
    if (column + span > columns) {
      row += 1;
      column = 0;
    }
    const place = { row, column, span };
    column += span;
    return place;
  });
}

/** The position a widget moves to one step up (-1) or down (+1), or null at the end of the list. */
export function stepTo(position: number, step: -1 | 1, count: number): number | null {
  const next = position + step;
  return next < 0 || next >= count ? null : next;
}
