/* Shared by the network, timeline and map pages: the page's config, API calls, legends, messages. */
"use strict";
const marsad = (() => {
  const config = JSON.parse(document.getElementById("config").textContent);

  function apiUrl(extra) {
    const params = new URLSearchParams(Object.assign({}, config.params, extra || {}));
    for (const [k, v] of [...params]) if (!v) params.delete(k);
    const qs = params.toString();
    return config.api + (qs ? "?" + qs : "");
  }

  async function getJSON(url) {
    const res = await fetch(url, {headers: {Accept: "application/json"}});
    if (!res.ok) throw new Error(url + ": " + res.status);
    return res.json();
  }

  function color(type) { return config.colors[type] || "#757575"; }
  function label(type) { return config.labels[type] || type; }

  function legend(ul, types) {
    ul.replaceChildren(...types.map(t => {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = color(t);
      li.append(sw, label(t));
      return li;
    }));
  }

  function message(container, text, isError) {
    const p = document.createElement("p");
    p.className = isError ? "error" : "empty";
    p.textContent = text;
    container.replaceChildren(p);
    container.dataset.state = isError ? "error" : "empty";
  }

  /* Mark a chart as drawn (the browser test waits for it) with counts of what it shows. */
  function done(container, counts) {
    Object.assign(container.dataset, counts, {state: "ready"});
  }

  return {config, apiUrl, getJSON, color, label, legend, message, done};
})();
