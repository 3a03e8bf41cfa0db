/* Events per day or week, stacked by PLOVER type: /api/timeline drawn as bars (d3 on SVG). Long stretches
   without events are shown as one narrow break, so that a few distant events do not flatten the rest. */
"use strict";
(async () => {
  const box = document.getElementById("timeline");
  const MAX_FILL = 21;  // gaps up to this many empty days/weeks are drawn as empty slots; longer ones as a break
  let data;
  try {
    data = await marsad.getJSON(marsad.apiUrl());
  } catch (e) {
    marsad.message(box, "تعذّر تحميل الخط الزمني: " + e.message, true);
    return;
  }
  const types = Object.keys(data.series).sort();
  const counts = new Map();  // date -> {type: n}
  for (const t of types) for (const r of data.series[t]) {
    const row = counts.get(r.date) || {};
    row[t] = r.count;
    counts.set(r.date, row);
  }
  if (!counts.size) {
    marsad.message(box, "لا أحداث مؤرخة تطابق هذه المرشحات.");
    marsad.done(box, {bars: 0, buckets: 0});
    return;
  }
  const step = data.interval === "week" ? 7 : 1;
  const day = 864e5;
  const dates = [...counts.keys()].sort();
  const buckets = [];
  dates.forEach((d, i) => {
    if (i) {
      const prev = Date.parse(dates[i - 1]), cur = Date.parse(d);
      const missing = Math.round((cur - prev) / day / step) - 1;
      if (missing > MAX_FILL) buckets.push({key: "gap" + i, gap: true, days: Math.round((cur - prev) / day)});
      else for (let j = 1; j <= missing; j++) {
        const iso = new Date(prev + j * step * day).toISOString().slice(0, 10);
        buckets.push({key: iso, date: iso});
      }
    }
    buckets.push({key: d, date: d});
  });
  for (const b of buckets) for (const t of types) b[t] = (!b.gap && counts.get(b.date)?.[t]) || 0;

  const width = box.clientWidth || 800;
  const height = Math.max(300, Math.min(460, Math.round(window.innerHeight * 0.55)));
  const margin = {top: 12, right: 16, bottom: 52, left: 36};
  const x = d3.scaleBand().domain(buckets.map(b => b.key)).range([margin.left, width - margin.right])
    .paddingInner(0.15).paddingOuter(0.1);
  const maxY = d3.max(buckets, b => d3.sum(types, t => b[t])) || 1;
  const y = d3.scaleLinear().domain([0, maxY]).nice().range([height - margin.bottom, margin.top]);
  const series = d3.stack().keys(types)(buckets);
  const barWidth = Math.min(x.bandwidth(), 56);

  const svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("width", "100%")
    .attr("height", height).attr("direction", "ltr").attr("role", "img")
    .attr("aria-label", `عدد الأحداث حسب ${data.interval === "week" ? "الأسبوع" : "اليوم"} والنوع`);
  svg.append("g").attr("class", "grid").attr("transform", `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(Math.min(maxY, 6)).tickFormat(d3.format("d")).tickSize(-(width - margin.left - margin.right)))
    .call(g => g.select(".domain").remove());
  svg.append("g").selectAll("g").data(series).join("g").attr("fill", s => marsad.color(s.key))
    .selectAll("rect").data(s => s.map(v => Object.assign(v, {type: s.key})).filter(v => v[1] > v[0])).join("rect")
    .attr("class", "bar").attr("x", v => x(v.data.key) + (x.bandwidth() - barWidth) / 2).attr("width", barWidth)
    .attr("y", v => y(v[1])).attr("height", v => y(v[0]) - y(v[1]))
    .append("title").text(v => `${v.data.date}: ${marsad.label(v.type)} ${v[1] - v[0]}`);

  const gaps = buckets.filter(b => b.gap);
  svg.append("g").selectAll("g").data(gaps).join("g").attr("class", "gap")
    .attr("transform", b => `translate(${x(b.key) + x.bandwidth() / 2},0)`)
    .call(g => g.append("line").attr("y1", margin.top).attr("y2", height - margin.bottom))
    .call(g => g.append("text").attr("y", height - margin.bottom + 16).attr("text-anchor", "middle").text("⋯"))
    .append("title").text(b => `${b.days} يوماً بلا أحداث`);

  // Date labels: as many as fit, each at least 56px apart, never on a break; the year under the first of each.
  const labelled = [];
  let lastX = -Infinity, lastYear = null;
  for (const b of buckets) {
    if (b.gap) { lastX = x(b.key); continue; }
    if (x(b.key) - lastX < 56) continue;
    labelled.push({b, year: b.date.slice(0, 4) !== lastYear ? b.date.slice(0, 4) : null});
    lastX = x(b.key);
    lastYear = b.date.slice(0, 4);
  }
  const axis = svg.append("g").attr("class", "xaxis");
  axis.append("line").attr("x1", margin.left).attr("x2", width - margin.right)
    .attr("y1", height - margin.bottom).attr("y2", height - margin.bottom);
  const tick = axis.selectAll("g").data(labelled).join("g")
    .attr("transform", l => `translate(${x(l.b.key) + x.bandwidth() / 2},${height - margin.bottom})`);
  tick.append("line").attr("y2", 5);
  tick.append("text").attr("y", 18).attr("text-anchor", "middle")
    .text(l => `${+l.b.date.slice(8, 10)}/${+l.b.date.slice(5, 7)}`);
  tick.filter(l => l.year).append("text").attr("class", "year").attr("y", 34).attr("text-anchor", "middle")
    .text(l => l.year);

  marsad.legend(document.getElementById("tl-legend"), types);
  marsad.done(box, {bars: svg.selectAll("rect.bar").size(), buckets: buckets.length});
})();
