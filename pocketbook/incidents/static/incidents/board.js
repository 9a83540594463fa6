/* The operator board's map: one marker per incident card that has a point; redrawn after each refresh.
   Without tiles (no network) the map says so, keeps the markers and adds a circle per subdistrict
   (core/static/js/map-fallback.js); the list works in any case. */
(function () {
  "use strict";
  var map = null;
  var layer = null;
  var areas = null;

  function setUp() {
    var element = document.getElementById("ess-map");
    if (!element || typeof L === "undefined") { return false; }
    map = L.map(element, { zoomControl: true }).setView([7.55, 99.6], 9);
    layer = L.layerGroup().addTo(map);
    areas = L.layerGroup().addTo(map);
    element.addEventListener("pocketbook:no-tiles", drawAreas);
    if (window.PocketbookMap) {
      window.PocketbookMap.addTiles(map, element);
    } else if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 18, attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    return true;
  }

  /* Without tiles: one circle per subdistrict at the middle of its incidents, sized by how many are open there,
     so the operator still sees where the load is. */
  function drawAreas() {
    var element = document.getElementById("ess-map");
    if (!map || element.dataset.tiles !== "failed") { return; }
    areas.clearLayers();
    var groups = {};
    document.querySelectorAll("[data-incident][data-lat]").forEach(function (card) {
      var lat = parseFloat(card.dataset.lat), lng = parseFloat(card.dataset.lng);
      if (isNaN(lat) || isNaN(lng)) { return; }
      var key = card.dataset.area || "?";
      var group = groups[key] || (groups[key] = { lat: 0, lng: 0, count: 0 });
      group.lat += lat; group.lng += lng; group.count += 1;
    });
    var drawn = 0;
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      var centre = [group.lat / group.count, group.lng / group.count];
      L.circleMarker(centre, {
        radius: 10 + 6 * Math.sqrt(group.count), weight: 1, color: "#5f6b7a", fillColor: "#c9d3de", fillOpacity: 0.5
      }).bindTooltip(String(group.count), { permanent: true, direction: "center", className: "map__count" }).addTo(areas);
      drawn += 1;
    });
    element.dataset.areas = String(drawn);
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
    drawAreas();
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "ess-board-list") { draw(); }
  });
})();
