import { createMemo, For, Show } from "solid-js";
import { COUNTRY_TILES, GRID_COLUMNS, GRID_ROWS } from "../country-grid";
import { formatNumber } from "../format";
import { countryName } from "../labels";

export interface CountryValue {
  /** ISO 3166-1 alpha-2, upper case. */
  code: string;
  value: number;
}

const TILE = 10;
const GAP = 1;

/** How strongly a tile is shaded: a square root keeps small countries visible next to a dominant one. */
export const shade = (value: number, max: number): number => (max > 0 && value > 0 ? 0.2 + 0.8 * Math.sqrt(value / max) : 0);

/**
 * Countries as a tile grid shaded by a metric (visitors on the overview); clicking a country picks it. A hidden table
 * says the same for screen readers. Used by the overview's locations card and by report widgets of kind "map".
 */
export function CountryMap(props: {
  data: CountryValue[];
  /** "visitors": what the numbers count, for labels; `unitOne` for a count of 1 ("visitor"). */
  unit: string;
  unitOne?: string;
  onPick?: (code: string) => void;
  caption?: string;
}) {
  const byCode = createMemo(() => new Map(props.data.map((entry) => [entry.code.toUpperCase(), entry.value])));
  const max = createMemo(() => Math.max(0, ...props.data.map((entry) => entry.value)));
  const label = (code: string, value: number) =>
    `${countryName(code)}: ${formatNumber(value)} ${value === 1 && props.unitOne ? props.unitOne : props.unit}`;
  const tiles = Object.entries(COUNTRY_TILES);
  const pick = (code: string, event: Event) => {
    event.preventDefault();
    props.onPick?.(code);
  };

  return (
    <figure class="country-map" data-testid="country-map">
      <svg
        viewBox={`0 0 ${GRID_COLUMNS * TILE} ${GRID_ROWS * TILE}`}
        role="group"
        aria-label={props.caption ?? `Map of ${props.unit} by country`}
      >
        <For each={tiles}>
          {([code, [column, row]]) => {
            const value = () => byCode().get(code) ?? 0;
            const active = () => value() > 0;
            return (
              <g
                class="tile"
                classList={{ active: active(), pickable: active() && !!props.onPick }}
                transform={`translate(${column * TILE} ${row * TILE})`}
                role={active() && props.onPick ? "button" : undefined}
                tabIndex={active() && props.onPick ? 0 : undefined}
                aria-label={active() ? label(code, value()) : undefined}
                aria-hidden={active() ? undefined : "true"}
                data-testid={active() ? "map-country" : undefined}
                data-code={code}
                onClick={(event) => active() && pick(code, event)}
                onKeyDown={(event) => active() && (event.key === "Enter" || event.key === " ") && pick(code, event)}
              >
                <title>{active() ? label(code, value()) : countryName(code)}</title>
                <rect width={TILE - GAP} height={TILE - GAP} rx="1.5" style={{ "--shade": String(shade(value(), max())) }} />
                <text x={(TILE - GAP) / 2} y={(TILE - GAP) / 2} dy="0.35em" text-anchor="middle">
                  {code}
                </text>
              </g>
            );
          }}
        </For>
      </svg>
      <Show when={props.data.length > 0}>
        <table class="sr-only">
          <caption>{props.caption ?? `${props.unit} by country`}</caption>
          <tbody>
            <For each={props.data}>
              {(entry) => (
                <tr>
                  <th scope="row">{countryName(entry.code)}</th>
                  <td>{formatNumber(entry.value)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </figure>
  );
}
