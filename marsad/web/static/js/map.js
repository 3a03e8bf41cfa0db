/* Places on Syria and the region: the shipped boundaries (static/geo/region.geojson, Natural Earth via
   world-atlas) and /api/places as circles, drawn with d3-geo on SVG. No tiles, no network beyond this server. */
"use strict";
(async () => {
  const box = document.getElementById("map");
  const REGION = [[24, 11], [64, 44]];  // the region the boundaries cover in detail (west-south, east-north)
  const NEAR = [[33.5, 29.3], [48.5, 39.2]];  // Syria and its neighbours: the first view
  let world, places;
  try {
    [world, places] = await Promise.all([marsad.getJSON("/static/geo/region.geojson"),
                                         marsad.getJSON(marsad.apiUrl())]);
  } catch (e) {
    marsad.message(box, "تعذّر تحميل الخريطة: " + e.message, true);
    return;
  }
  // The projection shows the whole region at zoom 1; the first view zooms to Syria and its neighbours.
  const width = box.clientWidth || 800;
  const height = Math.max(380, Math.min(680, Math.round(window.innerHeight * 0.7)));
  const frame = box => ({type: "MultiPoint", coordinates: box});
  const projection = d3.geoMercator().fitExtent([[0, 0], [width, height]], frame(REGION));
  const path = d3.geoPath(projection);
  const inside = f => { const [x, y] = projection(f.geometry.coordinates); return x >= 0 && x <= width && y >= 0 && y <= height; };
  const shown = places.features.filter(inside).sort((a, b) => b.properties.articles - a.properties.articles);
  const outside = places.features.length - shown.length;

  const svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height]).attr("width", "100%")
    .attr("height", height).attr("role", "img").attr("aria-label", "خريطة سوريا والمنطقة");
  svg.append("rect").attr("class", "sea").attr("width", width).attr("height", height);
  const land = svg.append("g");
  land.selectAll("path").data(world.features).join("path")
    .attr("class", f => "country" + (f.properties.name_en === "Syria" ? " syria" : ""))
    .attr("d", path).attr("vector-effect", "non-scaling-stroke")
    .append("title").text(f => f.properties.name);
  const countryLabels = svg.append("g").attr("class", "country-labels");
  const marks = svg.append("g");
  const maxArticles = d3.max(shown, f => f.properties.articles) || 1;
  const r = d3.scaleSqrt().domain([0, maxArticles]).range([3, 20]);

  const dot = marks.selectAll("g").data(shown).join("g").attr("class", "place").style("cursor", "pointer")
    .on("click", (ev, f) => { location.href = "/?place=" + encodeURIComponent(f.properties.key); });
  dot.append("circle").attr("r", f => r(f.properties.articles))
    .attr("class", f => f.properties.events ? "with-events" : "no-events");
  dot.append("title").text(f => `${f.properties.name}${f.properties.name_en ? " · " + f.properties.name_en : ""}\n` +
    `${f.properties.articles} مقالة · ${f.properties.events} حدث`);
  const labels = svg.append("g").attr("class", "place-labels");

  function overlaps(a, list) {
    return list.some(b => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1);
  }
  // Labels only where they fit: biggest places first, a label that would overlap one already placed is left
  // to the tooltip.
  function draw(t) {
    land.attr("transform", t);
    const at = f => t.apply(projection(f.geometry.coordinates));
    dot.attr("transform", f => `translate(${at(f)})`);
    const taken = shown.map(f => { const [x, y] = at(f), rr = r(f.properties.articles);
      return {x0: x - rr, x1: x + rr, y0: y - rr, y1: y + rr}; });
    const placed = [];
    for (const f of shown) {
      const [x, y] = at(f), rr = r(f.properties.articles), w = f.properties.name.length * 7 + 6;
      const box = {x0: x - w / 2, x1: x + w / 2, y0: y + rr + 2, y1: y + rr + 18, f};
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) continue;
      if (overlaps(box, placed)) continue;
      placed.push(box);
    }
    labels.selectAll("text").data(placed, b => b.f.id).join("text").attr("text-anchor", "middle")
      .attr("x", b => (b.x0 + b.x1) / 2).attr("y", b => b.y1 - 4).text(b => b.f.properties.name);
    // Country names where the country is big enough on screen and clear of the places' circles and labels.
    const cl = [];
    for (const f of world.features) {
      const [[a, b], [c, d]] = path.bounds(f);
      if ((c - a) * t.k < 70 || (d - b) * t.k < 30) continue;
      const [cx, cy] = t.apply(path.centroid(f));
      const w = f.properties.name.length * 8 + 6;
      const bx = {x0: cx - w / 2, x1: cx + w / 2, y0: cy - 9, y1: cy + 9, f};
      if (bx.x0 < 0 || bx.x1 > width || bx.y0 < 0 || bx.y1 > height) continue;
      if (overlaps(bx, placed) || overlaps(bx, taken) || overlaps(bx, cl)) continue;
      cl.push(bx);
    }
    countryLabels.selectAll("text").data(cl, b => b.f.id).join("text").attr("text-anchor", "middle")
      .attr("x", b => (b.x0 + b.x1) / 2).attr("y", b => b.y1 - 5).text(b => b.f.properties.name);
  }
  const zoom = d3.zoom().scaleExtent([1, 40]).translateExtent([[0, 0], [width, height]])
    .on("zoom", ev => draw(ev.transform));
  function view(area) {  // the zoom that fits a [[w, s], [e, n]] box
    const [[x0, y1], [x1, y0]] = area.map(projection);
    const k = Math.min(40, 0.92 / Math.max((x1 - x0) / width, (y1 - y0) / height));
    return d3.zoomIdentity.translate(width / 2 - k * (x0 + x1) / 2, height / 2 - k * (y0 + y1) / 2).scale(k);
  }
  svg.call(zoom).call(zoom.transform, view(NEAR));
  const buttons = document.createElement("div");
  buttons.className = "map-views";
  for (const [label, area] of [["سوريا وجوارها", NEAR], ["المنطقة", REGION]]) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", () => svg.transition().duration(600).call(zoom.transform, view(area)));
    buttons.append(b);
  }
  box.before(buttons);

  if (outside) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = `${outside} مكاناً خارج حدود الخريطة (في الجدول أدناه).`;
    box.after(p);
  }
  marsad.done(box, {features: world.features.length, places: shown.length});
})();
