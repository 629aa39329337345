// The live meeting panel: a WebSocket on the state address, polling the same address over
// HTTP while the socket is down. The server renders every view of the panel; this script
// only fetches the fresh part of the page when the state's version changes, sends the
// buttons' actions, and ticks the timers between updates.
(function () {
  "use strict";
  var root = document.getElementById("live-root");
  if (!root) { return; }
  var stateUrl = root.dataset.stateUrl;
  var statusLine = document.getElementById("live-connection");
  var shown = root.dataset.version || "0";
  var socket = null;
  var pollTimer = null;
  var retry = 1000;
  var fetching = false;
  var again = false;

  function setStatus(kind) {
    if (statusLine) { statusLine.textContent = statusLine.dataset[kind] || ""; }
    root.dataset.connection = kind;
  }

  function showError(message) {
    var box = document.getElementById("live-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "live-error";
      box.className = "message message-error";
      box.setAttribute("role", "alert");
      root.parentNode.insertBefore(box, root);
    }
    box.textContent = message;
  }

  function clearError() {
    var box = document.getElementById("live-error");
    if (box) { box.remove(); }
  }

  function refresh(version) {
    if (fetching) { again = true; return; }
    fetching = true;
    var focused = document.activeElement && document.activeElement.id;
    fetch(window.location.pathname + "?part=1", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        root.innerHTML = html;
        root.dataset.version = String(version);
        shown = String(version);
        if (focused) {
          var target = document.getElementById(focused);
          if (target) { target.focus(); }
        }
      })
      .catch(function () { /* the next update or poll tries again */ })
      .then(function () {
        fetching = false;
        if (again) { again = false; poll(); }
      });
  }

  function onState(state) {
    if (String(state.version) !== shown) { refresh(state.version); }
  }

  function onMessage(message) {
    if (message.type === "state") { onState(message.state); }
    else if (message.type === "error") { showError(message.message); }
  }

  function poll() {
    fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(onMessage)
      .catch(function () { /* offline: try at the next tick */ });
  }

  function startPolling() {
    if (!pollTimer) { pollTimer = window.setInterval(poll, 3000); }
  }

  function stopPolling() {
    if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    if (!("WebSocket" in window)) { setStatus("polling"); startPolling(); return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + stateUrl);
    socket.onopen = function () { retry = 1000; stopPolling(); setStatus("live"); };
    socket.onmessage = function (event) {
      try { onMessage(JSON.parse(event.data)); } catch (error) { /* ignore a broken frame */ }
    };
    socket.onclose = function () {
      socket = null;
      setStatus("polling");
      startPolling();
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var action = button && button.value;
    if (!action || action === "start" || action === "end") { return; }
    event.preventDefault();
    clearError();
    var data = new FormData(form);
    data.set("action", action);
    if (socket && socket.readyState === WebSocket.OPEN) {
      var message = {};
      data.forEach(function (value, key) {
        if (key !== "csrfmiddlewaretoken") { message[key] = value; }
      });
      socket.send(JSON.stringify(message));
      return;
    }
    fetch(stateUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
    })
      .then(function (response) { return response.json(); })
      .then(onMessage)
      .catch(function () { form.submit(); });
  });

  function clock(seconds) {
    var value = Math.abs(seconds);
    var rest = value % 60;
    return Math.floor(value / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  window.setInterval(function () {
    root.querySelectorAll("[data-countdown]").forEach(function (item) {
      var left = parseInt(item.dataset.countdown, 10) - 1;
      item.dataset.countdown = String(left);
      var plain = "plain" in item.dataset;
      var over = left < 0 && !plain;
      item.textContent = (over ? "+" : "") + clock(plain ? Math.max(left, 0) : left);
      var section = item.closest(".live-section");
      if (over && section && !section.classList.contains("live-over")) {
        section.classList.add("live-over");
        var text = section.querySelector("[data-over-text]");
        if (text) { text.textContent = root.dataset.over || ""; }
      }
    });
    root.querySelectorAll("[data-countup]").forEach(function (item) {
      var held = parseInt(item.dataset.countup, 10) + 1;
      item.dataset.countup = String(held);
      item.textContent = clock(held);
    });
  }, 1000);

  // Being on the panel counts as activity for the session's idle limit.
  window.setInterval(function () {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ action: "ping" }));
    } else {
      poll();
    }
  }, 240000);

  connect();
}());
