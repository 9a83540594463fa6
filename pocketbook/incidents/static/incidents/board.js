/* The operator board's map: one marker per incident card that has a point; redrawn after each refresh.
   Without tiles (no network) the markers and the list still work. */
(function () {
  "use strict";
  var map = null;
  var layer = null;

  function setUp() {
    var element = document.getElementById("ess-map");
    if (!element || typeof L === "undefined") { return false; }
    map = L.map(element, { zoomControl: true }).setView([7.55, 99.6], 9);
    var url = element.dataset.tileUrl;
    if (url) {
      L.tileLayer(url, { maxZoom: 18, attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    layer = L.layerGroup().addTo(map);
    return true;
  }

  function draw() {
    if (!map && !setUp()) { return; }
    layer.clearLayers();
    var points = [];
    document.querySelectorAll("[data-incident][data-lat]").forEach(function (card) {
      var lat = parseFloat(card.dataset.lat), lng = parseFloat(card.dataset.lng);
      if (isNaN(lat) || isNaN(lng)) { return; }
      var overdue = card.classList.contains("ess-card--overdue");
      var marker = L.circleMarker([lat, lng], {
        radius: 9, weight: 2, color: overdue ? "#b3261e" : "#0b5cab", fillOpacity: 0.6
      });
      var link = document.createElement("a");
      link.href = card.getAttribute("href");
      link.textContent = card.dataset.number + " · " + card.dataset.type;
      marker.bindPopup(link);
      marker.addTo(layer);
      points.push([lat, lng]);
    });
    var element = document.getElementById("ess-map");
    element.dataset.markers = String(points.length);
    if (points.length && !element.dataset.fitted) {
      map.fitBounds(points, { maxZoom: 13, padding: [20, 20] });
      element.dataset.fitted = "1";
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "ess-board-list") { draw(); }
  });
})();
