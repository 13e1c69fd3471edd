const WIDTH = 96;
const HEIGHT = 24;

/** A small line of daily values, scaled to its own peak; the numbers beside it say the size. */
export function Sparkline(props: { values: number[]; label: string }) {
  const points = () => {
    const peak = Math.max(1, ...props.values);
    const step = WIDTH / Math.max(1, props.values.length - 1);
    return props.values.map((value, i) => `${(i * step).toFixed(1)},${(HEIGHT - 1 - (value / peak) * (HEIGHT - 2)).toFixed(1)}`).join(" ");
  };
  return (
    <svg class="sparkline" data-testid="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.label}>
      <polyline points={points()} fill="none" stroke="var(--accent)" stroke-width="1.5" stroke-linejoin="round" />
    </svg>
  );
}
