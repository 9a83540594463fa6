/* A Leaflet map that still means something when its tiles cannot be loaded (an office or a village often has
   no route to a tile server): the tile layer is dropped, the map gets a plain grid background and a notice, and
   the page is told (a "pocketbook:no-tiles" event on the map's element) so it can draw its areas as circles.
   Used by the operator board (incidents) and the reports maps. */
(function () {
  "use strict";
  var WAIT_MS = 6000;

  function noTiles(map, element, layer) {
    if (element.dataset.tiles === "failed") { return; }
    element.dataset.tiles = "failed";
    if (layer && map.hasLayer(layer)) { map.removeLayer(layer); }
    element.classList.add("map--no-tiles");
    var notice = document.createElement("p");
    notice.className = "map__notice";
    notice.setAttribute("role", "status");
    notice.textContent = element.dataset.noTilesText || "Map tiles could not be loaded: positions only.";
    element.parentNode.insertBefore(notice, element.nextSibling);
    element.dispatchEvent(new CustomEvent("pocketbook:no-tiles", { bubbles: true }));
  }

  /* Add the tile layer named by element.dataset.tileUrl; fall back when it is empty or no tile arrives. */
  function addTiles(map, element) {
    var url = element.dataset.tileUrl;
    if (!url) { noTiles(map, element, null); return null; }
    var loaded = 0, failed = 0;
    var layer = L.tileLayer(url, { maxZoom: 18, attribution: element.dataset.tileAttribution || "" });
    layer.on("tileload", function () { loaded += 1; element.dataset.tiles = "ok"; });
    layer.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 2) { noTiles(map, element, layer); }
    });
    layer.addTo(map);
    window.setTimeout(function () { if (!loaded) { noTiles(map, element, layer); } }, WAIT_MS);
    return layer;
  }

  window.PocketbookMap = { addTiles: addTiles, noTiles: noTiles };
})();
