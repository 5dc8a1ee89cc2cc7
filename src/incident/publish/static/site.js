/* Draws every chart of the page with the local vega bundle and the de-DE locale; keeps the static
   SVG when drawing fails. The Ablauf becomes a vertical timeline in a narrow column (usermeta.timeline). Faceted charts cannot fill a container in Vega-Lite: their panels get
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

  /* The Ablauf below usermeta.timeline.below px: a vertical list of each platform-day with its bounds in
     words and small marks, from the same rows as the wide chart. Text goes in as text, never as HTML. */
  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text) { n.textContent = text; }
    return n;
  }

  function timeline(live, data) {
    var list = node("ol", "ablauf-timeline");
    data.days.forEach(function (day) {
      var item = node("li", "tl-day");
      item.appendChild(node("p", "tl-date", day.day));
      var rows = node("ul", "tl-rows");
      day.rows.forEach(function (row) {
        var li = node("li", "tl-row");
        li.appendChild(node("p", "tl-head", row.state ? row.platform + ": " + row.state : row.platform));
        var track = node("div", "tl-track");
        track.setAttribute("aria-hidden", "true");
        row.marks.forEach(function (m) {
          var mark = node("span", "tl-mark tl-" + m.part + (m.cap_start ? " tl-cap-start" : "") + (m.cap_end ? " tl-cap-end" : ""));
          mark.style.left = m.from + "%";
          mark.style.width = Math.max(0, m.to - m.from) + "%";
          track.appendChild(mark);
        });
        li.appendChild(track);
        row.lines.forEach(function (line) {
          var p = node("p", "tl-edge", line.text);
          if (line.said) { p.appendChild(node("span", "tl-said", line.said)); }
          li.appendChild(p);
        });
        rows.appendChild(li);
      });
      item.appendChild(rows);
      list.appendChild(item);
    });
    live.textContent = "";
    live.appendChild(list);
  }

  function draw(el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
    var live = el.querySelector(".chart-live");
    var width = live.clientWidth;
    el.setAttribute("data-width", String(width));
    if (window.__views[el.id]) { window.__views[el.id].finalize(); delete window.__views[el.id]; }
    var narrow = spec.usermeta && spec.usermeta.timeline;
    if (narrow && width < narrow.below) {
      timeline(live, narrow);
      el.classList.add("is-live");
      el.setAttribute("data-mode", "timeline");
      el.setAttribute("data-rendered", "true");
      return Promise.resolve();
    }
    live.textContent = "";
    el.setAttribute("data-mode", "chart");
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
        var meta = spec.usermeta || {};
        if ((meta.fit || meta.timeline) && String(width) !== el.getAttribute("data-width")) { draw(el); }
      });
    }, 150);
  });
})();
