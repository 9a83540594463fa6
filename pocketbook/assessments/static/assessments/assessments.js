// New assessment: take the visit's location from the phone when it allows it (no inline scripts: CSP).
(function () {
  "use strict";
  function fill() {
    var lat = document.querySelector("input[data-gps=lat]");
    var lng = document.querySelector("input[data-gps=lng]");
    var status = document.querySelector("[data-gps-status]");
    if (!lat || !lng || lat.value || !navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
      if (status) { status.textContent = status.getAttribute("data-done") || "✓"; }
    }, function () { /* refused or unavailable: the visit is saved without a location */ }, { timeout: 10000, maximumAge: 600000 });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fill); } else { fill(); }
})();
