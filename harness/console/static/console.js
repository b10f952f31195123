// fake Braze console: the live stream, copy buttons, auto-submitting filters. Plain JavaScript, no build.
"use strict";
(function () {
  var MAX_ROWS = 500;

  function liveStream() {
    var table = document.getElementById("stream");
    var live = document.getElementById("live");
    if (!table || !live) return;
    if (!window.EventSource) {
      live.dataset.state = "off";
      live.textContent = "no live updates in this browser: reload to refresh";
      return;
    }
    var body = table.tBodies[0];
    var empty = document.getElementById("empty");
    function show(state, text) {
      live.dataset.state = state;
      live.textContent = text;
    }
    var source = new EventSource(table.dataset.source);
    source.addEventListener("open", function () { show("live", "live"); });
    source.addEventListener("error", function () { show("reconnecting", "reconnecting…"); });
    source.addEventListener("busy", function () { show("busy", "paused: too many open streams, retrying"); });
    source.addEventListener("gap", function () { show("live", "live (caught up after a burst)"); });
    source.addEventListener("entry", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (typeof data.id !== "number" || document.getElementById("req-" + data.id)) return;
      var holder = document.createElement("tbody");
      holder.innerHTML = String(data.html || "").trim();
      var row = holder.firstElementChild;
      if (!row) return;
      var before = null;
      for (var i = 0; i < body.rows.length; i++) {
        if (Number(body.rows[i].dataset.id) < data.id) { before = body.rows[i]; break; }
      }
      body.insertBefore(row, before);
      row.classList.add("fresh");
      if (empty) empty.hidden = true;
      while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
      show("live", "live");
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  function autoSubmit() {
    var forms = document.querySelectorAll("form[data-autosubmit]");
    Array.prototype.forEach.call(forms, function (form) {
      var fields = form.querySelectorAll("select, input[type=checkbox]");
      Array.prototype.forEach.call(fields, function (field) {
        field.addEventListener("change", function () {
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        });
      });
    });
  }

  function copyButtons() {
    var buttons = document.querySelectorAll("[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        var done = document.getElementById(button.dataset.copy + "-copied");
        if (!source) return;
        var text = source.textContent || "";
        function copied() { if (done) done.hidden = false; }
        function fallback() {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          if (selection) { selection.removeAllRanges(); selection.addRange(range); }
          try { if (document.execCommand("copy")) copied(); } catch (e) { /* the text stays selected */ }
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(copied, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  function faultForm() {
    var kind = document.getElementById("fault-kind");
    var status = document.getElementById("fault-status");
    if (!kind || !status) return;
    function sync() { status.disabled = kind.value !== "status"; }
    kind.addEventListener("change", sync);
    sync();
  }

  liveStream();
  autoSubmit();
  copyButtons();
  faultForm();
})();
