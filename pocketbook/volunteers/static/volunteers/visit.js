/* Visit note: take the phone's position once, when it gives one (optional; the note saves without it). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var lat = document.querySelector("input[data-gps=lat]");
    var lng = document.querySelector("input[data-gps=lng]");
    var status = document.querySelector("[data-gps-status]");
    if (!lat || !lng || lat.value || !navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
      if (status) { status.textContent = status.getAttribute("data-done"); }
    }, function () {}, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
