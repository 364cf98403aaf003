// Draws a chart's bars with Chart.js, offline and under the window's CSP (Chart.js draws on a
// canvas and sets only CSSOM properties, never a style attribute or a stylesheet). Only the bar
// controller and the scales it uses are registered, so the rest of the library is left out of
// the bundle. Every bar carries its value as text, so the chart reads without colour; the same
// numbers are in a table beside it.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, type Plugin } from 'chart.js';
import { axisLayout, type Bar } from './charts';
import { formatCount } from './dates';
import type { Lang } from './i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

/** The families the page's own stylesheet loads (styles/fonts.css), so the chart's text matches it. */
const LATIN = "system-ui, 'Noto Sans', 'DejaVu Sans', sans-serif";
const URDU = `'Gawahi Naskh', ${LATIN}`;

/**
 * Waits for the Urdu face before drawing: a canvas draws with whatever face is loaded at that
 * moment and never redraws when the font arrives, so an Urdu chart drawn too early keeps a
 * fallback face with unjoined letters.
 */
export async function fontsReady(lang: Lang): Promise<void> {
  if (lang !== 'ur' || !('fonts' in document)) return;
  try {
    await document.fonts.load("16px 'Gawahi Naskh'", 'گواہی');
  } catch {
    // Drawn with the fallback face: the numbers and the table beside are still right.
  }
}

/** The longest bar label drawn whole, in characters. */
const MAX_LABEL = 26;

/** Fills the canvas white first, so that a saved PNG has the same background as the page. */
const whiteBackground: Plugin<'bar'> = {
  id: 'gawahiBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Writes each bar's count at its end, in the language's digits. */
function valueLabels(lang: Lang): Plugin<'bar'> {
  const layout = axisLayout(lang);
  return {
    id: 'gawahiValues',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const meta = chart.getDatasetMeta(0);
      const data = chart.data.datasets[0]?.data ?? [];
      ctx.save();
      ctx.fillStyle = '#1b1b1b';
      ctx.font = `13px ${lang === 'ur' ? URDU : LATIN}`;
      ctx.textBaseline = 'middle';
      ctx.textAlign = layout.valueAlign;
      meta.data.forEach((bar, i) => {
        const n = Number(data[i] ?? 0);
        const gap = layout.valueAlign === 'left' ? 4 : -4;
        ctx.fillText(formatCount(n, lang), bar.x + gap, bar.y);
      });
      ctx.restore();
    },
  };
}

/** Draws `bars` on `canvas` as horizontal bars, laid out for `lang`; `title` names the chart for assistive technology. */
export function drawBars(canvas: HTMLCanvasElement, bars: readonly Bar[], lang: Lang, title: string): Chart<'bar'> {
  const layout = axisLayout(lang);
  const family = lang === 'ur' ? URDU : LATIN;
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: bars.map((b) => b.label),
      datasets: [{ label: title, data: bars.map((b) => b.count), backgroundColor: '#2f5d8a', borderWidth: 0, maxBarThickness: 28 }],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: lang === 'ur' ? 'ur-PK' : 'en-GB',
      font: { family, size: 13 },
      layout: { padding: { left: 8, right: 8 } },
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        y: {
          type: 'category',
          position: layout.labelSide,
          grid: { display: false },
          ticks: {
            font: { family, size: 13 },
            color: '#1b1b1b',
            // A long label is cut with an ellipsis rather than clipped at the canvas's edge; the
            // table under the chart has it whole.
            callback(value) {
              const label = this.getLabelForValue(Number(value));
              return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
            },
          },
        },
        x: {
          type: 'linear',
          position: 'bottom',
          reverse: layout.valueReversed,
          beginAtZero: true,
          // Room past the longest bar for its value label.
          grace: '12%',
          ticks: { precision: 0, font: { family, size: 12 }, color: '#444444', callback: (v) => formatCount(Number(v), lang) },
        },
      },
    },
    plugins: [whiteBackground, valueLabels(lang)],
  });
}

/** The chart as PNG bytes, as drawn. */
export async function pngOf(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the chart could not be drawn as an image');
  return new Uint8Array(await blob.arrayBuffer());
}
