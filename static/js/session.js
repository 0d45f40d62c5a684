// Warns before the institution's idle limit ends the session, and keeps what a person
// typed in this browser (sessionStorage) so that nothing is lost if it ends anyway.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idleSeconds || "0", 10);
  var storageKey = "draft:" + window.location.pathname;

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "password" && el.type !== "submit" && el.type !== "hidden";
    });
  }

  function saveDrafts() {
    var data = {};
    document.querySelectorAll("form[method=post]").forEach(function (form, index) {
      fields(form).forEach(function (el) {
        var key = index + ":" + el.name;
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) { (data[key] = data[key] || []).push(el.value); }
        } else if (el.tagName === "SELECT" && el.multiple) {
          data[key] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; });
        } else {
          data[key] = el.value;
        }
      });
    });
    try { sessionStorage.setItem(storageKey, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }

  function restoreDrafts() {
    var raw;
    try { raw = sessionStorage.getItem(storageKey); } catch (e) { return; }
    if (!raw || document.querySelector(".error-summary")) { return; }
    var data = JSON.parse(raw);
    var restored = false;
    document.querySelectorAll("form[method=post]").forEach(function (form, index) {
      fields(form).forEach(function (el) {
        var key = index + ":" + el.name;
        if (!(key in data)) { return; }
        var value = data[key];
        if (el.type === "checkbox" || el.type === "radio") {
          var checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
          if (checked !== el.checked) { el.checked = checked; restored = true; }
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
        } else if (typeof value === "string" && value !== el.value && value !== "") {
          el.value = value; restored = true;
        }
      });
    });
    if (restored) {
      var note = document.createElement("div");
      note.className = "alert alert-info";
      note.setAttribute("role", "status");
      note.textContent = "Восстановлен текст, который вы вводили до завершения сеанса. Проверьте его и сохраните.";
      var main = document.getElementById("content");
      main.insertBefore(note, main.firstChild);
    }
  }

  document.addEventListener("submit", function () {
    try { sessionStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  });

  var hasForm = document.querySelector("form[method=post] textarea, form[method=post] input[type=text]");
  if (hasForm) {
    restoreDrafts();
    document.addEventListener("input", saveDrafts);
    document.addEventListener("change", saveDrafts);
  }

  if (!idle || !body.dataset.statusUrl) { return; }
  var warning = document.getElementById("session-warning");
  var button = document.getElementById("session-extend");
  var warnBefore = Math.min(120, Math.floor(idle / 3));
  var lastActivity = Date.now();
  var typedSinceCheck = false;
  document.addEventListener("input", function () { typedSinceCheck = true; });

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function extend() {
    return fetch(body.dataset.extendUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function () { lastActivity = Date.now(); warning.hidden = true; });
  }

  button.addEventListener("click", function () {
    extend().then(function () { schedule(idle - warnBefore); });
  });

  // The page tells how long the session has left; the browser asks the server only when that
  // time is near (another tab may have worked meanwhile, so the server has the last word), never
  // on a fixed beat: an open tab costs one request per idle period, not one every 30 s.
  var left = parseInt(body.dataset.sessionLeft || String(idle), 10);
  var timer = null;

  function schedule(seconds) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(seconds, 5) * 1000);
  }

  function check() {
    // Typing is work: a person who types is never logged out for idleness.
    if (typedSinceCheck) {
      typedSinceCheck = false;
      extend().then(function () { schedule(idle - warnBefore); });
      return;
    }
    fetch(body.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (!state.authenticated) {
          saveDrafts();
          window.location.href = body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
          return;
        }
        if (state.seconds_left <= warnBefore) {
          saveDrafts();
          warning.hidden = false;
          button.focus();
          schedule(state.seconds_left + 1);  // then the server says the session has ended
        } else {
          warning.hidden = true;
          schedule(state.seconds_left - warnBefore);
        }
      })
      .catch(function () { schedule(30); /* offline: try again later */ });
  }
  schedule(left - warnBefore);
})();
