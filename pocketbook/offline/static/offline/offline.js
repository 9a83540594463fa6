/* Pocketbook offline: the caseload kept in IndexedDB (idb, ISC), the outbox, and the offline app's screens.
   On every page of a field worker: register the service worker, keep the caseload fresh, send the outbox.
   On the offline app's page (/offline/, also what the service worker answers without a signal): draw My
   households, a household, the forms and the outbox from the phone. Texts come translated from the page. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("offline-config").textContent);
  const T = JSON.parse(document.getElementById("offline-texts").textContent);
  const appTexts = document.getElementById("offline-texts-app"); // the offline app's own words, on its page only
  if (appTexts) Object.assign(T, JSON.parse(appTexts.textContent));
  const DAY = 86400000;
  const CASELOAD_FRESH_MS = 10 * 60 * 1000;
  const app = document.getElementById("offline-app");

  function t(key, params) {
    let text = T[key] || key;
    for (const name in params || {}) text = text.replace("{" + name + "}", params[name]);
    return text;
  }
  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  // Numbers as Thai users write them: "5,000", "๕๐๐๐", "5 000 บาท" all read as 5000.
  function parseNumber(text) {
    const plain = String(text == null ? "" : text)
      .replace(/[๐-๙]/g, (d) => String("๐๑๒๓๔๕๖๗๘๙".indexOf(d)))
      .replace(/บาท|baht/gi, "")
      .replace(/[,\s\u00a0]/g, "");
    if (plain === "") return null;
    return /^\d+(\.\d+)?$/.test(plain) ? Number(plain) : NaN;
  }
  window.pocketbookParseNumber = parseNumber;

  // --- the phone's store ---------------------------------------------------------------------
  const DB_NAME = "pocketbook-offline";
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = idb.openDB(DB_NAME, 1, {
        upgrade(database) {
          database.createObjectStore("households", { keyPath: "id" });
          database.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
          database.createObjectStore("meta");
        },
      });
    }
    return dbPromise;
  }
  async function meta(key, value) {
    const database = await db();
    if (value === undefined) return database.get("meta", key);
    return database.put("meta", value, key);
  }
  async function wipe() {
    if (dbPromise) (await dbPromise).close();
    dbPromise = null;
    await idb.deleteDB(DB_NAME);
  }
  async function deviceId() {
    let id = await meta("device");
    if (!id) {
      id = crypto.randomUUID();
      await meta("device", id);
    }
    return id;
  }
  async function outboxAll() {
    return (await db()).getAll("outbox");
  }
  async function outboxAdd(kind, payload, label, householdId) {
    const item = { id: crypto.randomUUID(), kind, payload, label, household_id: householdId || null, status: "waiting", message: "", created_at: new Date().toISOString() };
    await (await db()).add("outbox", item);
    await showCount();
    return item;
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  async function api(path, options) {
    const headers = Object.assign({ "X-Pocketbook-Device": await deviceId(), Accept: "application/json", "Accept-Language": document.documentElement.lang || "th" }, (options || {}).headers || {});
    if (options && options.body) {
      headers["Content-Type"] = "application/json";
      headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(config.api + path, Object.assign({ credentials: "same-origin", redirect: "error" }, options, { headers }));
  }

  function setStatus(text) {
    document.querySelectorAll("[data-outbox-status]").forEach((node) => { node.textContent = text || ""; });
  }
  async function showCount() {
    const count = (await outboxAll()).length;
    document.querySelectorAll("[data-outbox-bar]").forEach((bar) => { bar.hidden = count === 0; });
    document.querySelectorAll("[data-outbox-count]").forEach((node) => { node.textContent = t("waiting", { count }); });
    document.documentElement.dataset.outboxWaiting = String(count);
  }

  // --- keeping the caseload and its owner ----------------------------------------------------
  async function forgetIfStale() {
    const last = await meta("last_sign_in");
    const days = (await meta("max_days")) || 7;
    if (last && Date.now() - last > days * DAY) await wipe();
  }
  async function adoptOwner(user) {
    const owner = await meta("owner");
    if (owner && owner !== user) await wipe(); // another person signed in on this phone
    await meta("owner", user);
    await meta("last_sign_in", Date.now());
  }
  async function revoked() {
    await wipe();
    setStatus(t("revoked"));
  }
  async function refreshCaseload(force) {
    if (!force && Date.now() - ((await meta("caseload_at")) || 0) < CASELOAD_FRESH_MS) return true;
    let response;
    try {
      response = await api("offline/caseload");
    } catch (error) {
      return false;
    }
    if (response.status === 403 && (await response.text()).includes("device_revoked")) {
      await revoked();
      return false;
    }
    if (!response.ok) return false;
    const caseload = await response.json();
    const database = await db();
    const tx = database.transaction(["households", "meta"], "readwrite");
    await tx.objectStore("households").clear();
    for (const household of caseload.households) await tx.objectStore("households").put(household);
    const store = tx.objectStore("meta");
    await store.put({ areas: caseload.areas, choices: caseload.choices, member_form: caseload.member_form, generated_at: caseload.generated_at }, "caseload");
    await store.put(caseload.max_days_without_sign_in, "max_days");
    await store.put(Date.now(), "caseload_at");
    await store.put(Date.now(), "last_sign_in");
    await tx.done;
    await dropSettled(caseload.settled_records || []);
    return true;
  }
  // A conflict resolved at the office (or by this phone elsewhere) waits no more on the phone.
  async function dropSettled(ids) {
    if (!ids.length) return;
    const settled = new Set(ids);
    const database = await db();
    const dropped = (await outboxAll()).filter((item) => item.status === "conflict" && settled.has(item.id));
    for (const item of dropped) await database.delete("outbox", item.seq);
    if (!dropped.length) return;
    await showCount();
    if (app) render();
  }

  // --- sending the outbox --------------------------------------------------------------------
  let sending = null;
  function sendOutbox() {
    if (!sending) sending = doSend().finally(() => { sending = null; });
    return sending;
  }
  async function doSend() {
    const waiting = (await outboxAll()).filter((item) => item.status === "waiting");
    if (!waiting.length) return showCount();
    setStatus(t("sending"));
    let response;
    try {
      response = await api("offline/sync", { method: "POST", body: JSON.stringify({ records: waiting.map((item) => ({ id: item.id, kind: item.kind, payload: item.payload })) }) });
    } catch (error) {
      setStatus(t("no_signal"));
      return showCount();
    }
    if (response.status === 403 && (await response.clone().text()).includes("device_revoked")) return revoked();
    if (response.status === 401 || response.status === 403) {
      setStatus(t("signed_out"));
      return showCount();
    }
    if (!response.ok) {
      setStatus(t("no_signal"));
      return showCount();
    }
    const { results } = await response.json();
    const database = await db();
    const bySeq = new Map(waiting.map((item) => [item.id, item]));
    let stored = 0;
    for (const result of results) {
      const item = bySeq.get(result.id);
      if (!item) continue;
      if (result.status === "stored" || result.status === "duplicate") {
        await database.delete("outbox", item.seq);
        stored += 1;
      } else {
        item.status = result.status;
        item.message = result.message;
        item.server = result.server;
        await database.put("outbox", item);
      }
    }
    if (stored) await refreshCaseload(true);
    const left = (await outboxAll()).length;
    setStatus(left ? "" : t("sent"));
    await showCount();
    if (app) render();
  }

  // --- sign-out: the phone forgets the caseload -----------------------------------------------
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.querySelector("[data-testid=logout]") || form.dataset.cleared) return;
    event.preventDefault();
    if (navigator.onLine) await sendOutbox();
    const left = (await outboxAll()).length;
    if (left && !window.confirm(t("lose_on_sign_out"))) return;
    await wipe();
    form.dataset.cleared = "1";
    form.submit();
  });

  // --- the offline app's screens -------------------------------------------------------------
  function choiceOptions(choices, selected) {
    return '<option value="">' + esc(t("choose")) + "</option>" + choices.map(([value, label]) => '<option value="' + esc(value) + '"' + (value === selected ? " selected" : "") + ">" + esc(label) + "</option>").join("");
  }
  function yesNo(name, label, value) {
    const option = (v, text) => '<div><label><input type="radio" name="' + esc(name) + '" value="' + v + '"' + (value === v ? " checked" : "") + "> " + esc(text) + "</label></div>";
    return '<div class="field field--yesno" data-field="' + esc(name) + '"><fieldset><legend>' + esc(label) + "</legend><div>" + option("yes", t("yes")) + option("no", t("no")) + '</div></fieldset><ul class="errorlist" hidden></ul></div>';
  }
  function textField(name, label, value, attrs) {
    return '<div class="field" data-field="' + esc(name) + '"><label for="f-' + esc(name) + '">' + esc(label) + '</label><input id="f-' + esc(name) + '" name="' + esc(name) + '" value="' + esc(value || "") + '" ' + (attrs || 'type="text"') + '><ul class="errorlist" hidden></ul></div>';
  }
  function fieldError(form, name, message) {
    const field = form.querySelector('[data-field="' + name + '"]');
    if (!field) return;
    field.classList.add("field--error");
    const list = field.querySelector(".errorlist");
    list.hidden = false;
    list.innerHTML = "<li>" + esc(message) + "</li>";
  }
  function clearErrors(form) {
    form.querySelectorAll(".field--error").forEach((node) => node.classList.remove("field--error"));
    form.querySelectorAll(".errorlist").forEach((node) => { node.hidden = true; node.innerHTML = ""; });
  }
  function radioValue(form, name) {
    const checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }
  function gpsBlock() {
    return '<div class="field"><button type="button" class="button" data-gps-button>' + esc(t("gps")) + '</button> <span class="muted" data-gps-text></span><input type="hidden" name="gps_lat"><input type="hidden" name="gps_lng"></div>';
  }
  function wireGps(form) {
    const button = form.querySelector("[data-gps-button]");
    if (!button) return;
    button.addEventListener("click", () => {
      const text = form.querySelector("[data-gps-text]");
      if (!navigator.geolocation) { text.textContent = t("gps_failed"); return; }
      navigator.geolocation.getCurrentPosition((position) => {
        const lat = position.coords.latitude.toFixed(6);
        const lng = position.coords.longitude.toFixed(6);
        form.elements.gps_lat.value = lat;
        form.elements.gps_lng.value = lng;
        text.textContent = t("gps_taken", { lat, lng });
      }, () => { text.textContent = t("gps_failed"); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  function gpsValues(form) {
    return { gps_lat: form.elements.gps_lat.value || null, gps_lng: form.elements.gps_lng.value || null };
  }
  function today() {
    const now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }
  function go(hash) {
    if (location.hash === hash) render(); else location.hash = hash;
  }
  function notice(text) {
    sessionStorage.setItem("pocketbook-notice", text);
  }

  async function householdsScreen() {
    const households = await (await db()).getAll("households");
    const pending = (await outboxAll()).filter((item) => item.kind === "household_create");
    if (!households.length && !pending.length) return "<h1>" + esc(t("my_households")) + '</h1><p class="empty">' + esc(t("no_caseload")) + "</p>";
    const rows = households.map((household) => {
      const head = household.members[0];
      return '<a class="rowlink" data-testid="offline-household" href="#household/' + household.id + '"><strong>' + esc(household.label) + "</strong> " + esc(head ? head.name : "") + '<br><span class="muted">' + esc(household.area_name) + "</span></a>";
    });
    const waiting = pending.map((item) => '<div class="rowlink"><strong>' + esc(item.label) + '</strong><br><span class="muted">' + esc(t("waiting_item")) + "</span></div>");
    return "<h1>" + esc(t("my_households")) + '</h1><p><a class="button" href="#new-household" data-testid="offline-register">' + esc(t("register")) + "</a></p>" + waiting.join("") + rows.join("");
  }

  async function householdScreen(id) {
    const household = await (await db()).get("households", id);
    if (!household) return '<p class="empty">' + esc(t("not_found")) + '</p><p><a href="#households">' + esc(t("back")) + "</a></p>";
    const latest = household.latest_assessment;
    const pending = (await outboxAll()).filter((item) => item.household_id === id);
    let html = '<p><a href="#households">← ' + esc(t("my_households")) + "</a></p><h1>" + esc(household.label) + '</h1><p class="muted">' + esc(household.area_name) + " " + esc(household.address) + "</p>";
    const visits = household.visits;
    if (visits && visits.next_visit_on) {
      html += '<p data-testid="offline-next-visit"><span class="chip' + (visits.overdue ? " as-chip--bad" : "") + '">' + esc(t(visits.overdue ? "next_visit_overdue" : "next_visit", { date: visits.next_visit_label })) + '</span> <span class="muted">' + esc(t("every_days", { days: visits.interval_days })) + "</span></p>";
    }
    html += '<div class="card"><h2>' + esc(t("members")) + '</h2><ul class="list">' + household.members.map((m) => "<li>" + esc(m.name) + " · " + esc(m.relation) + " · " + esc(t("years", { age: m.age })) + (household.has_consent && m.version ? ' <a class="rowaction" data-testid="offline-edit-member" href="#member/' + id + "/" + m.id + '">' + esc(t("change")) + "</a>" : "") + "</li>").join("") + "</ul></div>";
    html += '<div class="card" data-testid="offline-latest">';
    if (latest) {
      html += "<h2>" + esc(t("latest", { date: latest.assessed_on })) + '</h2><ul class="list">' + latest.dimensions.map((d) => "<li>" + esc(d.name) + ': <span class="as-result as-result--' + esc(d.status) + '">' + esc(d.label) + "</span></li>").join("") + "</ul>";
    } else {
      html += '<p class="empty">' + esc(t("never_assessed")) + "</p>";
    }
    html += "</div>";
    if (pending.length) html += '<div class="card"><h2>' + esc(t("pending_here")) + '</h2><ul class="list">' + pending.map((item) => "<li>" + esc(t("kind_" + item.kind)) + "</li>").join("") + "</ul></div>";
    html += '<div class="stack">';
    if (household.questions.length) html += '<a class="button" data-testid="offline-new-assessment" href="#assess/' + id + '">' + esc(t("new_assessment")) + "</a> ";
    html += '<a class="button" data-testid="offline-visit-note" href="#visit/' + id + '">' + esc(t("visit_note")) + "</a> ";
    if (household.has_consent) html += '<a class="button" href="#edit/' + id + '">' + esc(t("edit_household")) + "</a>";
    return html + "</div>";
  }

  async function assessmentScreen(id) {
    const household = await (await db()).get("households", id);
    if (!household) return '<p class="empty">' + esc(t("not_found")) + "</p>";
    let html = '<p><a href="#household/' + id + '">← ' + esc(household.label) + "</a></p><h1>" + esc(t("new_assessment")) + '</h1><form data-form="assessment" novalidate>';
    html += textField("assessed_on", t("visit_date"), today(), 'type="date" max="' + today() + '"') + gpsBlock();
    html += household.members.map((m) => '<fieldset class="as-member"><legend>' + esc(m.name) + "</legend>" + textField("income_" + m.id, t("income"), m.monthly_income, 'type="text" inputmode="decimal"') + yesNo("work_" + m.id, t("work"), m.has_occupation_and_income ? "yes" : "no") + yesNo("studying_" + m.id, t("studying"), m.is_studying ? "yes" : "no") + "</fieldset>").join("");
    for (const step of household.questions) {
      html += '<section class="card"><h2>' + esc(step.name) + "</h2>";
      for (const group of step.groups) {
        if (!group.fields.length) continue;
        html += '<div class="as-indicator"><h3>' + esc(group.number + ". " + group.text) + "</h3>";
        for (const field of group.fields) {
          if (field.kind === "boolean") html += yesNo(field.name, field.label, "");
          else if (field.kind === "number") html += textField(field.name, field.label, "", 'type="text" inputmode="decimal"');
          else html += '<div class="field" data-field="' + esc(field.name) + '"><fieldset><legend>' + esc(field.label) + "</legend>" + field.choices.map(([value, label]) => '<label><input type="radio" name="' + esc(field.name) + '" value="' + esc(value) + '"> ' + esc(label) + "</label>").join("") + '</fieldset><ul class="errorlist" hidden></ul></div>';
        }
        html += "</div>";
      }
      html += "</section>";
    }
    return html + '<ul class="errorlist nonfield" data-form-errors hidden></ul><button type="submit" data-testid="offline-save">' + esc(t("save")) + "</button></form>";
  }

  async function saveAssessment(form, id) {
    const household = await (await db()).get("households", id);
    clearErrors(form);
    let ok = true;
    const members = {};
    for (const m of household.members) {
      const income = parseNumber(form.elements["income_" + m.id].value);
      if (Number.isNaN(income) || income < 0) { fieldError(form, "income_" + m.id, t("bad_number")); ok = false; }
      const facts = { monthly_income: String(income || 0) };
      for (const [key, name] of [["has_occupation_and_income", "work_"], ["is_studying", "studying_"]]) {
        const value = radioValue(form, name + m.id);
        if (!value) { fieldError(form, name + m.id, t("required")); ok = false; }
        facts[key] = value === "yes";
      }
      members[String(m.id)] = facts;
    }
    const answers = { household: {}, members };
    for (const step of household.questions) {
      for (const group of step.groups) {
        for (const field of group.fields) {
          let value;
          if (field.kind === "number") {
            value = parseNumber(form.elements[field.name].value);
            if (value === null || Number.isNaN(value)) { fieldError(form, field.name, value === null ? t("required") : t("bad_number")); ok = false; continue; }
          } else {
            value = radioValue(form, field.name);
            if (!value) { fieldError(form, field.name, t("required")); ok = false; continue; }
            if (field.kind === "boolean") value = value === "yes";
          }
          if (field.scope === "household") answers.household[field.key] = value;
          else (answers.members[field.member] = answers.members[field.member] || {})[field.key] = value;
        }
      }
    }
    const assessedOn = form.elements.assessed_on.value;
    if (!assessedOn) { fieldError(form, "assessed_on", t("required")); ok = false; }
    if (!ok) {
      const errors = form.querySelector("[data-form-errors]");
      errors.hidden = false;
      errors.innerHTML = "<li>" + esc(t("fix_above")) + "</li>";
      const first = form.querySelector(".field--error");
      if (first) first.scrollIntoView({ block: "center" });
      return;
    }
    await outboxAdd("assessment", Object.assign({ household_id: id, assessed_on: assessedOn, answers }, gpsValues(form)), household.label, id);
    notice(t("saved"));
    go("#household/" + id);
  }

  function memberBlock(number, choices, member) {
    member = member || {};
    const name = (key) => "m" + number + "_" + key;
    const sex = choices.sex.map(([value, label]) => '<div><label><input type="radio" name="' + name("sex") + '" value="' + esc(value) + '"' + (member.sex === value ? " checked" : "") + "> " + esc(label) + "</label></div>").join("");
    return '<fieldset class="as-member" data-member="' + number + '"><legend>' + esc(t("member_n", { number })) + "</legend>" +
      textField(name("first_name"), t("first_name"), member.first_name) + textField(name("last_name"), t("last_name"), member.last_name) +
      '<div class="field field--yesno" data-field="' + name("sex") + '"><fieldset><legend>' + esc(t("sex")) + "</legend><div>" + sex + '</div></fieldset><ul class="errorlist" hidden></ul></div>' +
      textField(name("birth_date"), t("birth_date"), member.birth_date, 'type="date" max="' + today() + '"') +
      '<div class="field" data-field="' + name("relation") + '"><label>' + esc(t("relation")) + '</label><select name="' + name("relation") + '">' + choiceOptions(choices.relation, member.relation) + '</select><ul class="errorlist" hidden></ul></div>' +
      textField(name("national_id"), t("national_id"), member.national_id, 'type="text" inputmode="numeric" autocomplete="off"') +
      '<div class="field" data-field="' + name("no_id_reason") + '"><label>' + esc(t("no_id_reason")) + '</label><select name="' + name("no_id_reason") + '">' + choiceOptions(choices.no_id_reason, member.no_id_reason) + '</select><ul class="errorlist" hidden></ul></div>' +
      textField(name("monthly_income"), t("income"), member.monthly_income, 'type="text" inputmode="decimal"') + "</fieldset>";
  }

  async function registerScreen(seq) {
    const caseload = await meta("caseload");
    if (!caseload) return '<p class="empty">' + esc(t("no_caseload")) + "</p>";
    const editing = seq ? await (await db()).get("outbox", seq) : null;
    // Consent is an act, never a default: a new household starts with neither answer and no purpose ticked.
    const data = editing ? editing.payload : { members: [{}], consent: null };
    const consent = data.consent;
    const consentAnswer = editing ? (consent ? "yes" : "no") : "";
    let html = "<h1>" + esc(t("register")) + "</h1>";
    if (editing && editing.message) html += '<p class="msg msg--error">' + esc(t("refused")) + " " + esc(editing.message) + "</p>";
    html += '<form data-form="register" novalidate><div class="field" data-field="area_code"><label>' + esc(t("area")) + '</label><select name="area_code">' + choiceOptions(caseload.areas, data.area_code) + '</select><ul class="errorlist" hidden></ul></div>';
    html += textField("house_no", t("house_no"), data.house_no) + textField("address", t("address"), data.address) + textField("phone", t("phone"), data.phone, 'type="tel"');
    html += yesNo("consent_given", t("consent"), consentAnswer);
    html += textField("given_by_name", t("consent_by"), consent ? consent.given_by_name : "");
    html += '<fieldset class="field" data-field="purposes"><legend>' + esc(t("consent_purposes")) + "</legend>" + caseload.choices.consent_purposes.map(([value, label]) => '<label><input type="checkbox" name="purposes" value="' + esc(value) + '"' + (consent && consent.purposes.includes(value) ? " checked" : "") + "> " + esc(label) + "</label>").join("") + '<ul class="errorlist" hidden></ul></fieldset>';
    html += '<div data-members>' + data.members.map((member, index) => memberBlock(index + 1, caseload.choices, member)).join("") + "</div>";
    html += '<p><button type="button" class="button" data-add-member data-testid="offline-add-member">' + esc(t("add_member")) + "</button></p>" + gpsBlock();
    return html + '<ul class="errorlist nonfield" data-form-errors hidden></ul><button type="submit" data-testid="offline-save">' + esc(t("save")) + "</button></form>";
  }

  async function saveRegistration(form, seq) {
    clearErrors(form);
    let ok = true;
    const need = (name, value) => { if (!value) { fieldError(form, name, t("required")); ok = false; } return value; };
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
    const payload = Object.assign({ area_code: need("area_code", value("area_code")), house_no: value("house_no"), address: value("address"), phone: value("phone"), members: [] }, gpsValues(form));
    const consentGiven = need("consent_given", radioValue(form, "consent_given")) === "yes";
    const purposes = Array.from(form.querySelectorAll("input[name=purposes]:checked")).map((box) => box.value);
    if (consentGiven && !purposes.includes("pocketbook")) { fieldError(form, "purposes", t("consent_pocketbook")); ok = false; }
    payload.consent = consentGiven ? { given_by_name: need("given_by_name", value("given_by_name")), purposes: purposes } : null;
    form.querySelectorAll("[data-member]").forEach((block) => {
      const n = block.dataset.member;
      const income = parseNumber(value("m" + n + "_monthly_income"));
      if (Number.isNaN(income)) { fieldError(form, "m" + n + "_monthly_income", t("bad_number")); ok = false; }
      payload.members.push({
        first_name: value("m" + n + "_first_name"), last_name: value("m" + n + "_last_name"),
        sex: need("m" + n + "_sex", radioValue(form, "m" + n + "_sex")),
        birth_date: need("m" + n + "_birth_date", value("m" + n + "_birth_date")),
        relation: need("m" + n + "_relation", value("m" + n + "_relation")),
        national_id: value("m" + n + "_national_id").replace(/[๐-๙]/g, (d) => String("๐๑๒๓๔๕๖๗๘๙".indexOf(d))),
        no_id_reason: value("m" + n + "_no_id_reason"),
        monthly_income: income === null || Number.isNaN(income) ? null : String(income),
      });
    });
    if (!ok) {
      const errors = form.querySelector("[data-form-errors]");
      errors.hidden = false;
      errors.innerHTML = "<li>" + esc(t("fix_above")) + "</li>";
      return;
    }
    const label = t("new_household", { house_no: payload.house_no || "-" });
    if (seq) {
      const database = await db();
      const item = await database.get("outbox", seq);
      Object.assign(item, { payload, label, status: "waiting", message: "" });
      await database.put("outbox", item);
    } else {
      await outboxAdd("household_create", payload, label, null);
    }
    notice(t("saved"));
    go("#households");
  }

  async function visitScreen(id) {
    const household = await (await db()).get("households", id);
    if (!household) return '<p class="empty">' + esc(t("not_found")) + "</p>";
    return '<p><a href="#household/' + id + '">← ' + esc(household.label) + "</a></p><h1>" + esc(t("visit_note")) + '</h1><form data-form="visit" novalidate>' +
      textField("visited_on", t("visit_date"), today(), 'type="date" max="' + today() + '"') +
      '<div class="field" data-field="note"><label for="f-note">' + esc(t("note")) + '</label><textarea id="f-note" name="note" rows="5"></textarea><ul class="errorlist" hidden></ul></div>' +
      gpsBlock() + '<button type="submit" data-testid="offline-save">' + esc(t("save")) + "</button></form>";
  }

  async function saveVisit(form, id) {
    clearErrors(form);
    const household = await (await db()).get("households", id);
    const note = form.elements.note.value.trim();
    if (!note) return fieldError(form, "note", t("required"));
    await outboxAdd("visit_note", Object.assign({ household_id: id, visited_on: form.elements.visited_on.value, note }, gpsValues(form)), household.label, id);
    notice(t("saved"));
    go("#household/" + id);
  }

  async function editScreen(id) {
    const household = await (await db()).get("households", id);
    if (!household) return '<p class="empty">' + esc(t("not_found")) + "</p>";
    return '<p><a href="#household/' + id + '">← ' + esc(household.label) + "</a></p><h1>" + esc(t("edit_household")) + '</h1><form data-form="edit" novalidate>' +
      textField("house_no", t("house_no"), household.house_no) + textField("address", t("address"), household.address) + textField("phone", t("phone"), household.phone, 'type="tel"') +
      '<button type="submit" data-testid="offline-save">' + esc(t("save")) + "</button></form>";
  }

  async function saveEdit(form, id) {
    const household = await (await db()).get("households", id);
    const fields = {};
    for (const name of ["house_no", "address", "phone"]) {
      const value = form.elements[name].value.trim();
      if (value !== String(household[name] || "")) fields[name] = value;
    }
    if (!Object.keys(fields).length) {
      notice(t("nothing_changed"));
      return go("#household/" + id);
    }
    await outboxAdd("household_update", { household_id: id, base_version: household.version, fields }, household.label, id);
    notice(t("saved"));
    go("#household/" + id);
  }

  // A member is changed with the online member form's fields (their spec comes with the caseload); only what the
  // volunteer changed is sent, and the server checks it with that form at sync.
  function memberField(field, value) {
    const name = field.name;
    if (field.kind === "boolean") {
      return '<div class="field field--yesno" data-field="' + esc(name) + '"><fieldset><div><div><label><input type="checkbox" name="' + esc(name) + '"' + (value === true ? " checked" : "") + "> " + esc(field.label) + '</label></div></div></fieldset><ul class="errorlist" hidden></ul></div>';
    }
    if (field.kind === "radio") {
      const options = field.choices.map(([v, label]) => '<div><label><input type="radio" name="' + esc(name) + '" value="' + esc(v) + '"' + (v === value ? " checked" : "") + "> " + esc(label) + "</label></div>").join("");
      return '<div class="field field--yesno" data-field="' + esc(name) + '"><fieldset><legend>' + esc(field.label) + "</legend><div>" + options + '</div></fieldset><ul class="errorlist" hidden></ul></div>';
    }
    if (field.kind === "choice") {
      return '<div class="field" data-field="' + esc(name) + '"><label for="f-' + esc(name) + '">' + esc(field.label) + '</label><select id="f-' + esc(name) + '" name="' + esc(name) + '">' + choiceOptions(field.choices, value) + '</select><ul class="errorlist" hidden></ul></div>';
    }
    // Dates as the online form takes them: day/month/year in the Buddhist Era (read back by the server at sync).
    const attrs = { date: 'type="text" inputmode="numeric" autocomplete="off" placeholder="' + esc(field.placeholder || "") + '"', money: 'type="text" inputmode="decimal"' }[field.kind] || (name === "national_id" ? 'type="text" inputmode="numeric" autocomplete="off"' : 'type="text"');
    let html = textField(name, field.label, value, attrs);
    if (field.help) html = html.replace('<ul class="errorlist"', '<span class="helptext">' + esc(field.help) + '</span><ul class="errorlist"');
    return html;
  }
  function memberFieldValue(form, field) {
    if (field.kind === "boolean") return form.elements[field.name].checked;
    if (field.kind === "radio") return radioValue(form, field.name);
    return form.elements[field.name].value.trim();
  }

  async function memberScreen(id, memberId) {
    const household = await (await db()).get("households", id);
    const member = household && household.members.find((m) => m.id === memberId);
    const caseload = await meta("caseload");
    if (!member || !member.form || !caseload || !caseload.member_form) return '<p class="empty">' + esc(t("not_found")) + "</p>";
    return '<p><a href="#household/' + id + '">← ' + esc(household.label) + "</a></p><h1>" + esc(t("edit_member")) + '</h1><p class="muted">' + esc(member.name) + '</p><form data-form="member" novalidate>' +
      caseload.member_form.map((field) => memberField(field, member.form[field.name])).join("") +
      '<ul class="errorlist nonfield" data-form-errors hidden></ul><button type="submit" data-testid="offline-save">' + esc(t("save")) + "</button></form>";
  }

  async function saveMember(form, id, memberId) {
    clearErrors(form);
    const household = await (await db()).get("households", id);
    const member = household.members.find((m) => m.id === memberId);
    const caseload = await meta("caseload");
    const fields = {};
    let ok = true;
    for (const field of caseload.member_form) {
      let value = memberFieldValue(form, field);
      const initial = member.form[field.name];
      if (field.kind === "money") {
        const number = parseNumber(value);
        if (Number.isNaN(number) || number < 0) { fieldError(form, field.name, t("bad_number")); ok = false; continue; }
        const before = parseNumber(initial);
        if (number === before) continue;
        value = number === null ? "" : String(number);
      } else if (field.name === "national_id") {
        value = value.replace(/[๐-๙]/g, (d) => String("๐๑๒๓๔๕๖๗๘๙".indexOf(d))).replace(/[\s-]/g, "");
        if (!value) continue;
      } else if (field.kind === "boolean" ? value === (initial === true) : value === String(initial == null ? "" : initial)) {
        continue;
      }
      fields[field.name] = value;
    }
    if ("title" in fields || "title_choice" in fields) {
      fields.title = form.elements.title.value.trim();
      fields.title_choice = form.elements.title_choice.value;
    }
    if (!ok) {
      const errors = form.querySelector("[data-form-errors]");
      errors.hidden = false;
      errors.innerHTML = "<li>" + esc(t("fix_above")) + "</li>";
      return;
    }
    if (!Object.keys(fields).length) {
      notice(t("nothing_changed"));
      return go("#household/" + id);
    }
    await outboxAdd("member_update", { household_id: id, member_id: memberId, base_version: member.version, fields }, household.label + " · " + member.name, id);
    notice(t("saved"));
    go("#household/" + id);
  }

  // The words beside each field of a conflict: the phone's version and the server's, side by side.
  const FIELD_LABELS = { house_no: "house_no", address: "address", phone: "phone", first_name: "first_name", last_name: "last_name", monthly_income: "income" };

  async function outboxScreen() {
    const items = await outboxAll();
    if (!items.length) return "<h1>" + esc(t("outbox")) + '</h1><p class="empty">' + esc(t("empty_outbox")) + "</p>";
    return "<h1>" + esc(t("outbox")) + "</h1>" + items.map((item) => {
      let html = '<div class="outbox-item" data-testid="outbox-item" data-status="' + esc(item.status) + '"><strong>' + esc(t("kind_" + item.kind)) + "</strong> · " + esc(item.label) + "<br>";
      if (item.status === "refused") {
        html += '<span class="outbox-item__reason" data-testid="outbox-reason">' + esc(t("refused")) + " " + esc(item.message) + "</span><br>";
        if (item.kind === "household_create") html += '<a class="button" href="#correct/' + item.seq + '">' + esc(t("correct")) + "</a> ";
        html += '<button type="button" data-retry="' + item.seq + '">' + esc(t("retry")) + '</button> <button type="button" class="link" data-remove="' + item.seq + '">' + esc(t("remove")) + "</button>";
      } else if (item.status === "conflict") {
        const rows = item.server.rows || Object.keys(item.payload.fields).map((key) => ({ label: t(FIELD_LABELS[key] || key), phone: item.payload.fields[key], office: item.server.fields[key], differs: String(item.payload.fields[key]) !== String(item.server.fields[key]) }));
        const shown = (value) => (value === "" || value == null ? "—" : value);
        html += '<span class="outbox-item__reason">' + esc(t("conflict")) + " " + esc(item.message) + '</span><table class="conflict" data-testid="conflict"><tr><th></th><th>' + esc(t("mine")) + "</th><th>" + esc(t("theirs")) + "</th></tr>" +
          rows.map((row) => "<tr" + (row.differs ? ' class="conflict__differs"' : "") + "><th>" + esc(row.label) + '</th><td data-testid="conflict-mine">' + esc(shown(row.phone)) + '</td><td data-testid="conflict-theirs">' + esc(shown(row.office)) + "</td></tr>").join("") + "</table>" +
          '<button type="button" data-keep-mine="' + item.seq + '" data-testid="keep-mine">' + esc(t("keep_mine")) + '</button> <button type="button" data-keep-theirs="' + item.seq + '" data-testid="keep-theirs">' + esc(t("keep_theirs")) + "</button>";
      } else {
        html += '<span class="muted">' + esc(t("waiting_item")) + "</span>";
      }
      return html + "</div>";
    }).join("");
  }

  async function outboxAction(event) {
    const target = event.target;
    const database = await db();
    const seq = Number(target.dataset.retry || target.dataset.remove || target.dataset.keepMine || target.dataset.keepTheirs || 0);
    if (!seq) return;
    const item = await database.get("outbox", seq);
    if (!item) return;
    if (target.dataset.remove) await database.delete("outbox", seq);
    else if (target.dataset.keepTheirs) {
      // The phone drops its edit and takes the server's version with the caseload; the office need not choose.
      await database.delete("outbox", seq);
      await outboxAdd("conflict_dismiss", { record_id: item.id }, item.label, item.household_id);
      if (navigator.onLine) { await sendOutbox(); await refreshCaseload(true); }
    } else {
      if (target.dataset.keepMine) item.payload.base_version = item.server.version;
      item.status = "waiting";
      item.message = "";
      await database.put("outbox", item);
      if (navigator.onLine) await sendOutbox();
    }
    await showCount();
    render();
  }

  const ROUTES = [
    [/^#?household\/(\d+)$/, (m) => householdScreen(Number(m[1]))],
    [/^#?assess\/(\d+)$/, (m) => assessmentScreen(Number(m[1])), (form, m) => saveAssessment(form, Number(m[1]))],
    [/^#?visit\/(\d+)$/, (m) => visitScreen(Number(m[1])), (form, m) => saveVisit(form, Number(m[1]))],
    [/^#?member\/(\d+)\/(\d+)$/, (m) => memberScreen(Number(m[1]), Number(m[2])), (form, m) => saveMember(form, Number(m[1]), Number(m[2]))],
    [/^#?edit\/(\d+)$/, (m) => editScreen(Number(m[1])), (form, m) => saveEdit(form, Number(m[1]))],
    [/^#?new-household$/, () => registerScreen(null), (form) => saveRegistration(form, null)],
    [/^#?correct\/(\d+)$/, (m) => registerScreen(Number(m[1])), (form, m) => saveRegistration(form, Number(m[1]))],
    [/^#?outbox$/, () => outboxScreen()],
    [/^.*$/, () => householdsScreen()],
  ];

  // Without a signal, the service worker answers any page with this app: read the address it asked for.
  function routeFromPath() {
    const path = location.pathname;
    let match;
    if ((match = path.match(/^\/households\/(\d+)\/?$/))) return "#household/" + match[1];
    if ((match = path.match(/^\/assessments\/household\/(\d+)\/new\//))) return "#assess/" + match[1];
    if (/^\/households\/new\/?$/.test(path)) return "#new-household";
    return "#households";
  }

  async function render() {
    const hash = location.hash || routeFromPath();
    for (const [pattern, screen, save] of ROUTES) {
      const match = hash.match(pattern);
      if (!match) continue;
      app.innerHTML = await screen(match);
      const text = sessionStorage.getItem("pocketbook-notice");
      if (text) {
        sessionStorage.removeItem("pocketbook-notice");
        app.insertAdjacentHTML("afterbegin", '<p class="msg" role="status" data-testid="offline-notice">' + esc(text) + "</p>");
      }
      const form = app.querySelector("form");
      if (form && save) {
        wireGps(form);
        form.addEventListener("submit", (event) => { event.preventDefault(); save(form, match); });
        const add = form.querySelector("[data-add-member]");
        if (add) add.addEventListener("click", async () => {
          const list = form.querySelector("[data-members]");
          const caseload = await meta("caseload");
          list.insertAdjacentHTML("beforeend", memberBlock(list.children.length + 1, caseload.choices, {}));
        });
      }
      window.scrollTo(0, 0);
      document.documentElement.dataset.offlineScreen = hash;
      return;
    }
  }

  // --- start ---------------------------------------------------------------------------------
  document.addEventListener("click", (event) => {
    if (event.target.matches("[data-send-now]")) sendOutbox();
    if (app && event.target.matches("[data-retry], [data-remove], [data-keep-mine], [data-keep-theirs]")) outboxAction(event);
  });
  window.addEventListener("online", () => {
    document.querySelectorAll("[data-offline-note]").forEach((note) => { note.hidden = true; });
    sendOutbox();
  });

  async function start() {
    await forgetIfStale();
    if (config.user) {
      await adoptOwner(config.user);
      if ("serviceWorker" in navigator) {
        try {
          await navigator.serviceWorker.register(config.sw, { scope: "/" });
        } catch (error) { /* the pages still work online */ }
      }
      if (navigator.onLine) {
        await sendOutbox();
        // A record in conflict may have been settled at the office since: ask at once rather than in ten minutes.
        const inConflict = (await outboxAll()).some((item) => item.status === "conflict");
        await refreshCaseload(inConflict);
      }
    }
    await showCount();
    if (config.user && "serviceWorker" in navigator) {
      // Ready once the worker holds the app (a browser that blocks workers never gets there: wait 20 s at most).
      await Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(resolve, 20000))]);
    }
    if (app) {
      const note = document.querySelector("[data-offline-note]");
      if (!navigator.onLine) { note.hidden = false; note.textContent = t("offline_mode"); }
      window.addEventListener("hashchange", render);
      await render();
    }
    document.documentElement.dataset.offlineReady = "1";
  }
  start();
})();
