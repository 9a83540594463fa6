/* Check-in on the day: scan QR codes with the phone's camera (html5-qrcode), keep scans in localStorage while
   there is no signal and send them when it is back; each answer says who checked in, or who already had. */
(function () {
  "use strict";
  var box, key, scanner = null, recent = {};

  function queue() { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(key, JSON.stringify(items)); showPending(); }
  function showPending() {
    var n = queue().length, el = document.getElementById("vo-pending");
    el.textContent = n ? box.getAttribute("data-msg-pending") + " " + n : "";
  }
  function say(text, kind) {
    var el = document.getElementById("vo-scan-result");
    el.textContent = text;
    el.className = "vo-result vo-result--" + kind;
  }
  function send(item) {
    return fetch(box.getAttribute("data-scan-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.getAttribute("data-csrf") },
      body: JSON.stringify(item)
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    });
  }
  var flushing = false;
  function flush() {
    if (flushing) { return; }
    var items = queue();
    if (!items.length) { return; }
    flushing = true;
    send(items[0]).then(function (answer) {
      save(queue().slice(1));
      say(answer.body.message, answer.status === 200 ? "ok" : "bad");
      document.body.dispatchEvent(new CustomEvent("checked-in"));
      flushing = false;
      flush();
    }, function () {
      flushing = false;
      say(box.getAttribute("data-msg-queued"), "wait");
    });
  }
  function scanned(text) {
    var now = Date.now();
    if (recent[text] && now - recent[text] < 4000) { return; }  // the camera reads one code many times a second
    recent[text] = now;
    var items = queue();
    items.push({ token: text, scanned_at: new Date().toISOString() });
    save(items);
    flush();
  }
  function startCamera() {
    if (typeof Html5Qrcode === "undefined") { say(box.getAttribute("data-msg-camera"), "bad"); return; }
    scanner = new Html5Qrcode("vo-reader");
    scanner.start({ facingMode: "environment" }, { fps: 10, qrbox: 220 }, scanned, function () {}).then(function () {
      box.querySelector("[data-start-camera]").hidden = true;
      box.querySelector("[data-stop-camera]").hidden = false;
    }, function () { say(box.getAttribute("data-msg-camera"), "bad"); });
  }
  function stopCamera() {
    if (!scanner) { return; }
    scanner.stop().then(function () {
      box.querySelector("[data-start-camera]").hidden = false;
      box.querySelector("[data-stop-camera]").hidden = true;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    box = document.getElementById("vo-scanner");
    if (!box) { return; }
    key = "pocketbook-check-in-" + box.getAttribute("data-session");
    box.querySelector("[data-start-camera]").addEventListener("click", startCamera);
    box.querySelector("[data-stop-camera]").addEventListener("click", stopCamera);
    box.querySelector("[data-manual]").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = event.target.querySelector("input[name=token]");
      if (input.value.trim()) { recent = {}; scanned(input.value.trim()); }
      input.value = "";
    });
    window.addEventListener("online", flush);
    setInterval(flush, 10000);
    window.pocketbookCheckIn = { scanned: scanned, flush: flush, queue: queue };
    showPending();
    flush();
  });
})();
