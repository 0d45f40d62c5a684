// A short toolbar above a Markdown text (textarea[data-markdown-toolbar]) of the public section:
// «Жирный», «Курсив», «Список», «Ссылка», «Заголовок» put the Markdown marks around the selection.
// Without this script the text is typed by hand (the hint under the field says how) and
// «Предпросмотр» shows it as visitors will see it.
(function () {
  "use strict";

  var ACTIONS = [
    { label: "Жирный", wrap: ["**", "**"], sample: "жирный текст" },
    { label: "Курсив", wrap: ["*", "*"], sample: "курсив" },
    { label: "Список", line: "- ", sample: "пункт списка" },
    { label: "Ссылка", wrap: ["[", "](https://)"], sample: "текст ссылки" },
    { label: "Заголовок", line: "## ", sample: "Заголовок" }
  ];

  function apply(area, action) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var text = area.value;
    var chosen = text.slice(start, end) || action.sample;
    var before = text.slice(0, start);
    var inserted;
    if (action.wrap) {
      inserted = action.wrap[0] + chosen + action.wrap[1];
    } else {
      // A line mark starts a line: a new one unless the selection already does.
      var atLineStart = start === 0 || before.charAt(before.length - 1) === "\n";
      inserted = (atLineStart ? "" : "\n") + chosen.split("\n").map(function (line) {
        return action.line + line;
      }).join("\n");
    }
    area.value = before + inserted + text.slice(end);
    var caret = before.length + inserted.length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.querySelectorAll("textarea[data-markdown-toolbar]").forEach(function (area) {
    var bar = document.createElement("div");
    bar.className = "btn-toolbar gap-1 mb-1";
    bar.setAttribute("role", "toolbar");
    var label = area.labels && area.labels[0] ? area.labels[0].textContent.trim() : "текста";
    bar.setAttribute("aria-label", "Оформление: " + label);
    ACTIONS.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = action.label;
      button.addEventListener("click", function () { apply(area, action); });
      bar.appendChild(button);
    });
    area.parentNode.insertBefore(bar, area);
  });
})();
