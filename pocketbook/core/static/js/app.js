/* Pocketbook's small script: the area picker. No framework, works on slow phones. */
(function () {
  "use strict";
  var LEVELS = ["province", "district", "subdistrict", "village"];
  var API = "/api/v1/areas";

  function getJSON(url) {
    var headers = { Accept: "application/json", "Accept-Language": document.documentElement.lang || "th" };
    return fetch(url, { credentials: "same-origin", headers: headers }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  function AreaPicker(root) {
    this.root = root;
    this.hidden = root.querySelector("input[type=hidden]");
    this.chosen = root.querySelector(".area-picker__chosen");
    this.search = root.querySelector(".area-picker__search");
    this.results = root.querySelector(".area-picker__results");
    this.levels = root.querySelector(".area-picker__levels");
    this.deepest = LEVELS.indexOf(root.dataset.deepest || "village");
    this.shallowest = LEVELS.indexOf(root.dataset.shallowest || "province");
    this.timer = null;
    var self = this;
    this.search.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.runSearch(); }, 300);
    });
    var ancestors = (root.dataset.ancestors || "").split(",").filter(Boolean);
    this.buildChain(ancestors);
    if (this.search.value.trim()) { this.runSearch(); }  // typed before the script was ready
  }

  AreaPicker.prototype.label = function (level) { return this.levels.dataset["label" + level.charAt(0).toUpperCase() + level.slice(1)]; };

  AreaPicker.prototype.setValue = function (area) {
    var level = area ? LEVELS.indexOf(area.level) : -1;
    var allowed = area && level >= this.shallowest && level <= this.deepest;
    this.hidden.value = allowed ? area.code : "";
    this.chosen.textContent = area ? (area.name + (area.path ? " — " + area.path : "")) : "";
    this.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  };

  AreaPicker.prototype.addSelect = function (levelIndex, parentCode, selectedCode) {
    var self = this;
    var url = parentCode ? API + "/" + parentCode + "/children" : API + "/children";
    return getJSON(url).then(function (areas) {
      if (!areas.length) { return null; }
      var wrap = document.createElement("label");
      wrap.className = "area-picker__level";
      wrap.textContent = self.label(LEVELS[levelIndex]);
      var select = document.createElement("select");
      select.dataset.level = levelIndex;
      var first = document.createElement("option");
      first.value = ""; first.textContent = self.levels.dataset.choose;
      select.appendChild(first);
      areas.forEach(function (a) {
        var o = document.createElement("option");
        o.value = a.code; o.textContent = a.name; o.selected = a.code === selectedCode;
        o._area = a;
        select.appendChild(o);
      });
      select.addEventListener("change", function () { self.onSelect(select); });
      wrap.appendChild(select);
      self.levels.appendChild(wrap);
      return select;
    });
  };

  AreaPicker.prototype.removeBelow = function (levelIndex) {
    Array.prototype.slice.call(this.levels.querySelectorAll("select")).forEach(function (s) {
      if (Number(s.dataset.level) > levelIndex) { s.parentNode.remove(); }
    });
  };

  AreaPicker.prototype.onSelect = function (select) {
    var levelIndex = Number(select.dataset.level);
    this.removeBelow(levelIndex);
    var option = select.options[select.selectedIndex];
    if (!option.value) {
      var parent = this.levels.querySelector("select[data-level='" + (levelIndex - 1) + "']");
      this.setValue(parent ? parent.options[parent.selectedIndex]._area : null);
      return;
    }
    this.setValue(option._area);
    if (levelIndex < this.deepest) { this.addSelect(levelIndex + 1, option.value, null); }
  };

  AreaPicker.prototype.buildChain = function (ancestors) {
    var self = this;
    this.levels.innerHTML = "";
    var chain = Promise.resolve();
    var depth = Math.min(ancestors.length, this.deepest);
    for (var i = 0; i <= depth; i++) {
      (function (index) {
        chain = chain.then(function () { return self.addSelect(index, index ? ancestors[index - 1] : "", ancestors[index]); });
      })(i);
    }
    chain.catch(function () { /* offline: the search box and the hidden code still work */ });
  };

  AreaPicker.prototype.runSearch = function () {
    var self = this;
    var q = this.search.value.trim();
    this.results.innerHTML = "";
    if (!q) { return; }
    getJSON(API + "/search?limit=8&q=" + encodeURIComponent(q)).then(function (areas) {
      self.results.innerHTML = "";
      areas = areas.filter(function (a) { var l = LEVELS.indexOf(a.level); return l >= self.shallowest && l <= self.deepest; });
      if (!areas.length) {
        var li = document.createElement("li"); li.className = "muted"; li.textContent = self.levels.dataset.none;
        self.results.appendChild(li); return;
      }
      areas.forEach(function (a) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button"; b.className = "area-picker__result";
        b.textContent = a.name + (a.path ? " — " + a.path : "");
        b.addEventListener("click", function () {
          self.setValue(a); self.results.innerHTML = ""; self.search.value = "";
          self.buildChain(a.ancestors);
        });
        li.appendChild(b); self.results.appendChild(li);
      });
    }).catch(function () { /* keep what is there */ });
  };

  function init(scope) {
    Array.prototype.slice.call((scope || document).querySelectorAll("[data-area-picker]")).forEach(function (el) {
      if (!el._picker) { el._picker = new AreaPicker(el); }
    });
  }
  // The site menu shows every entry from 720 px by CSS (::details-content); an older browser gets it opened here.
  function openWideMenu() {
    var menu = document.querySelector(".mainnav__menu");
    var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
    if (menu && !styled && window.matchMedia("(min-width: 720px)").matches) { menu.open = true; }
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); openWideMenu(); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
  window.Pocketbook = { initAreaPickers: init };
})();
