// Switching language reloads the page. Whatever someone has typed into a form on the page is
// carried across the reload in this tab's sessionStorage and put back, so that nothing typed
// is lost. The copy is removed as soon as it has been put back.
(function () {
  "use strict";
  var KEY = "kretsen-typed:" + window.location.pathname;
  var SKIP = { csrfmiddlewaretoken: true, password: true };

  function forms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return !form.classList.contains("language-switch");
    });
  }

  function collect() {
    var saved = [];
    var typed = false;
    forms().forEach(function (form, index) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || SKIP[field.name] || field.type === "password" || field.type === "file") {
          return;
        }
        if (field.type === "submit" || field.type === "button") {
          return;
        }
        var entry = { form: index, name: field.name, type: field.type };
        if (field.type === "checkbox" || field.type === "radio") {
          entry.value = field.value;
          entry.checked = field.checked;
          if (field.checked !== field.defaultChecked) { typed = true; }
        } else if (field.tagName === "SELECT") {
          entry.values = Array.prototype.filter.call(field.options, function (o) {
            return o.selected;
          }).map(function (o) { return o.value; });
          Array.prototype.forEach.call(field.options, function (o) {
            if (o.selected !== o.defaultSelected) { typed = true; }
          });
        } else {
          entry.value = field.value;
          if (field.type !== "hidden" && field.value !== field.defaultValue) { typed = true; }
        }
        saved.push(entry);
      });
    });
    return typed ? saved : null;
  }

  function restore(saved) {
    var all = forms();
    saved.forEach(function (entry) {
      var form = all[entry.form];
      if (!form) { return; }
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name !== entry.name) { return; }
        if (entry.type === "checkbox" || entry.type === "radio") {
          if (field.value === entry.value) { field.checked = entry.checked; }
        } else if (field.tagName === "SELECT") {
          Array.prototype.forEach.call(field.options, function (o) {
            o.selected = entry.values.indexOf(o.value) !== -1;
          });
        } else {
          field.value = entry.value;
        }
      });
    });
  }

  var pending = null;
  try { pending = window.sessionStorage.getItem(KEY); } catch (e) { pending = null; }
  if (pending) {
    try { window.sessionStorage.removeItem(KEY); } catch (e) { /* nothing to remove */ }
    try {
      restore(JSON.parse(pending));
      var note = document.getElementById("typed-kept");
      if (note) { note.hidden = false; }
    } catch (e) { /* an unreadable copy is dropped */ }
  }

  var switcher = document.querySelector("form.language-switch");
  if (switcher) {
    switcher.addEventListener("submit", function () {
      var saved = collect();
      if (saved) {
        try { window.sessionStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* full */ }
      }
    });
  }
})();
