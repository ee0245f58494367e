// An accessible SVG bar chart of credits spent per day, drawn by hand (no library).
// The SVG is role="img" with a title and a text summary; a table view carries every number.

import { creditCount, credits, fill, h, plural, s } from "./dom.js";

const H = 220;
const PAD = { top: 16, right: 12, bottom: 28, left: 44 };

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** Every day of the window, oldest first, with zeros where nothing was spent. */
export function dailySeries(byDay, days, today = new Date()) {
  const found = new Map(byDay.map((d) => [d.date, d]));
  const out = [];
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (let i = days - 1; i >= 0; i -= 1) {
    const date = isoDay(new Date(end - i * 86400000));
    const d = found.get(date);
    out.push({ date, credits: d ? d.credits : 0, requests: d ? d.requests : 0 });
  }
  return out;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= value) return step * exp;
  return 10 * exp;
}

function shortDate(date) {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
}

export function renderUsageChart(container, byDay, days) {
  // Drawn at the container's own width (text would stretch if the SVG were scaled).
  const W = Math.max(300, Math.round(container.clientWidth || 720));
  const series = dailySeries(byDay, days);
  const total = series.reduce((a, d) => a + d.credits, 0);
  const requests = series.reduce((a, d) => a + d.requests, 0);
  const peak = series.reduce((a, d) => (d.credits > a.credits ? d : a), series[0]);
  const max = niceMax(peak.credits);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / series.length;
  const barW = Math.max(2, slot * 0.68);
  const y = (v) => PAD.top + plotH - (v / max) * plotH;

  const summary =
    total > 0
      ? `${creditCount(total)} over ${plural(requests, "request")} in the last ${days} days; ` +
        `the busiest day was ${shortDate(peak.date)} with ${creditCount(peak.credits)}.`
      : `No credits spent in the last ${days} days.`;

  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    s("g", { class: "chart-grid" },
      s("line", { x1: PAD.left, x2: W - PAD.right, y1: y(max * f), y2: y(max * f) }),
      s("text", { x: PAD.left - 8, y: y(max * f) + 4, "text-anchor": "end" }, credits(max * f)),
    ),
  );
  const bars = series.map((d, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const top = y(d.credits);
    const height = Math.max(d.credits > 0 ? 1.5 : 0, PAD.top + plotH - top);
    return s("rect", {
      class: d.credits > 0 ? "chart-bar" : "chart-bar empty",
      x: x.toFixed(1),
      y: (PAD.top + plotH - height).toFixed(1),
      width: barW.toFixed(1),
      height: height.toFixed(1),
      rx: Math.min(3, barW / 3).toFixed(1),
    }, s("title", {}, `${shortDate(d.date)}: ${creditCount(d.credits)}, ${plural(d.requests, "request")}`));
  });
  const every = Math.ceil(series.length / Math.max(3, Math.floor(W / 110)));
  const labels = series.map((d, i) =>
    (series.length - 1 - i) % every === 0
      ? s("text", { x: PAD.left + i * slot + slot / 2, y: H - 8, "text-anchor": "middle" }, shortDate(d.date))
      : null,
  );
  const id = `${container.id || "chart"}-svg`;
  const svg = s("svg", {
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`,
    id,
    class: "chart-svg",
  },
    s("title", { id: `${id}-title` }, `Credits spent per day, last ${days} days`),
    s("desc", { id: `${id}-desc` }, summary),
    grid,
    s("g", { class: "chart-bars" }, bars),
    s("g", { class: "chart-labels" }, labels),
  );
  fill(container, svg, h("p", { class: "hint chart-summary" }, summary));
  return { series, total, requests };
}

export function renderUsageTable(container, series) {
  const used = series.filter((d) => d.requests > 0 || d.credits > 0);
  if (!used.length) {
    fill(container, h("p", { class: "hint" }, "Nothing used in this window."));
    return;
  }
  fill(container, 
    h("div", { class: "table-wrap" },
      h("table", { class: "table" },
        h("caption", {}, "Usage by day (days without usage are left out)"),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Day"),
          h("th", { scope: "col", class: "num" }, "Requests"),
          h("th", { scope: "col", class: "num" }, "Credits"),
        )),
        h("tbody", {}, used.map((d) => h("tr", {},
          h("th", { scope: "row" }, shortDate(d.date)),
          h("td", { class: "num" }, d.requests),
          h("td", { class: "num" }, credits(d.credits)),
        ))),
      ),
    ),
  );
}
