import { useI18n } from '../i18n/i18n.tsx';

export interface PlotPoint {
  id: string;
  /** The number the list shows beside the same site. */
  number: number;
  lat: number;
  lon: number;
  free: boolean;
  name: string;
}

const WIDTH = 340;
const HEIGHT = 240;
const PADDING = 24;
const RADIUS = 11;
/** Markers closer than this are pushed apart (two garages at one station stay readable). */
const MIN_GAP = 2 * RADIUS + 2;

/**
 * Where the sites lie relative to each other, drawn without any tile server: positions in
 * an equirectangular projection scaled by cos(latitude), numbered like the list beside it.
 * The list is the accessible form; the plot is one labelled image.
 */
export function SitePlot({
  points,
  here,
}: {
  points: PlotPoint[];
  here?: { lat: number; lon: number } | null;
}) {
  const { t } = useI18n();
  const all = [...points, ...(here ? [{ ...here }] : [])];
  if (all.length === 0) return null;
  const meanLat = all.reduce((sum, p) => sum + p.lat, 0) / all.length;
  const kx = Math.cos((meanLat * Math.PI) / 180);
  const xs = all.map((p) => p.lon * kx);
  const ys = all.map((p) => p.lat);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // One scale for both axes keeps distances true; a lone point sits in the middle.
  const span = Math.max(maxX - minX, maxY - minY, 1e-3);
  const scale = Math.min((WIDTH - 2 * PADDING) / span, (HEIGHT - 2 * PADDING) / span);
  const offsetX = (WIDTH - (maxX - minX) * scale) / 2;
  const offsetY = (HEIGHT - (maxY - minY) * scale) / 2;
  const project = (lat: number, lon: number) => ({
    x: offsetX + (lon * kx - minX) * scale,
    y: HEIGHT - (offsetY + (lat - minY) * scale),
  });

  return (
    <figure class="plot">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="plot-title plot-desc"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="plot-title">{t.find.plotTitle}</title>
        <desc id="plot-desc">{t.find.plotDescription(points.length)}</desc>
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} class="plot-bg" />
        {here &&
          (() => {
            const p = project(here.lat, here.lon);
            return <circle cx={p.x} cy={p.y} r="5" class="plot-here" />;
          })()}
        {spread(points.map((point) => project(point.lat, point.lon))).map((p, index) => {
          const point = points[index]!;
          return (
            <g key={point.id} class={point.free ? 'plot-site free' : 'plot-site full'}>
              <circle cx={p.x} cy={p.y} r={RADIUS} />
              <text x={p.x} y={p.y} dy="0.35em" text-anchor="middle">
                {point.number}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{t.find.plotTitle}</figcaption>
    </figure>
  );
}

/** Moves each marker that would cover an earlier one outwards on a spiral until it is clear. */
function spread(positions: { x: number; y: number }[]): { x: number; y: number }[] {
  const placed: { x: number; y: number }[] = [];
  for (const base of positions) {
    let p = base;
    for (let k = 1; k <= 24 && placed.some((q) => Math.hypot(q.x - p.x, q.y - p.y) < MIN_GAP); k++) {
      const angle = k * 2.4; // the golden angle keeps successive tries apart
      const distance = MIN_GAP * (0.6 + k / 6);
      p = {
        x: Math.min(WIDTH - RADIUS, Math.max(RADIUS, base.x + Math.cos(angle) * distance)),
        y: Math.min(HEIGHT - RADIUS, Math.max(RADIUS, base.y + Math.sin(angle) * distance)),
      };
    }
    placed.push(p);
  }
  return placed;
}
