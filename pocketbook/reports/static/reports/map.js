/* The reports map: area circles (sized by households, coloured by the share failing), then the viewer's points
   (households by failed dimensions, incidents by state) in marker clusters. Tiles are optional
   (core/static/js/map-fallback.js): without them the circles and points keep their places. */
(function () {
  "use strict";
  var SHARE_COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  var FAILED_COLOURS = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828"];

  function shareColour(share) {
    if (share === null || share === undefined) { return "#d0d5db"; }
    return SHARE_COLOURS[Math.min(Math.floor(share / 20), SHARE_COLOURS.length - 1)];
  }

  function failedColour(failed) {
    if (failed === null || failed === undefined) { return "#8a949e"; }
    return FAILED_COLOURS[Math.min(failed, FAILED_COLOURS.length - 1)];
  }

  function cluster() {
    return typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 50 }) : L.layerGroup();
  }

  function setUp() {
    var element = document.getElementById("rp-map");
    if (!element || typeof L === "undefined") { return; }
    var map = L.map(element, { maxZoom: 18 }).setView([7.55, 99.6], 9);
    window.PocketbookMap.addTiles(map, element);
    var bounds = [];
    var circles = JSON.parse(document.getElementById("rp-map-circles").textContent || "[]");
    var largest = Math.max.apply(null, [1].concat(circles.map(function (c) { return c.size; })));
    circles.forEach(function (c) {
      L.circleMarker([c.lat, c.lng], {
        radius: 6 + 24 * Math.sqrt(c.size / largest), weight: 1, color: "#5f6b7a",
        fillColor: shareColour(c.share), fillOpacity: 0.55
      }).bindTooltip(c.name + ": " + c.households + (c.share === null ? "" : " · " + c.share + "%")).addTo(map);
      bounds.push([c.lat, c.lng]);
    });
    element.dataset.circles = String(circles.length);
    fetch(element.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { households: [], incidents: [] }; })
      .then(function (data) {
        var households = cluster(), incidents = cluster();
        data.households.forEach(function (p) {
          var label = p[2] === null ? element.dataset.notAssessedLabel : p[2] + " " + element.dataset.householdLabel;
          L.circleMarker([p[0], p[1]], { radius: 6, weight: 1, color: "#333", fillColor: failedColour(p[2]), fillOpacity: 0.9 })
            .bindTooltip(label).addTo(households);
          bounds.push([p[0], p[1]]);
        });
        data.incidents.forEach(function (p) {
          var open = ["received", "acknowledged", "dispatched", "on_scene"].indexOf(p[2]) >= 0;
          var link = document.createElement("a");
          link.href = p[4];
          link.textContent = p[3];
          L.circleMarker([p[0], p[1]], { radius: 7, weight: 2, color: open ? "#b3261e" : "#5f6b7a", fillOpacity: 0.6 })
            .bindPopup(link).addTo(incidents);
          bounds.push([p[0], p[1]]);
        });
        households.addTo(map);
        incidents.addTo(map);
        element.dataset.points = String(data.households.length + data.incidents.length);
        if (bounds.length) { map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] }); }
      });
    if (bounds.length) { map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] }); }
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
