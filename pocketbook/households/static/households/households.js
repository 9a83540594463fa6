/* Fill the household's position from the phone's GPS, when the browser can. */
(function () {
  "use strict";
  function init() {
    var button = document.querySelector("[data-gps-button]");
    if (!button || !navigator.geolocation) { return; }
    var lat = document.querySelector("[data-gps=lat]");
    var lng = document.querySelector("[data-gps=lng]");
    var status = document.querySelector("[data-gps-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "…";
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        status.textContent = "±" + Math.round(position.coords.accuracy) + " m";
      }, function (error) {
        status.textContent = error.message;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
