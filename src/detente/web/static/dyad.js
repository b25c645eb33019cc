// The dyad page: draws the trajectory with Plotly and fetches an event's sources on demand.
// Text from the ledger is only ever set with textContent, never parsed as HTML.
"use strict";

const QUADS = [
  ["verbal_cooperation", "verbal cooperation", "#68d391"],
  ["material_cooperation", "material cooperation", "#2f855a"],
  ["verbal_conflict", "verbal conflict", "#fc8181"],
  ["material_conflict", "material conflict", "#c53030"],
];
const QUAD_BY_CLASS = { 1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict", 4: "material_conflict" };

function seriesFromTimeline(timeline) {
  // Used only when the ledger offers no trajectory: one bar per year of events dated to a year or finer.
  const byYear = new Map();
  for (const event of timeline) {
    const date = event.date || {};
    if (!date.start || ["decade", "century", "unknown"].includes(date.precision)) continue;
    const year = date.start.slice(0, 4);
    if (!byYear.has(year)) byYear.set(year, { period: year, start: year + "-01-01", end: year + "-12-31", counts: {}, events: 0, goldstein: 0 });
    const row = byYear.get(year);
    const quad = QUAD_BY_CLASS[event.quad_class];
    row.counts[quad] = (row.counts[quad] || 0) + 1;
    row.events += 1;
    row.goldstein += event.goldstein || 0;
  }
  return [...byYear.values()].sort((a, b) => a.start.localeCompare(b.start))
    .map((row) => ({ ...row, index: row.events ? row.goldstein / row.events : null }));
}

function midpoint(row) {
  const start = new Date(row.start), end = new Date(row.end);
  return new Date((start.getTime() + end.getTime()) / 2).toISOString().slice(0, 10);
}

function drawChart(data) {
  const chart = document.getElementById("chart");
  const series = (data.trajectory && data.trajectory.series) || seriesFromTimeline(data.timeline);
  const x = series.map(midpoint);
  const traces = QUADS.map(([key, name, color]) => ({
    type: "bar", name, x, y: series.map((row) => (row.counts || {})[key] || 0),
    marker: { color }, customdata: series.map((row) => row.period), hovertemplate: "%{customdata}: %{y} " + name + "<extra></extra>",
  }));
  traces.push({
    type: "scatter", mode: "lines+markers", name: "cooperation–conflict index", yaxis: "y2",
    x, y: series.map((row) => row.index), line: { color: "#1a365d" }, connectgaps: false,
    customdata: series.map((row) => row.period), hovertemplate: "%{customdata}: index %{y:.2f}<extra></extra>",
  });
  const phases = data.phases || [];
  const shapes = phases.map((phase, i) => ({
    type: "rect", xref: "x", yref: "paper", x0: phase.start, x1: phase.end, y0: 0, y1: 1, layer: "below", line: { width: 0 },
    fillcolor: (phase.index || 0) >= 0 ? (i % 2 ? "rgba(72,187,120,0.10)" : "rgba(72,187,120,0.18)") : (i % 2 ? "rgba(245,101,101,0.10)" : "rgba(245,101,101,0.18)"),
  }));
  // Full labels would overlap over short phases: each band gets its number and years, on two
  // staggered rows, with the label on hover; the numbered list below the chart has it all.
  const middle = (start, end) => new Date((Date.parse(start) + Date.parse(end)) / 2).toISOString().slice(0, 10);
  const annotations = phases.map((phase, i) => ({
    xref: "x", yref: "paper", x: middle(phase.start, phase.end), y: i % 2 ? 1.07 : 1, xanchor: "center",
    yanchor: "bottom", showarrow: false, font: { size: 10 },
    text: `${i + 1}. ${String(phase.start).slice(0, 4)}–${String(phase.end).slice(0, 4)}`,
    hovertext: String(phase.label || "").replace(/[<>&]/g, ""),
  }));
  const layout = {
    barmode: "stack", margin: { t: 60, r: 60, b: 40, l: 50 }, shapes, annotations, legend: { orientation: "h", y: -0.15 },
    yaxis: { title: { text: "events" } },
    yaxis2: { title: { text: "index" }, overlaying: "y", side: "right", zeroline: true, zerolinecolor: "#a0aec0" },
    xaxis: { type: "date" },
  };
  Plotly.newPlot(chart, traces, layout, { displaylogo: false, responsive: true }).then(() => chart.setAttribute("data-rendered", "true"));
  chart.on("plotly_click", (event) => {
    // Jump to the first timeline event of the clicked period.
    const period = event.points[0] && series[event.points[0].pointIndex];
    if (!period) return;
    const first = [...document.querySelectorAll("li.event")].find((li) => li.dataset.start && li.dataset.start >= period.start && li.dataset.start <= period.end);
    if (first) first.scrollIntoView({ behavior: "smooth", block: "center" });
  });
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function showSources(button) {
  const item = button.closest("li.event");
  const panel = item.querySelector(".sources");
  if (!panel.hidden) { panel.hidden = true; return; }
  panel.replaceChildren(element("p", "loading…", "muted"));
  panel.hidden = false;
  const response = await fetch("/api/events/" + encodeURIComponent(button.dataset.eventId));
  const body = await response.json();
  if (!response.ok) { panel.replaceChildren(element("p", body.detail || "could not load the sources", "error-message")); return; }
  const nodes = body.mentions.map((mention) => {
    const block = element("div", null, "source");
    const link = element("a", mention.doc_title || mention.doc_name);
    link.href = "/documents/" + encodeURIComponent(mention.doc_id) + "#s" + mention.sentence;
    const where = element("span", " published " + ((mention.published || {}).value || "?") + " · sentence " + mention.sentence, "muted");
    const quote = element("blockquote", null, "context");
    for (const sentence of mention.context || []) {
      quote.append(element(sentence.current ? "mark" : "span", sentence.text, sentence.current ? "reported" : ""), " ");
    }
    block.append(link, where, quote);
    return block;
  });
  panel.replaceChildren(...nodes);
}

document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dyad-data");
  if (!source) return;
  drawChart(JSON.parse(source.textContent));
  document.querySelectorAll("button.show-sources").forEach((button) => button.addEventListener("click", () => showSources(button)));
});
