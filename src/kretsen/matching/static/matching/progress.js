// While a proposal is being formed, ask the server where the search stands and show the best
// value so far and the proven bound. When the search has stopped, load the page again to show
// the groups. Without this script the page has a plain "Update" link.
(function () {
  "use strict";
  var box = document.getElementById("formation-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-progress-url");
  var text = document.getElementById("progress-text");
  var bar = document.getElementById("progress-bar");
  var time = document.getElementById("progress-time");
  var failures = 0;

  function show(state) {
    if (!state.working) {
      window.location.reload();
      return;
    }
    if (text.textContent !== state.text) { text.textContent = state.text; }
    bar.value = state.closeness;
    bar.textContent = Math.round(state.closeness / 10) + " %";
    time.textContent = state.time;
    window.setTimeout(poll, 1500);
  }

  function poll() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) { failures = 0; show(state); })
      .catch(function () {
        // A short network break: try again a few times, then leave it to the Update link.
        failures += 1;
        if (failures < 5) { window.setTimeout(poll, 3000); }
      });
  }

  window.setTimeout(poll, 1000);
})();
