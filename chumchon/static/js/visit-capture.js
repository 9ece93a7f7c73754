/* Visit capture on a phone. No framework; every page works without this file.
 * - GPS buttons ([data-gps]) fill hidden latitude/longitude/accuracy fields.
 * - The assessment form ([data-capture-form]) shows one question group per screen with
 *   Back/Next and a progress "2/5", applies simple skip rules (the server stays authoritative),
 *   keeps a draft in localStorage (answers + client_key) so a closed tab or a lost connection
 *   loses nothing, uploads photos as soon as they are taken, and submits with fetch: field errors
 *   are shown next to their question; offline, the draft stays and the user is told to resend. */
(function () {
  "use strict";

  var TEXT = {};
  try { TEXT = JSON.parse(document.getElementById("capture-text").textContent); } catch (e) { TEXT = {}; }
  function t(key) { return TEXT[key] || key; }

  /* ---------- GPS ---------- */
  function setupGps(box) {
    var button = box.querySelector("[data-gps-button]");
    var status = box.querySelector("[data-gps-status]");
    if (!button) { return; }
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = t("no_geo"); return; }
      status.textContent = t("finding");
      navigator.geolocation.getCurrentPosition(function (pos) {
        box.querySelector("[data-gps-lat]").value = pos.coords.latitude.toFixed(6);
        box.querySelector("[data-gps-lon]").value = pos.coords.longitude.toFixed(6);
        var acc = box.querySelector("[data-gps-accuracy]");
        if (acc) { acc.value = Math.round(pos.coords.accuracy); }
        status.textContent = t("found") + " " + Math.round(pos.coords.accuracy) + " m";
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }, function (err) {
        status.textContent = t("failed") + " " + err.message;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-gps]"), setupGps);

  var form = document.querySelector("[data-capture-form]");
  if (!form) { return; }

  /* ---------- answers and skip rules ---------- */
  var context = {};
  try { context = JSON.parse(document.getElementById("capture-context").textContent) || {}; } catch (e) { context = {}; }
  var screens = Array.prototype.slice.call(form.querySelectorAll("[data-screen]"));
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));

  function valueOf(code) {
    var box = form.querySelector('[data-item="' + code + '"]');
    if (!box || box.hidden || (box.closest("[data-screen]") || {}).dataset.skipped === "1") { return undefined; }
    var type = box.dataset.type;
    if (type === "multi") {
      var picked = [];
      box.querySelectorAll("input:checked").forEach(function (i) { picked.push(i.value); });
      return picked.length ? picked : undefined;
    }
    if (type === "choice" || type === "yes_no") {
      var checked = box.querySelector("input:checked");
      if (!checked) { return undefined; }
      return checked.value;
    }
    if (type === "gps") { return box.querySelector("[data-gps-lat]").value || undefined; }
    var input = box.querySelector("input[name='" + code + "'], textarea[name='" + code + "']");
    if (!input || input.value.trim() === "") { return undefined; }
    if (type === "number") {
      var n = Number(input.value.replace(/[\u0E50-\u0E59]/g, function (d) { return String(d.charCodeAt(0) - 0x0E50); }).replace(/,/g, ""));
      return isNaN(n) ? input.value : n;
    }
    return input.value.trim();
  }

  function compare(actual, op, expected) {
    if (actual === undefined || actual === null) { return false; }
    switch (op) {
      case "equals": return actual === expected || String(actual) === String(expected);
      case "not_equals": return String(actual) !== String(expected);
      case "in": return Array.isArray(expected) && expected.map(String).indexOf(String(actual)) >= 0;
      case "lt": return actual < expected;
      case "lte": return actual <= expected;
      case "gt": return actual > expected;
      case "gte": return actual >= expected;
    }
    return true;
  }

  function holds(cond) {
    if (!cond) { return true; }
    if (cond.all) { return cond.all.every(holds); }
    if (cond.any) { return cond.any.some(holds); }
    if (cond.not) { return !holds(cond.not); }
    var subject = ["item", "fact"].filter(function (k) { return k in cond; })[0];
    if (subject) {
      var actual = subject === "item" ? valueOf(cond.item) : (context.facts || {})[cond.fact];
      var op = Object.keys(cond).filter(function (k) { return k !== subject; })[0];
      if (op === "answered") {
        var answered = actual !== undefined && actual !== null && actual !== "";
        return answered === Boolean(cond.answered);
      }
      return compare(actual, op, cond[op]);
    }
    var age = context.age_months;
    if ("age_months_lt" in cond) { return age !== null && age !== undefined && age < cond.age_months_lt; }
    if ("age_months_gte" in cond) { return age !== null && age !== undefined && age >= cond.age_months_gte; }
    return true; /* anything else: the server decides */
  }

  function rule(el) {
    var raw = el.dataset.showIf;
    if (!raw) { return null; }
    try { return JSON.parse(raw); } catch (e) { return null; }
  }

  function applyRules() {
    /* Screens and items in order, so a rule reads only answers that are themselves shown. */
    screens.forEach(function (screen) {
      screen.dataset.skipped = holds(rule(screen)) ? "0" : "1";
      screen.querySelectorAll("[data-item]").forEach(function (box) {
        box.hidden = !holds(rule(box));
      });
    });
  }

  /* ---------- one screen at a time ---------- */
  var progress = form.querySelector("[data-progress]");
  var back = form.querySelector("[data-back]");
  var next = form.querySelector("[data-next]");
  var submit = form.querySelector("[data-submit]");
  var current = 0;

  function visibleScreens() {
    return screens.filter(function (s) { return s.dataset.skipped !== "1"; });
  }

  function show(index) {
    applyRules();
    var list = visibleScreens();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(index, list.length - 1));
    screens.forEach(function (s) { s.hidden = s !== list[current]; });
    progress.hidden = false;
    progress.textContent = (current + 1) + "/" + list.length;
    back.hidden = current === 0;
    next.hidden = current === list.length - 1;
    submit.hidden = current !== list.length - 1;
    window.scrollTo(0, 0);
  }

  function showScreenOf(element) {
    var screen = element.closest("[data-screen]");
    var index = visibleScreens().indexOf(screen);
    if (index >= 0) { show(index); }
  }

  back.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); saveDraft(); });
  back.addEventListener("click", saveDraft);

  /* ---------- drafts on the phone ---------- */
  var draftKey = form.dataset.draftKey;
  var clientKey = form.querySelector("[data-client-key]");
  var note = document.querySelector("[data-draft-note]");

  function collect() {
    var answers = {};
    form.querySelectorAll("input, textarea").forEach(function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.name === "client_key") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (!el.checked) { return; }
        if (el.type === "checkbox") { (answers[el.name] = answers[el.name] || []).push(el.value); return; }
      }
      if (el.type !== "radio" && el.type !== "checkbox" && el.value === "") { return; }
      answers[el.name] = el.value;
    });
    return answers;
  }

  function saveDraft() {
    try {
      localStorage.setItem(draftKey, JSON.stringify({ client_key: clientKey.value, answers: collect(), screen: current,
                                               saved_at: Date.now() }));
    } catch (e) { /* storage full or blocked: the form still works */ }
  }

  function restoreDraft() {
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.answers) { return null; }
    if (draft.client_key) { clientKey.value = draft.client_key; }
    Object.keys(draft.answers).forEach(function (name) {
      var value = draft.answers[name];
      var values = Array.isArray(value) ? value.map(String) : [String(value)];
      form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
        if (el.type === "file") { return; }
        if (el.type === "radio" || el.type === "checkbox") { el.checked = values.indexOf(el.value) >= 0; }
        else { el.value = values[0]; }
      });
      var photo = form.querySelector('[data-item="' + name + '"] [data-photo-thumb]');
      if (photo && value) { thumb(photo, "/photos/" + encodeURIComponent(value) + "/"); }
    });
    note.textContent = t("restored");
    note.hidden = false;
    return draft;
  }

  function clearDraft() { try { localStorage.removeItem(draftKey); } catch (e) { /* nothing kept */ } }

  /* ---------- photos, uploaded as soon as they are taken ---------- */
  function thumb(box, url) {
    box.innerHTML = "";
    var img = document.createElement("img");
    img.src = url;
    img.alt = "";
    box.appendChild(img);
  }

  function csrf() {
    var el = form.querySelector("[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  form.querySelectorAll("[data-photo-input]").forEach(function (input) {
    input.addEventListener("change", function () {
      var box = input.closest("[data-item]");
      var status = form.querySelector("[data-status]");
      if (!input.files || !input.files.length) { return; }
      var data = new FormData();
      data.append("photo", input.files[0]);
      data.append("purpose", "answer");
      data.append("item_code", box.dataset.item);
      if (form.dataset.person) { data.append("person", form.dataset.person); }
      status.textContent = t("uploading");
      fetch(form.dataset.photoUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (res) {
        if (!res.ok) { showError(box.dataset.item, (res.body.errors || {}).photo || t("upload_failed")); status.textContent = ""; return; }
        box.querySelector("[data-photo-id]").value = res.body.id;
        thumb(box.querySelector("[data-photo-thumb]"), res.body.url);
        input.value = "";  /* sent already: the form posts only the id */
        showError(box.dataset.item, "");
        status.textContent = "";
        saveDraft();
      }).catch(function () { status.textContent = t("upload_failed"); });
    });
  });

  /* ---------- errors next to their question ---------- */
  function showError(code, message) {
    var list = form.querySelector('[data-error-for="' + code + '"]');
    if (!list) { return false; }
    list.innerHTML = "";
    var li = document.createElement("li");
    li.textContent = message;
    list.appendChild(li);
    list.hidden = !message;
    list.closest("[data-item]").classList.toggle("has-error", Boolean(message));
    return true;
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (list) { showError(list.dataset.errorFor, ""); });
    var general = document.querySelector("[data-general-errors]");
    var generalList = general.querySelector("ul");
    generalList.innerHTML = "";
    var first = null;
    Object.keys(errors).forEach(function (code) {
      if (showError(code, errors[code])) {
        first = first || form.querySelector('[data-error-for="' + code + '"]');
      } else {
        var li = document.createElement("li");
        li.textContent = errors[code];
        generalList.appendChild(li);
      }
    });
    if (!generalList.children.length) {
      var hint = document.createElement("li");
      hint.textContent = t("fix_errors");
      generalList.appendChild(hint);
    }
    general.hidden = false;
    if (first) { showScreenOf(first); }
  }

  /* ---------- submit with fetch; offline keeps the draft ---------- */
  var sending = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    saveDraft();
    var status = form.querySelector("[data-status]");
    status.classList.remove("warning");
    status.textContent = t("sending");
    submit.disabled = true;
    var data = new FormData(form);
    form.querySelectorAll("[data-photo-input]").forEach(function (input) { data.delete(input.name); });
    fetch(window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      /* Not JSON (signed out, server error): keep the draft and say it was not saved. */
      return response.json().then(function (body) { return { ok: response.ok, body: body }; },
                                  function () { return { ok: false, body: null, broken: true }; });
    }).then(function (res) {
      if (res.broken) { status.textContent = t("not_saved"); status.classList.add("warning"); return; }
      if (res.ok && res.body.ok) {
        clearDraft();
        window.location.assign(res.body.url);
        return;
      }
      status.textContent = "";
      showErrors((res.body && res.body.errors) || {});
    }).catch(function () {
      status.textContent = t("offline");
      status.classList.add("warning");
    }).then(function () { sending = false; submit.disabled = false; });
  });

  form.addEventListener("change", function () { applyRules(); saveDraft(); });
  form.addEventListener("input", saveDraft);

  /* ---------- start ---------- */
  var hadErrors = form.querySelector(".item.has-error");
  var restored = hadErrors ? null : restoreDraft();  /* a page with server errors shows what was posted */
  show(restored && restored.screen ? restored.screen : 0);
  if (hadErrors) { showScreenOf(hadErrors); }
})();
