// Compiling a question. Everything here also works without JavaScript through the forms on
// the page; this only makes it faster:
// - selecting text in a discussion fills that submission's passage field;
// - the list of passages and quotes is sorted with the keyboard (arrow keys to move, a
//   theme's number to put the passage under it, 0 for "not sorted", U to undo) or by
//   dragging a passage onto a theme. Each change posts the same form the page has.
(function () {
  "use strict";

  document.querySelectorAll("[data-passage-target]").forEach(function (block) {
    block.addEventListener("mouseup", function () {
      var selection = window.getSelection();
      var text = selection ? selection.toString().trim() : "";
      if (!text) {
        return;
      }
      var field = document.getElementById(block.getAttribute("data-passage-target"));
      if (field) {
        field.value = text;
      }
    });
  });

  var list = document.getElementById("material");
  if (!list || !list.querySelector("select[name=theme]")) {
    return;
  }
  var url = list.getAttribute("data-assign-url");
  var status = document.getElementById("material-status");
  var items = Array.prototype.slice.call(list.querySelectorAll("[data-item]"));
  var undo = [];

  function options(item) {
    return item.querySelector("select[name=theme]").options;
  }

  function titleOf(item, value) {
    var all = options(item);
    for (var i = 0; i < all.length; i++) {
      if (all[i].value === value) {
        return all[i].text.replace(/^\d+\.\s*/, "");
      }
    }
    return "";
  }

  function say(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function focusItem(item) {
    items.forEach(function (other) { other.setAttribute("tabindex", "-1"); });
    item.setAttribute("tabindex", "0");
    item.focus();
  }

  function assign(item, value, remember) {
    var form = item.querySelector("form");
    var data = new FormData(form);
    data.set("theme", value);
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          say(body.error || "");
          return;
        }
        if (remember) {
          undo.push({ item: item, value: body.previous });
        }
        var select = form.querySelector("select[name=theme]");
        select.value = value;
        item.setAttribute("data-theme", value);
        var title = titleOf(item, value);
        item.querySelector("[data-theme-label]").textContent = title;
        say(title);
      });
    }).catch(function () {
      form.submit();
    });
  }

  items.forEach(function (item, index) {
    item.addEventListener("keydown", function (event) {
      if (event.target !== item || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var key = event.key;
      if (key === "ArrowDown" || key === "ArrowUp" || key === "Home" || key === "End") {
        event.preventDefault();
        var next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 }[key];
        if (next >= 0 && next < items.length) {
          focusItem(items[next]);
        }
      } else if (/^[0-9]$/.test(key)) {
        var all = options(item);
        var number = parseInt(key, 10);
        if (number < all.length) {
          event.preventDefault();
          assign(item, all[number].value, true).then(function () {
            if (index + 1 < items.length) {
              focusItem(items[index + 1]);
            }
          });
        }
      } else if (key === "u" || key === "U") {
        var last = undo.pop();
        if (last) {
          event.preventDefault();
          assign(last.item, last.value, false).then(function () { focusItem(last.item); });
        }
      }
    });
    item.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", item.getAttribute("data-item"));
      event.dataTransfer.effectAllowed = "move";
    });
  });

  document.querySelectorAll("[data-drop-theme]").forEach(function (target) {
    target.addEventListener("dragover", function (event) {
      event.preventDefault();
      target.classList.add("drop-here");
    });
    target.addEventListener("dragleave", function () {
      target.classList.remove("drop-here");
    });
    target.addEventListener("drop", function (event) {
      event.preventDefault();
      target.classList.remove("drop-here");
      var key = event.dataTransfer.getData("text/plain");
      var item = document.getElementById("item-" + key);
      if (item) {
        assign(item, target.getAttribute("data-drop-theme"), true);
      }
    });
  });
})();
