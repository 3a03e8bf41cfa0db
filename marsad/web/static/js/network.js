/* The actor network: /api/network drawn as a force-directed graph (d3-force on SVG). */
"use strict";
(async () => {
  const box = document.getElementById("network");
  const NODE_FILL = {PER: "#bbdefb", ORG: "#e1bee7", LOC: "#c8e6c9"};
  const NODE_STROKE = {PER: "#1565c0", ORG: "#6a1b9a", LOC: "#2e7d32"};
  const UNDIRECTED = new Set(["CONSULT", "AGREE", "COOPERATE"]);
  let data;
  try {
    data = await marsad.getJSON(marsad.apiUrl({limit: 500}));
  } catch (e) {
    marsad.message(box, "تعذّر تحميل الشبكة: " + e.message, true);
    return;
  }
  if (!data.edges.length) {
    marsad.message(box, "لا علاقات تطابق هذه المرشحات.");
    marsad.done(box, {nodes: 0, edges: 0});
    return;
  }
  const width = box.clientWidth || 800;
  // A phone gets a tall graph (portrait), a wide screen a wide one.
  const height = width < 600 ? Math.min(900, Math.round(width * 1.5))
    : Math.max(420, Math.min(720, Math.round(window.innerHeight * 0.7)));
  const nodes = data.nodes.map(n => Object.assign({}, n));
  const byId = new Map(nodes.map(n => [n.id, n]));
  // Several edges between one pair (one per type) are drawn as arcs of different bends.
  const pairCount = new Map();
  const links = data.edges.map(e => {
    const pair = [e.source, e.target].sort().join("\u0000");
    const k = pairCount.get(pair) || 0;
    pairCount.set(pair, k + 1);
    return Object.assign({}, e, {bend: k});
  });
  const radius = n => 5 + 3 * Math.sqrt(n.count || 1);
  const short = s => s.length > 26 ? s.slice(0, 24) + "…" : s;  // the full name is in the tooltip
  const types = [...new Set(links.map(l => l.type))].sort();

  const svg = d3.select(box).append("svg")
    .attr("viewBox", [0, 0, width, height]).attr("width", "100%").attr("height", height)
    .attr("role", "img").attr("aria-label", `${nodes.length} فاعلاً و${links.length} علاقة`);
  const defs = svg.append("defs");
  for (const t of types) {
    defs.append("marker").attr("id", "arrow-" + t).attr("viewBox", "0 -4 8 8").attr("refX", 8)
      .attr("markerWidth", 7).attr("markerHeight", 7).attr("orient", "auto")
      .append("path").attr("d", "M0,-4L8,0L0,4").attr("fill", marsad.color(t));
  }
  const g = svg.append("g");

  const link = g.append("g").attr("fill", "none").selectAll("path").data(links).join("path")
    .attr("class", "edge").attr("stroke", l => marsad.color(l.type))
    .attr("stroke-width", l => 1.2 + Math.sqrt(l.weight)).attr("stroke-opacity", 0.75)
    .attr("marker-end", l => UNDIRECTED.has(l.type) ? null : `url(#arrow-${l.type})`);
  link.append("title").text(l => `${byId.get(l.source).label} — ${marsad.label(l.type)} — ` +
    `${byId.get(l.target).label} (${l.weight})`);

  const node = g.append("g").selectAll("g").data(nodes).join("g").attr("class", "node")
    .style("cursor", "pointer")
    .on("click", (ev, n) => { if (!ev.defaultPrevented) location.href = "/actors/" + encodeURIComponent(n.id); });
  node.append("circle").attr("r", radius).attr("fill", n => NODE_FILL[n.type] || "#eeeeee")
    .attr("stroke", n => NODE_STROKE[n.type] || "#616161").attr("stroke-width", 1.5);
  node.append("text").attr("class", "label").attr("text-anchor", "middle")
    .attr("dy", n => radius(n) + 13).text(n => short(n.label));
  node.append("title").text(n => `${n.label}${n.name_en ? " · " + n.name_en : ""} (${n.count})`);

  // Pulled harder toward the middle line than toward the middle column, so that the layout is as wide as the
  // screen; collision radii leave room for the labels under the nodes.
  const sim = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id(n => n.id).distance(70).strength(0.6))
    .force("charge", d3.forceManyBody().strength(-150).distanceMax(350))
    .force("collide", d3.forceCollide(n => radius(n) + 6 + Math.min(short(n.label).length * 3, 40)).iterations(2))
    .force("x", d3.forceX(width / 2).strength(0.08 * Math.min(1, height / width) ** 2))
    .force("y", d3.forceY(height / 2).strength(0.08 * Math.min(1, width / height) ** 2))
    .stop();
  sim.tick(320);  // lay out before the first paint; dragging restarts it

  function arc(l) {
    const s = l.source, t = l.target;
    const dx = t.x - s.x, dy = t.y - s.y, dist = Math.hypot(dx, dy) || 1;
    const r = radius(t) + 2;
    const tx = t.x - dx / dist * r, ty = t.y - dy / dist * r;  // stop at the target's rim (the arrow shows)
    if (!l.bend) return `M${s.x},${s.y}L${tx},${ty}`;
    const bend = dist * (0.9 / l.bend);
    return `M${s.x},${s.y}A${bend},${bend} 0 0,${l.bend % 2} ${tx},${ty}`;
  }
  function draw() {
    link.attr("d", arc);
    node.attr("transform", n => `translate(${n.x},${n.y})`);
  }
  sim.on("tick", draw);
  draw();
  node.call(d3.drag()
    .on("start", (ev, n) => { if (!ev.active) sim.alphaTarget(0.2).restart(); n.fx = n.x; n.fy = n.y; })
    .on("drag", (ev, n) => { n.fx = ev.x; n.fy = ev.y; })
    .on("end", (ev, n) => { if (!ev.active) sim.alphaTarget(0); n.fx = null; n.fy = null; placeLabels(); }));

  // Fit what was laid out into the view.
  const xs = nodes.map(n => n.x), ys = nodes.map(n => n.y);
  const [x0, x1, y0, y1] = [d3.min(xs) - 60, d3.max(xs) + 60, d3.min(ys) - 40, d3.max(ys) + 50];
  const k = Math.min(1.6, width / (x1 - x0), height / (y1 - y0));
  // Labels keep 12px on screen at any zoom, and show where they fit: the busiest actors first, a label that
  // would overlap one already shown waits for zooming in (every name is also in its node's tooltip).
  const degree = new Map();
  for (const l of links) for (const n of [l.source, l.target]) degree.set(n.id, (degree.get(n.id) || 0) + l.weight);
  const byImportance = nodes.slice().sort((a, b) => (b.count - a.count) || (degree.get(b.id) - degree.get(a.id)));
  const labels = node.selectAll("text.label");
  let current = d3.zoomIdentity;
  function placeLabels() {
    const t = current, shown = new Set(), boxes = [];
    for (const n of byImportance) {
      const x = t.applyX(n.x), y = t.applyY(n.y) + radius(n) * t.k + 2, w = short(n.label).length * 5.4 + 2;
      const b = {x0: x - w / 2, x1: x + w / 2, y0: y + 1, y1: y + 14};
      if (b.x0 < 2 || b.x1 > width - 2 || b.y1 > height) continue;
      if (boxes.some(o => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1)) continue;
      boxes.push(b);
      shown.add(n.id);
    }
    labels.style("display", n => shown.has(n.id) ? null : "none");
  }
  function zoomed(ev) {
    const t = ev.transform, size = 12 / t.k;
    current = t;
    g.attr("transform", t);
    labels.style("font-size", `${size}px`).style("stroke-width", `${3.5 / t.k}px`)
      .attr("dy", n => radius(n) + size + 1);
    placeLabels();
  }
  const zoom = d3.zoom().scaleExtent([0.3, 5]).on("zoom", zoomed);
  svg.call(zoom).call(zoom.transform, d3.zoomIdentity
    .translate(width / 2 - k * (x0 + x1) / 2, height / 2 - k * (y0 + y1) / 2).scale(k));

  marsad.legend(document.getElementById("net-legend"), types);
  marsad.done(box, {nodes: nodes.length, edges: links.length});
})();
