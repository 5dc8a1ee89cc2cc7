/* Draws every chart of the page with the local vega bundle and the de-DE locale; keeps the static
   SVG when drawing fails. Faceted charts cannot fill a container in Vega-Lite: their panels get
   the container's width (usermeta.fit) before they are drawn, and again when the width changes. */
(function () {
  "use strict";
  var LOCALE = JSON.parse(document.getElementById("chart-locale").textContent);
  var MIN_PANEL = 160;
  window.__views = window.__views || {};

  function sized(spec, width) {
    var fit = spec.usermeta && spec.usermeta.fit;
    if (!fit) { return spec; }
    var copy = JSON.parse(JSON.stringify(spec));
    var node = copy;
    for (var i = 0; i < fit.path.length - 1; i += 1) { node = node[fit.path[i]]; }
    node[fit.path[fit.path.length - 1]] = Math.max(MIN_PANEL, Math.floor(width) - fit.reserve);
    return copy;
  }

  function draw(el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
    var live = el.querySelector(".chart-live");
    var width = live.clientWidth;
    el.setAttribute("data-width", String(width));
    if (window.__views[el.id]) { window.__views[el.id].finalize(); }
    return window.vegaEmbed(live, sized(spec, width), {
      mode: "vega-lite", actions: false, renderer: "svg", formatLocale: LOCALE.number, timeFormatLocale: LOCALE.time
    }).then(function (result) {
      el.classList.add("is-live");
      el.setAttribute("data-rendered", "true");
      window.__views[el.id] = result.view;
    }).catch(function (error) {
      if (!el.querySelector("img.chart-fallback")) {
        var img = document.createElement("img");
        img.className = "chart-fallback";
        img.src = el.getAttribute("data-fallback");
        img.alt = spec.description || "";
        el.insertBefore(img, live);
      }
      el.setAttribute("data-rendered", "error");
      console.error("chart " + el.id + ": " + error);
    });
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[data-spec]"));
  charts.forEach(draw);

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      charts.forEach(function (el) {
        var spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
        var width = el.querySelector(".chart-live").clientWidth;
        if (spec.usermeta && spec.usermeta.fit && String(width) !== el.getAttribute("data-width")) { draw(el); }
      });
    }, 150);
  });
})();
