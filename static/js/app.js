// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Destructive actions ask first, naming what will change (data-confirm on the form).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  // Lists on a phone (issue 19): a wide table becomes a card per row, each cell named by its
  // column (the .table-stack rules of app.css), so no page scrolls sideways at 390 px. Without
  // the script the table scrolls inside its own box.
  document.querySelectorAll(".table-responsive > table").forEach(function (table) {
    if (table.classList.contains("table-stack") || table.hasAttribute("data-keep-table")) { return; }
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").replace(/[↑↓]/g, "").trim();
    });
    if (!heads.length) { return; }
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var name = heads[column];
        if (name && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", name); }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("table-stack");
  });

  // Long pages (issue 19): a page of four or more sections, taller than two and a half screens,
  // gets «На этой странице» under its heading, a link to each section. Without the script
  // the page simply scrolls.
  var main = document.querySelector("main");
  var heading = main && main.querySelector("h1");
  var sections = main ? main.querySelectorAll("h2") : [];
  if (heading && sections.length >= 4 &&
      document.documentElement.scrollHeight > window.innerHeight * 2.5) {
    var nav = document.createElement("nav");
    nav.className = "page-contents d-print-none";
    nav.setAttribute("aria-label", "На этой странице");
    var title = document.createElement("p");
    title.className = "page-contents-title";
    title.textContent = "На этой странице:";
    var list = document.createElement("ul");
    Array.prototype.forEach.call(sections, function (section, index) {
      if (!section.id) { section.id = "section-" + (index + 1); }
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + section.id;
      link.textContent = section.textContent.replace(/\s+/g, " ").trim();
      item.appendChild(link);
      list.appendChild(item);
    });
    nav.appendChild(title);
    nav.appendChild(list);
    heading.insertAdjacentElement("afterend", nav);
  }

  // Long lists of ticks (issue 19: choosing several mentees needed Ctrl-click in a
  // multi-select): a list of more than eight people gets a search box that hides the names that
  // do not match; ticked names always stay in view. Without the script every name is shown.
  var searchable = {};
  document.querySelectorAll("input[type=checkbox][data-searchable]").forEach(function (box) {
    (searchable[box.name] = searchable[box.name] || []).push(box);
  });
  Object.keys(searchable).forEach(function (name) {
    var boxes = searchable[name];
    if (boxes.length <= 8) { return; }
    var first = boxes[0].closest(".form-check");
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-2 checkbox-search";
    search.setAttribute("aria-label", "Найти в списке");
    search.placeholder = "Найти по фамилии";
    first.parentNode.insertBefore(search, first);
    search.addEventListener("input", function () {
      var text = search.value.toLowerCase().replace(/ё/g, "е").trim();
      boxes.forEach(function (box) {
        var label = box.closest(".form-check").textContent.toLowerCase().replace(/ё/g, "е");
        box.closest(".form-check").hidden = text !== "" && !box.checked && label.indexOf(text) === -1;
      });
    });
  });

  // Error summaries take the focus so a keyboard or screen-reader user hears them first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Upload forms with data-progress show how the upload and the check are going.
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var box = document.getElementById(form.getAttribute("data-progress"));
      if (!box || !window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var bar = box.querySelector(".progress-bar");
      var label = box.querySelector(".progress-label");
      box.hidden = false;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round(e.loaded / e.total * 100);
          bar.style.width = percent + "%";
          bar.setAttribute("aria-valuenow", String(percent));
          label.textContent = "Файл загружается: " + percent + " %";
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.style.width = "100%";
        bar.classList.add("progress-bar-striped", "progress-bar-animated");
        label.textContent = "Файл загружен, строки проверяются…";
      });
      xhr.addEventListener("load", function () {
        // Show the page the server answered with (the preview after a redirect, or the
        // form with its errors) without asking for it again: a second request would use
        // up the message that the upload left for the preview.
        if (xhr.responseURL && xhr.responseURL !== window.location.href) {
          window.history.replaceState(null, "", xhr.responseURL);
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        label.textContent = "Не удалось загрузить файл. Проверьте соединение и попробуйте ещё раз.";
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
      });
      xhr.send(new FormData(form));
    });
  });
})();
